/**
 * True-peak level after ITU-R BS.1770-4 Annex 2: the signal is upsampled 4× and the largest absolute value of the
 * upsampled signal is the true peak, which catches the overs a DAC or a lossy decoder makes between samples. The
 * interpolator here is our own windowed sinc (16 taps per phase, Hann window) rather than the Annex's 48-tap table;
 * both reconstruct a band-limited signal to within a few hundredths of a dB below 20 kHz.
 */
import { toDb } from './pcm';

export const OVERSAMPLING = 4;
/** Taps on each side of the interpolated point. */
const HALF_TAPS = 8;

/** Coefficient of input sample k (relative to sample t) for the output at t + phase/4, phase 1…3. */
const PHASES: Float64Array[] = Array.from({ length: OVERSAMPLING - 1 }, (_, p) => {
  const frac = (p + 1) / OVERSAMPLING;
  const taps = new Float64Array(2 * HALF_TAPS);
  let sum = 0;
  for (let j = 0; j < taps.length; j++) {
    const k = j - HALF_TAPS + 1; // input offsets -7 … +8 around t
    const x = frac - k;
    const sinc = Math.sin(Math.PI * x) / (Math.PI * x);
    const window = 0.5 + 0.5 * Math.cos((Math.PI * x) / (HALF_TAPS + 1));
    taps[j] = sinc * window;
    sum += taps[j]!;
  }
  // Unity gain at DC: a constant signal must not read higher than itself.
  for (let j = 0; j < taps.length; j++) taps[j]! /= sum;
  return taps;
});

const [P1, P2, P3] = PHASES as [Float64Array, Float64Array, Float64Array];

/** Sum of |tap| of the largest phase: no interpolated point exceeds this times the largest nearby sample. */
const TAP_GAIN = Math.max(...PHASES.map((taps) => taps.reduce((a, v) => a + Math.abs(v), 0)));

/**
 * For each sample t, the largest absolute value of the 4× upsampled signal on [t, t + 1) (the sample itself and the
 * three points interpolated after it). Edges are padded with zeros. With `below`, samples whose neighbourhood cannot
 * reach `below` skip the interpolation and report their own magnitude (a limiter only needs the peaks near its limit).
 */
export function truePeakEnvelope(x: ArrayLike<number>, below = Infinity): Float32Array {
  const out = new Float32Array(x.length);
  const reach = below < Infinity ? blockReach(x) : null;
  for (let block = 0; block * HALF_TAPS < x.length; block++) {
    const end = Math.min(x.length, (block + 1) * HALF_TAPS);
    const skip = reach !== null && reach[block]! * TAP_GAIN < below;
    for (let t = block * HALF_TAPS; t < end; t++) out[t] = skip ? Math.abs(x[t]!) : interpolatedPeak(x, t);
  }
  return out;
}

/** The largest of |x[t]| and the three points interpolated after it. */
function interpolatedPeak(x: ArrayLike<number>, t: number): number {
  // The three phases in one pass over the taps, each input read once; away from the edges the taps index x
  // directly (a bounds check per tap is most of the cost there).
  const start = t - HALF_TAPS + 1;
  const inside = start >= 0 && start + 2 * HALF_TAPS <= x.length;
  let y1 = 0;
  let y2 = 0;
  let y3 = 0;
  for (let j = 0; j < 2 * HALF_TAPS; j++) {
    const i = start + j;
    const v = inside || (i >= 0 && i < x.length) ? x[i]! : 0;
    y1 += P1[j]! * v;
    y2 += P2[j]! * v;
    y3 += P3[j]! * v;
  }
  return Math.max(Math.abs(x[t]!), Math.abs(y1), Math.abs(y2), Math.abs(y3));
}

/**
 * For each block of HALF_TAPS samples, the largest |x| in it and its two neighbours: every sample an interpolation
 * at a point of the block uses (t − HALF_TAPS + 1 … t + HALF_TAPS) lies there.
 */
function blockReach(x: ArrayLike<number>): Float32Array {
  const blocks = Math.ceil(x.length / HALF_TAPS);
  const own = new Float32Array(blocks);
  for (let i = 0; i < x.length; i++) {
    const b = Math.floor(i / HALF_TAPS);
    own[b] = Math.max(own[b]!, Math.abs(x[i]!));
  }
  const reach = new Float32Array(blocks);
  for (let b = 0; b < blocks; b++) reach[b] = Math.max(own[b - 1] ?? 0, own[b]!, own[b + 1] ?? 0);
  return reach;
}

/** True peak of all `channels` in dBTP (dB relative to full scale, measured on the upsampled signal). */
export function truePeakDb(channels: readonly ArrayLike<number>[]): number {
  let peak = 0;
  for (const c of channels) for (const v of truePeakEnvelope(c)) peak = Math.max(peak, v);
  return toDb(peak);
}
