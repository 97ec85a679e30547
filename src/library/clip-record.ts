/**
 * What the Library keeps of a finished clip. A clip is two records under one id: `ClipEntry` (settings, model,
 * timings and a small poster: what the grid needs) and its video bytes, stored apart so listing 200 clips never
 * reads a video. Pure: types, the entry of a finished run, and the check that tells a damaged entry from a good one.
 */
import type { GenerateParams } from '../engine/types';
import type { RunResult } from '../store/run-slice';

export type ClipEntry = {
  /** Random UUID; also the key of the video record. */
  id: string;
  /** When the clip finished (ms since the epoch); the grid is newest first. */
  createdAt: number;
  params: GenerateParams;
  container: 'mp4' | 'webm';
  mimeType: string;
  codec: string;
  fileName: string;
  /** Video bytes. */
  size: number;
  width: number;
  height: number;
  frameCount: number;
  model: { id: string; name: string; manifestSha256: string };
  backend: string;
  timings: { totalSeconds: number; modelSeconds: number; encodeSeconds: number };
  /** Still image for the grid (JPEG/WebP); null when none could be made. */
  poster: Blob | null;
  /** Set on clips made by one Variations run. */
  batchId?: string;
};

/** What the Library keeps of a finished run (its video is stored apart); `batchId` for a clip of Variations. */
export function entryFromResult(result: RunResult, id: string, createdAt: number, batchId?: string): ClipEntry {
  return {
    id,
    createdAt,
    params: result.params,
    container: result.container,
    mimeType: result.mimeType,
    codec: result.codec,
    fileName: result.fileName,
    size: result.size,
    width: result.width,
    height: result.height,
    frameCount: result.frameCount,
    model: result.model,
    backend: result.backend,
    timings: result.timings,
    poster: result.poster,
    ...(batchId !== undefined ? { batchId } : {}),
  };
}

/** The stored video of one clip. */
export type ClipVideo = { id: string; video: Blob };

const PARAM_FIELDS = ['seed', 'steps', 'guidanceScale', 'frames', 'fps', 'outputSize'] as const;

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/**
 * Why a stored value is not a usable ClipEntry (the first problem found), or null when it is one. Entries written
 * by an older or broken build, or damaged on disk, are skipped with this reason instead of breaking the grid.
 */
export function entryProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const e = value as Partial<ClipEntry>;
  if (typeof e.id !== 'string' || e.id === '') return 'no id';
  if (!isFiniteNumber(e.createdAt)) return 'no date';
  const p = e.params as Partial<GenerateParams> | undefined;
  if (typeof p !== 'object' || p === null) return 'no settings';
  if (typeof p.prompt !== 'string') return 'no prompt';
  for (const f of PARAM_FIELDS) if (!isFiniteNumber(p[f])) return `settings.${f} is missing`;
  if (e.container !== 'mp4' && e.container !== 'webm') return 'unknown container';
  if (!isFiniteNumber(e.size) || !isFiniteNumber(e.width) || !isFiniteNumber(e.height)) return 'no size';
  if (typeof e.model !== 'object' || e.model === null || typeof e.model.id !== 'string') return 'no model';
  if (e.poster !== null && !(e.poster instanceof Blob)) return 'damaged poster';
  return null;
}

/** A short name for an entry in messages: its prompt when readable, else its id. */
export function entryLabel(value: unknown): string {
  const v = value as { id?: unknown; params?: { prompt?: unknown } } | null;
  const prompt = v?.params?.prompt;
  if (typeof prompt === 'string' && prompt.trim() !== '') return prompt.length > 40 ? `“${prompt.slice(0, 40)}…”` : `“${prompt}”`;
  return typeof v?.id === 'string' ? `entry ${v.id}` : 'an entry without an id';
}
