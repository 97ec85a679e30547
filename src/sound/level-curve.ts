/**
 * A sound's level over time, as a meter shows it: the RMS of both channels in a short window, at regular moments, in
 * dBFS. Plain numbers (silence is the floor, not -Infinity), so the curve crosses the worker boundary and goes into
 * JSON as it is.
 */
import { type StereoPcm, toDb } from './pcm';

/** `db[i]` is the level around `i · hopSeconds` from the start (a window of `windowSeconds` centred there). */
export type LevelCurve = { hopSeconds: number; windowSeconds: number; db: number[] };

/** The level silence reads as: below anything a foley track holds above its noise. */
export const LEVEL_FLOOR_DB = -90;

/**
 * The short-term level of `pcm`: one value every `hopSeconds` from 0 to its end, each the RMS over both channels of
 * the `windowSeconds` around it (cut at the track's ends), rounded to 0.1 dB and floored at LEVEL_FLOOR_DB.
 */
export function levelCurve(pcm: StereoPcm, windowSeconds = 0.05, hopSeconds = 0.025): LevelCurve {
  const { left, right, sampleRate } = pcm;
  const n = left.length;
  // Running sums of the squares of both channels: the energy in [a, b) is energy[b] - energy[a].
  const energy = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) energy[i + 1] = energy[i]! + left[i]! * left[i]! + right[i]! * right[i]!;
  const half = Math.round((windowSeconds * sampleRate) / 2);
  const db: number[] = [];
  for (let k = 0; k * hopSeconds * sampleRate <= n; k++) {
    const centre = Math.round(k * hopSeconds * sampleRate);
    const a = Math.max(0, centre - half);
    const b = Math.min(n, centre + half);
    const meanSquare = b > a ? (energy[b]! - energy[a]!) / (2 * (b - a)) : 0;
    db.push(Math.max(LEVEL_FLOOR_DB, Math.round(toDb(meanSquare, true) * 10) / 10));
  }
  return { hopSeconds, windowSeconds, db };
}
