/**
 * Measurements along an object's track (detector.ts `trackObject`), shared by the evaluation's motion classifier
 * (motion.ts) and the foley's cues (sound/events.ts): local line fits, frames without an object filled in, the
 * outline's angle unwrapped, and velocity reversals (a bounce).
 */
import type { ObjectTrack } from './detector';

/** Corners of each shape's outline: its orientation repeats every 2π/corners (circles have none). */
export const CORNERS: Record<string, number> = { triangle: 3, square: 4, star: 5 };

/**
 * Least-squares line through `values` over frames [i − half, i + half] (clipped to the clip): its slope per frame and
 * the RMS distance of the values from it.
 */
export function fit(values: Float64Array, i: number, half: number): { slope: number; residual: number } {
  const lo = Math.max(0, i - half);
  const hi = Math.min(values.length - 1, i + half);
  if (hi === lo) return { slope: 0, residual: 0 };
  const count = hi - lo + 1;
  let mt = 0, mv = 0;
  for (let t = lo; t <= hi; t++) { mt += t; mv += values[t]!; }
  mt /= count;
  mv /= count;
  let num = 0, den = 0;
  for (let t = lo; t <= hi; t++) { num += (t - mt) * (values[t]! - mv); den += (t - mt) ** 2; }
  const slope = num / den;
  let sq = 0;
  for (let t = lo; t <= hi; t++) sq += (values[t]! - mv - slope * (t - mt)) ** 2;
  return { slope, residual: Math.sqrt(sq / count) };
}

/** Fills frames without an object by linear interpolation between their neighbours (held at the ends). */
export function filled(values: (number | null)[]): Float64Array {
  const out = new Float64Array(values.length);
  const known = values.flatMap((v, i) => (v === null ? [] : [i]));
  values.forEach((v, i) => {
    if (v !== null) return void (out[i] = v);
    const before = known.filter((k) => k < i).at(-1);
    const after = known.find((k) => k > i);
    if (before === undefined) out[i] = values[after!]!;
    else if (after === undefined) out[i] = values[before]!;
    else out[i] = values[before]! + ((values[after]! - values[before]!) * (i - before)) / (after - before);
  });
  return out;
}

/** An angle sequence with the 2π/k jumps of a k-fold outline removed. */
function unwrap(angles: Float64Array, period: number): Float64Array {
  const out = Float64Array.from(angles);
  for (let i = 1; i < out.length; i++) {
    const d = angles[i]! - angles[i - 1]!;
    out[i] = out[i - 1]! + d - period * Math.round(d / period);
  }
  return out;
}

/**
 * The outline's orientation in every frame (radians, gaps filled), continuous across its 2π/k symmetry, so a turning
 * object's angle grows along a line; null for a circle, which has no orientation.
 */
export function unwrappedAngles(track: ObjectTrack): Float64Array | null {
  const k = CORNERS[track.shape];
  return k ? unwrap(filled(track.samples.map((s) => s?.angle ?? null)), (2 * Math.PI) / k) : null;
}

/** A turn of velocity at frame `frame`: mean steps `before` and `after` it, and where the two straight paths meet. */
export type Reversal = { frame: number; contact: number; before: number; after: number };

/**
 * Velocity reversals along one axis of positions `p`: the mean step over the two frame steps before a frame and over
 * the two after point opposite ways, every one of those steps the way of its mean and the means at least `minStep`
 * (a side with only one step must be twice as fast). `contact` is where the incoming and outgoing straight paths
 * meet (between frames).
 */
export function velocityReversals(p: Float64Array, minStep: number): Reversal[] {
  const v = (i: number) => p[i]! - p[i - 1]!; // the step into frame i
  const out: Reversal[] = [];
  for (let i = 1; i < p.length - 1; i++) {
    // Frame i is the turning point: steps i−1, i lead into it and i+1, i+2 out of it, where they exist.
    const before = [i - 1, i].filter((j) => j >= 1).map(v);
    const after = [i + 1, i + 2].filter((j) => j < p.length).map(v);
    const vb = before.reduce((a, b) => a + b, 0) / before.length;
    const va = after.reduce((a, b) => a + b, 0) / after.length;
    const steady = (vs: number[], mean: number) =>
      vs.every((u) => Math.sign(u) === Math.sign(mean)) && Math.abs(mean) >= minStep * (vs.length === 1 ? 2 : 1);
    if (Math.sign(vb) === Math.sign(va) || !steady(before, vb) || !steady(after, va)) continue;
    // Where the incoming path p[i−1] + vb·(t − i + 1) meets the outgoing one p[i+1] + va·(t − i − 1).
    const t = (p[i + 1]! - p[i - 1]! + vb * (i - 1) - va * (i + 1)) / (vb - va);
    out.push({ frame: i, contact: Math.min(i + 1, Math.max(i - 1, t)), before: vb, after: va });
  }
  return out;
}
