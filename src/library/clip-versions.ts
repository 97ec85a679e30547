/**
 * Library entries stored by older builds, brought up to the current `ClipEntry` in memory each time they are read;
 * the stored record is never rewritten, so nothing is lost if an upgrade turns out wrong. Pure.
 */
import type { ClipFacts, ClipTimings } from '../engine/clip-facts';
import { CLIP_ENTRY_VERSION, type ClipEntry } from './clip-record';

/**
 * Version 1, stored without a `version` field: the clip's facts flat beside its id and date, without the prompt's
 * unknown words, and before posters were timed without `timings.posterSeconds`.
 */
export type ClipEntryV1 = Omit<ClipFacts, 'unknownWords' | 'timings'> & {
  id: string;
  createdAt: number;
  timings: Omit<ClipTimings, 'posterSeconds'> & { posterSeconds?: number };
  poster: Blob | null;
  batchId?: string;
};

/**
 * A stored value as the current `ClipEntry` where it is an older version's; anything else comes back as it is, for
 * `entryProblem` to judge. Fields a damaged entry lacks stay missing (the check then names them); what version 1
 * never kept is filled in as unknown: no unknown words, and a poster time of NaN.
 */
export function upgradeEntry(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || 'version' in value) return value;
  const { id, createdAt, poster, batchId, timings, ...facts } = value as ClipEntryV1;
  const upgraded: ClipEntry = {
    version: CLIP_ENTRY_VERSION,
    id,
    createdAt,
    facts: { ...facts, unknownWords: [], timings: { ...timings, posterSeconds: timings?.posterSeconds ?? Number.NaN } },
    poster,
    ...(batchId !== undefined ? { batchId } : {}),
  };
  return upgraded;
}
