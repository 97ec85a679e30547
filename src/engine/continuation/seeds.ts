/**
 * A seed for every window of a clip, derived from the clip's seed, so that a long clip is as reproducible as a short
 * one and no two windows draw the same noise. The first window of the first stream keeps the clip's seed: a clip
 * made from text alone starts with exactly the frames a one-window clip of that seed has.
 */

/** The streams a clip draws windows from: the clip's own windows, the frame-rate doubling pass, replacement noise. */
export const SEED_STREAMS = { windows: 0, doubling: 1, replacement: 2 } as const;
export type SeedStream = keyof typeof SEED_STREAMS;

/** SplitMix32's finaliser: a bijection of 32-bit integers that spreads every input bit over the output. */
function mix(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** The seed of window `index` of `stream` in a clip of seed `clipSeed` (a 32-bit unsigned integer). */
export function windowSeed(clipSeed: number, stream: SeedStream, index: number): number {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`A window index is a whole number ≥ 0 (got ${index}).`);
  const s = SEED_STREAMS[stream];
  if (s === 0 && index === 0) return clipSeed >>> 0;
  // Each (stream, index) pair is a distinct 32-bit key for index < 2^30; mixing it with the clip's seed twice keeps
  // neighbouring windows' seeds unrelated.
  return mix(mix(clipSeed >>> 0) ^ mix(((s << 30) | index) >>> 0) ^ 0x9e3779b9);
}
