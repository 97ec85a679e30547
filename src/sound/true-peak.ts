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

/** Sum of |tap| of the largest phase: no interpolated point exceeds this times the largest nearby sample. */
export const TAP_GAIN = Math.max(...PHASES.map((taps) => taps.reduce((a, v) => a + Math.abs(v), 0)));

/**
 * For each sample t, the largest absolute value of the 4× upsampled signal on [t, t + 1) (the sample itself and the
 * three points interpolated after it). Edges are padded with zeros. With `below`, samples whose neighbourhood cannot
 * reach `below` skip the interpolation and report their own magnitude (a limiter only needs the peaks near its limit).
 */
export function truePeakEnvelope(x: ArrayLike<number>, below = Infinity): Float32Array {
  const out = new Float32Array(x.length);
  const at = (i: number) => (i >= 0 && i < x.length ? x[i]! : 0);
  const near = below < Infinity ? slidingMaxAbs(x, HALF_TAPS) : null;
  const taps = 2 * HALF_TAPS;
  for (let t = 0; t < x.length; t++) {
    let peak = Math.abs(x[t]!);
    if (near && near[t]! * TAP_GAIN < below) {
      out[t] = peak;
      continue;
    }
    // Away from the edges the taps index x directly (the bounds check of `at` is most of the cost).
    const start = t - HALF_TAPS + 1;
    const inside = start >= 0 && start + taps <= x.length;
    for (const phase of PHASES) {
      let y = 0;
      if (inside) for (let j = 0; j < taps; j++) y += phase[j]! * x[start + j]!;
      else for (let j = 0; j < taps; j++) y += phase[j]! * at(start + j);
      peak = Math.max(peak, Math.abs(y));
    }
    out[t] = peak;
  }
  return out;
}

/** Largest |x| over [t − half + 1, t + half] for each t: the samples an interpolation at t uses. */
function slidingMaxAbs(x: ArrayLike<number>, half: number): Float32Array {
  const out = new Float32Array(x.length);
  // Blocks of 2·half: the maximum over a window is that of at most two neighbouring blocks' suffix/prefix maxima.
  const blockMax: number[] = [];
  for (let b = 0; b * half < x.length; b++) {
    let m = 0;
    for (let i = b * half; i < Math.min(x.length, (b + 1) * half); i++) m = Math.max(m, Math.abs(x[i]!));
    blockMax.push(m);
  }
  for (let t = 0; t < x.length; t++) {
    // The window spans at most three blocks of `half` samples.
    const first = Math.max(0, Math.floor((t - half + 1) / half));
    const last = Math.min(blockMax.length - 1, Math.floor((t + half) / half));
    let m = 0;
    for (let b = first; b <= last; b++) m = Math.max(m, blockMax[b]!);
    out[t] = m;
  }
  return out;
}

/** True peak of all `channels` in dBTP (dB relative to full scale, measured on the upsampled signal). */
export function truePeakDb(channels: readonly ArrayLike<number>[]): number {
  let peak = 0;
  for (const c of channels) for (const v of truePeakEnvelope(c)) peak = Math.max(peak, v);
  return toDb(peak);
}
