/**
 * What the Library keeps of a finished clip. A clip is two records under one id: `ClipEntry` (the clip's facts and a
 * small poster: what the grid needs) and its video bytes, stored apart so listing 200 clips never reads a video.
 * Pure: types, the entry of a finished run, and the check that tells a damaged entry from a good one (entries of an
 * older version are brought up to this one first: clip-versions.ts).
 */
import { type ClipFacts, isVideoContainer } from '../engine/clip-facts';
import type { GenerateParams } from '../engine/types';
import type { RunResult } from '../store/run-slice';
import { NUMBER_FIELDS } from '../store/settings-slice';

/** The version of `ClipEntry` this build writes. */
export const CLIP_ENTRY_VERSION = 2;

export type ClipEntry = {
  version: typeof CLIP_ENTRY_VERSION;
  /** Random UUID; also the key of the video record. */
  id: string;
  /** When the clip finished (ms since the epoch); the grid is newest first. */
  createdAt: number;
  facts: ClipFacts;
  /** Still image for the grid (JPEG/WebP); null when none could be made. */
  poster: Blob | null;
  /** Set on clips made by one Variations run. */
  batchId?: string;
};

/** What the Library is given to keep of a clip: a finished run (`RunResult`), or a recording of Live. */
export type KeptClip = Pick<RunResult, 'facts' | 'video' | 'poster'>;

/** What the Library keeps of a finished clip (its video is stored apart); `batchId` for a clip of Variations. */
export function entryFromResult(result: KeptClip, id: string, createdAt: number, batchId?: string): ClipEntry {
  return {
    version: CLIP_ENTRY_VERSION,
    id,
    createdAt,
    facts: result.facts,
    poster: result.poster,
    ...(batchId !== undefined ? { batchId } : {}),
  };
}

/** The stored video of one clip. */
export type ClipVideo = { id: string; video: Blob };

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/**
 * Why a stored value (upgraded to this version where it was an older one) is not a usable ClipEntry (the first
 * problem found), or null when it is one. Entries written by a newer or broken build, or damaged on disk, are skipped
 * with this reason instead of breaking the grid.
 */
export function entryProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const e = value as Partial<ClipEntry>;
  if (e.version !== CLIP_ENTRY_VERSION) return `unknown version ${String(e.version)}`;
  if (typeof e.id !== 'string' || e.id === '') return 'no id';
  if (!isFiniteNumber(e.createdAt)) return 'no date';
  const f = e.facts as Partial<ClipFacts> | undefined;
  const p = f?.params as Partial<GenerateParams> | undefined;
  if (typeof f !== 'object' || f === null || typeof p !== 'object' || p === null) return 'no settings';
  if (typeof p.prompt !== 'string') return 'no prompt';
  for (const n of NUMBER_FIELDS) if (!isFiniteNumber(p[n])) return `settings.${n} is missing`;
  if (!isVideoContainer(f.container)) return 'unknown container';
  if (!isFiniteNumber(f.size) || !isFiniteNumber(f.width) || !isFiniteNumber(f.height)) return 'no size';
  if (typeof f.model !== 'object' || f.model === null || typeof f.model.id !== 'string') return 'no model';
  if (e.poster !== null && !(e.poster instanceof Blob)) return 'damaged poster';
  return null;
}

/** A short name for an entry in messages: its prompt when readable, else its id. */
export function entryLabel(value: unknown): string {
  const v = value as { id?: unknown; facts?: { params?: { prompt?: unknown } } } | null;
  const prompt = v?.facts?.params?.prompt;
  if (typeof prompt === 'string' && prompt.trim() !== '') return prompt.length > 40 ? `“${prompt.slice(0, 40)}…”` : `“${prompt}”`;
  return typeof v?.id === 'string' ? `entry ${v.id}` : 'an entry without an id';
}
