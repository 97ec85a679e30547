/** Small signal-processing pieces the voices share: a state-variable filter, noise, smoothing. */
import { Rng } from '../engine/rng';
import { SAMPLE_RATE } from './pcm';

/**
 * The topology-preserving state-variable filter (Zavalishin, "The Art of VA Filter Design", 2012, ch. 4): stable
 * while its centre moves, which the whoosh needs. `process` returns the band-pass output normalised to unity gain at
 * the centre frequency.
 */
export class StateVariableFilter {
  private ic1 = 0;
  private ic2 = 0;
  private a1 = 0;
  private a2 = 0;
  private a3 = 0;
  private k: number;

  constructor(q: number) {
    this.k = 1 / q;
  }

  /** Moves the centre frequency; callers do it every CONTROL_BLOCK samples, not every sample (tan is costly). */
  tune(centreHz: number): void {
    const g = Math.tan((Math.PI * Math.min(centreHz, 0.45 * SAMPLE_RATE)) / SAMPLE_RATE);
    this.a1 = 1 / (1 + g * (g + this.k));
    this.a2 = g * this.a1;
    this.a3 = g * this.a2;
  }

  process(x: number): number {
    const v3 = x - this.ic2;
    const v1 = this.a1 * this.ic1 + this.a2 * v3;
    const v2 = this.ic2 + this.a2 * this.ic1 + this.a3 * v3;
    this.ic1 = 2 * v1 - this.ic1;
    this.ic2 = 2 * v2 - this.ic2;
    return this.k * v1;
  }
}

/** Samples between updates of a voice's pitch and filter (0.33 ms: far finer than any cue moves). */
export const CONTROL_BLOCK = 16;

/**
 * Uniform white noise in [-1, 1), `length` samples from `seed` (the same on every machine: engine/rng.ts). 32 random
 * bits a sample, not the 53 of `nextFloat`: a float32 sample holds 24, and half the generator calls is a tenth of
 * the foley's time.
 */
export function whiteNoise(seed: number, length: number): Float32Array {
  const bits = new Rng(seed).fillUint32(new Uint32Array(length));
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = bits[i]! / 2147483648 - 1;
  return out;
}

/** A one-pole smoother with time constant `seconds`, in place: control curves stop zippering. */
export function smooth(signal: Float32Array, seconds: number): Float32Array {
  const a = 1 - Math.exp(-1 / (seconds * SAMPLE_RATE));
  let y = signal[0] ?? 0;
  for (let i = 0; i < signal.length; i++) signal[i] = y += (signal[i]! - y) * a;
  return signal;
}

/** 0 below 0, 1 above 1, a smooth S between (3t² − 2t³). */
export const smoothstep = (t: number) => (t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t));

/** A separate, reproducible seed for each voice of one clip, so adding a voice does not change the others' noise. */
export function voiceSeed(seed: number, voice: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) + voice * 0x632be5ab) >>> 0;
}
