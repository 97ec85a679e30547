/** True peak (BS.1770-4 Annex 2): the level between samples, which sample peaks miss. */
import { describe, expect, it } from 'vitest';
import { SAMPLE_RATE } from '../../../src/sound/pcm';
import { truePeakDb, truePeakEnvelope } from '../../../src/sound/true-peak';

const sine = (hz: number, amplitude: number, phase: number, length = SAMPLE_RATE) =>
  Float32Array.from({ length }, (_, n) => amplitude * Math.sin((2 * Math.PI * hz * n) / SAMPLE_RATE + phase));

describe('truePeakDb', () => {
  it('finds the full-scale peak of a sine at fs/4 sampled 45° off its crests (sample peak -3.01 dB)', () => {
    const x = sine(SAMPLE_RATE / 4, 1, Math.PI / 4);
    const samplePeak = Math.max(...x.map(Math.abs));
    expect(20 * Math.log10(samplePeak)).toBeCloseTo(-3.01, 2);
    // Our 16-tap interpolator overshoots a little this close to Nyquist: conservative, and within the Annex's spread.
    expect(Math.abs(truePeakDb([x]))).toBeLessThan(0.2);
  });

  it('matches the sample peak where the crests fall on samples, within 0.05 dB across the audio band', () => {
    for (const hz of [100, 997, 5000, 12_000]) {
      const x = sine(hz, 0.5, 0);
      expect(Math.abs(truePeakDb([x]) - 20 * Math.log10(0.5)), `${hz} Hz`).toBeLessThan(0.05);
    }
  });

  it('reads a constant as itself away from the edges, and sees the step to silence at the edges', () => {
    const env = truePeakEnvelope(new Float32Array(1000).fill(-0.5));
    for (const v of env.subarray(20, 980)) expect(v).toBeCloseTo(0.5, 4);
    // The track starts and ends in silence (zero padding): the jump rings above the level, as it will in a player.
    expect(Math.max(...env.subarray(990))).toBeGreaterThan(0.52);
  });

  it('takes the louder channel', () => {
    const quiet = sine(997, 0.25, 0);
    const loud = sine(997, 0.5, 0);
    expect(truePeakDb([quiet, loud])).toBeCloseTo(truePeakDb([loud]), 6);
  });

  it('gives a per-sample envelope at least as high as the samples themselves', () => {
    const x = sine(3000, 0.8, 1);
    const env = truePeakEnvelope(x);
    x.forEach((v, i) => expect(env[i]!).toBeGreaterThanOrEqual(Math.abs(v)));
  });

  it('skips only interpolations that cannot reach `below`: every point at or above it is reported as in full', () => {
    const x = Float32Array.from(sine(997, 0.3, 0), (v, i) => (i % 4800 < 200 ? v * 3 : v)); // bursts up to 0.9
    const full = truePeakEnvelope(x);
    const quick = truePeakEnvelope(x, 0.8);
    let checked = 0;
    full.forEach((v, i) => {
      if (v >= 0.8) { expect(quick[i]).toBe(v); checked++; }
      else expect(quick[i]!).toBeLessThanOrEqual(v + 1e-6);
    });
    expect(checked).toBeGreaterThan(100);
  });
});
