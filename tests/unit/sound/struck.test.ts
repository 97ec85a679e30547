/** Impact voices, measured: pitch follows size, timbre follows shape, every shape starts equally loud. */
import { describe, expect, it } from 'vitest';
import { SHAPES, type Shape } from '../../../src/sound/cues';
import { SAMPLE_RATE } from '../../../src/sound/pcm';
import { strike, strikePitch } from '../../../src/sound/struck';

const MAX = 3 * SAMPLE_RATE;
const rms = (x: Float32Array, from: number, to: number) => {
  const a = Math.round(from * SAMPLE_RATE);
  const b = Math.min(x.length, Math.round(to * SAMPLE_RATE));
  let s = 0;
  for (let i = a; i < b; i++) s += x[i]! ** 2;
  return b > a ? Math.sqrt(s / (b - a)) : 0;
};

/** Power of `x` at `hz` (a single DFT bin over the first 100 ms, Hann-windowed). */
function powerAt(x: Float32Array, hz: number): number {
  const n = Math.min(x.length, SAMPLE_RATE / 10);
  let re = 0;
  let im = 0;
  for (let t = 0; t < n; t++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * t) / n);
    re += x[t]! * w * Math.cos((2 * Math.PI * hz * t) / SAMPLE_RATE);
    im += x[t]! * w * Math.sin((2 * Math.PI * hz * t) / SAMPLE_RATE);
  }
  return re * re + im * im;
}

/** The strongest frequency between 80 Hz and 4 kHz, on a 5 Hz grid. */
function dominantHz(x: Float32Array): number {
  let best = 80;
  for (let hz = 80; hz <= 4000; hz += 5) if (powerAt(x, hz) > powerAt(x, best)) best = hz;
  return best;
}

describe('strike', () => {
  it('sounds lower for bigger objects: the bar’s fundamental follows strikePitch within 3 %', () => {
    for (const size of [0.08, 0.12, 0.2, 0.3]) {
      const f = dominantHz(strike('circle', size, 1, 1, MAX));
      expect(Math.abs(f - strikePitch(size)) / strikePitch(size), `size ${size}: ${f} Hz`).toBeLessThan(0.03);
    }
    expect(strikePitch(0.3)).toBeLessThan(strikePitch(0.1));
  });

  it('starts every shape equally loud (30 ms RMS = 0.5 × strength) and scales with strength', () => {
    for (const shape of SHAPES) {
      expect(rms(strike(shape, 0.15, 1, 3, MAX), 0, 0.03), shape).toBeCloseTo(0.5, 2);
      expect(rms(strike(shape, 0.15, 0.4, 3, MAX), 0, 0.03), shape).toBeCloseTo(0.2, 2);
    }
  });

  it('gives each shape its own decay: wood block shortest, then sparkle and mallet, bell longest', () => {
    const tail = (shape: Shape) => rms(strike(shape, 0.15, 1, 3, MAX), 0.3, 0.5);
    expect(tail('square')).toBeLessThan(tail('circle'));
    expect(tail('star')).toBeLessThan(tail('circle'));
    expect(tail('circle')).toBeLessThan(tail('triangle'));
    expect(strike('triangle', 0.15, 1, 3, MAX).length).toBeGreaterThan(strike('square', 0.15, 1, 3, MAX).length * 5);
  });

  it('rings a bell’s inharmonic minor third (1.19 × the prime) that the mallet’s bar does not have', () => {
    const p = strikePitch(0.15);
    const bell = strike('triangle', 0.15, 1, 3, MAX);
    const bar = strike('circle', 0.15, 1, 3, MAX);
    expect(powerAt(bell, 1.19 * p) / powerAt(bell, p)).toBeGreaterThan(0.1);
    expect(powerAt(bar, 1.19 * p) / powerAt(bar, p)).toBeLessThan(0.01);
  });

  it('scatters a star’s chimes by seed, and is otherwise deterministic', () => {
    expect(strike('star', 0.15, 1, 5, MAX)).toEqual(strike('star', 0.15, 1, 5, MAX));
    expect(dominantHz(strike('star', 0.15, 1, 5, MAX))).not.toBe(dominantHz(strike('star', 0.15, 1, 6, MAX)));
  });

  it('never runs past maxLength', () => {
    expect(strike('triangle', 0.15, 1, 3, 1000).length).toBe(1000);
  });
});
