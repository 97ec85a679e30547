/** 48 → 32 kHz for MP4's AAC (src/sound/resample.ts): the band AAC keeps passes, what would fold over is stopped. */
import { describe, expect, it } from 'vitest';
import { SAMPLE_RATE, type StereoPcm } from '../../../src/sound/pcm';
import { AAC_SAMPLE_RATE, resampleTo32kHz } from '../../../src/sound/resample';

const sine = (hz: number, n: number, phase = 0) => Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * hz * i) / SAMPLE_RATE + phase));
const stereo = (left: Float32Array, right = left): StereoPcm => ({ sampleRate: SAMPLE_RATE, left, right });

/** The gain, in dB, of a sine of `hz` through the resampler: output RMS over input RMS, away from the ends. */
function gainDb(hz: number): number {
  const out = resampleTo32kHz(stereo(sine(hz, SAMPLE_RATE, 0.3))).left.subarray(1000, AAC_SAMPLE_RATE - 1000);
  const rms = Math.sqrt(out.reduce((a, v) => a + v * v, 0) / out.length);
  return 20 * Math.log10(rms / Math.SQRT1_2);
}

/** Power of `x` (at 32 kHz) at `hz`: one DFT bin. */
function powerAt(x: Float32Array, hz: number): number {
  let re = 0;
  let im = 0;
  for (let i = 0; i < x.length; i++) {
    re += x[i]! * Math.cos((2 * Math.PI * hz * i) / AAC_SAMPLE_RATE);
    im += x[i]! * Math.sin((2 * Math.PI * hz * i) / AAC_SAMPLE_RATE);
  }
  return (re * re + im * im) / x.length ** 2;
}

describe('resampleTo32kHz', () => {
  it('gives two samples for every three, at 32 kHz, each channel its own', () => {
    const out = resampleTo32kHz(stereo(sine(440, 4800), new Float32Array(4800)));
    expect(out.sampleRate).toBe(AAC_SAMPLE_RATE);
    expect(out.left.length).toBe(3200);
    expect(out.right.length).toBe(3200);
    expect(out.right.every((v) => v === 0)).toBe(true);
    expect(resampleTo32kHz(stereo(new Float32Array(7))).left.length).toBe(5);
  });
  it('passes the band up to 12 kHz flat and keeps each tone at its frequency', () => {
    for (const hz of [50, 1000, 5000, 10000, 12000]) expect(Math.abs(gainDb(hz))).toBeLessThan(0.2);
    // A constant stays itself away from the ends (the taps sum to one).
    const dc = resampleTo32kHz(stereo(new Float32Array(960).fill(0.5))).left;
    for (let i = 20; i < dc.length - 20; i++) expect(dc[i]).toBeCloseTo(0.5, 5);
    const out = resampleTo32kHz(stereo(sine(3000, SAMPLE_RATE))).left;
    expect(powerAt(out, 3000)).toBeGreaterThan(1e4 * powerAt(out, 2000));
  });
  it('stops what would fold back into the band: 40 dB down from 18 kHz', () => {
    // At 32 kHz a tone of f > 16 kHz would come back at 32 − f kHz.
    for (const hz of [18000, 20000, 23000]) expect(gainDb(hz)).toBeLessThan(-40);
  });
  it('takes only 48 kHz sound', () => {
    expect(() => resampleTo32kHz({ sampleRate: 44_100, left: new Float32Array(3), right: new Float32Array(3) })).toThrow(RangeError);
  });
});
