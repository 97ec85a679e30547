/** The continuous voices, measured from their output: level, brightness, pitch and pulse follow their cues. */
import { describe, expect, it } from 'vitest';
import { rmsDb } from '../../../src/sound/loudness';
import { SAMPLE_RATE } from '../../../src/sound/pcm';
import { glide, levelFor, ROOM_TONE_DB, roomTone, whirr, whoosh } from '../../../src/sound/voices';

const constant = (value: number, seconds = 1) => new Float32Array(Math.round(seconds * SAMPLE_RATE)).fill(value);
/** Skip the first 100 ms, where the control glides in. */
const settled = (x: Float32Array) => x.subarray(SAMPLE_RATE / 10);

/** Spectral centroid (Hz) from a 4096-point DFT magnitude of the middle of `x`. */
function centroid(x: Float32Array): number {
  const n = 4096;
  const from = (x.length - n) >> 1;
  let num = 0;
  let den = 0;
  for (let k = 1; k < n / 2; k += 2) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < n; t++) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * t) / n);
      re += x[from + t]! * w * Math.cos((2 * Math.PI * k * t) / n);
      im -= x[from + t]! * w * Math.sin((2 * Math.PI * k * t) / n);
    }
    const mag = Math.hypot(re, im);
    num += mag * ((k * SAMPLE_RATE) / n);
    den += mag;
  }
  return num / den;
}

/** Upward zero crossings per second over [from, to) seconds: the pitch of a tone dominated by its fundamental. */
function crossingsPerSecond(x: Float32Array, from: number, to: number): number {
  let count = 0;
  const a = Math.round(from * SAMPLE_RATE);
  const b = Math.round(to * SAMPLE_RATE);
  for (let i = a + 1; i < b; i++) if (x[i - 1]! < 0 && x[i]! >= 0) count++;
  return count / (to - from);
}

describe('levelFor', () => {
  it('maps level 1 to 1 and 0 to 0, rises monotonically, and compresses: twice the rate is under +2 dB', () => {
    expect(levelFor(1)).toBe(1);
    expect(levelFor(0)).toBe(0);
    const rates = [0, 0.05, 0.2, 0.35, 0.5, 1, 2, 4, 10];
    rates.slice(1).forEach((r, i) => expect(levelFor(r)).toBeGreaterThanOrEqual(levelFor(rates[i]!)));
    expect(20 * Math.log10(levelFor(2) / levelFor(1))).toBeLessThan(2);
    expect(levelFor(0.05)).toBeLessThan(0.05); // a drift is all but silent
  });
});

describe('whoosh', () => {
  it('is silent with no motion and louder and brighter the faster things move', () => {
    expect(Math.max(...whoosh(constant(0), 1).map(Math.abs))).toBe(0);
    const [slow, steady, fast] = [0.6, 1, 1.6].map((m) => settled(whoosh(constant(m), 1)));
    expect(rmsDb([steady!]) - rmsDb([slow!])).toBeGreaterThan(0.3);
    expect(rmsDb([fast!]) - rmsDb([steady!])).toBeGreaterThan(0.3);
    expect(centroid(fast!)).toBeGreaterThan(centroid(slow!) * 1.2);
  });

  it('is the same for the same seed and different for another', () => {
    expect(whoosh(constant(1, 0.2), 7)).toEqual(whoosh(constant(1, 0.2), 7));
    expect(whoosh(constant(1, 0.2), 8)).not.toEqual(whoosh(constant(1, 0.2), 7));
  });
});

describe('whirr', () => {
  it('rises in pitch with the rotation rate', () => {
    const slow = settled(whirr(constant(1, 2), 4, 1));
    const fast = settled(whirr(constant(3, 2), 4, 1));
    expect(centroid(fast)).toBeGreaterThan(centroid(slow));
  });

  it('pulses once per corner passing: a square at 2π rad/s beats 4 times a second', () => {
    const x = settled(whirr(constant(2 * Math.PI, 3), 4, 1));
    // Envelope in 10 ms windows, then the strongest modulation frequency between 1 and 10 Hz.
    const env = Array.from({ length: Math.floor(x.length / 480) }, (_, w) => Math.sqrt(x.subarray(w * 480, w * 480 + 480).reduce((a, v) => a + v * v, 0) / 480));
    const m = env.reduce((a, v) => a + v, 0) / env.length;
    const power = (hz: number) => {
      let re = 0, im = 0;
      env.forEach((v, i) => { re += (v - m) * Math.cos(2 * Math.PI * hz * i * 0.01); im += (v - m) * Math.sin(2 * Math.PI * hz * i * 0.01); });
      return re * re + im * im;
    };
    const candidates = Array.from({ length: 91 }, (_, i) => 1 + i * 0.1);
    const best = candidates.reduce((a, b) => (power(b) > power(a) ? b : a));
    expect(best).toBeCloseTo(4, 0);
  });
});

describe('glide', () => {
  it('rises in pitch while the object grows and falls while it shrinks, silent when the size holds', () => {
    const n = 2 * SAMPLE_RATE;
    const growing = Float32Array.from({ length: n }, (_, i) => 0.08 + (0.12 * i) / n);
    const up = glide(constant(0.5, 2), growing);
    expect(crossingsPerSecond(up, 1.6, 1.9)).toBeGreaterThan(1.5 * crossingsPerSecond(up, 0.1, 0.4));
    const down = glide(constant(-0.5, 2), growing.reverse());
    expect(crossingsPerSecond(down, 1.6, 1.9)).toBeLessThan(crossingsPerSecond(down, 0.1, 0.4) / 1.5);
    expect(Math.max(...glide(constant(0, 1), constant(0.1)).map(Math.abs))).toBe(0);
  });
});

describe('roomTone', () => {
  it(`sits at ${ROOM_TONE_DB} dBFS RMS, different noise for different seeds`, () => {
    const a = roomTone(2 * SAMPLE_RATE, 1);
    expect(Math.abs(rmsDb([settled(a)]) - ROOM_TONE_DB)).toBeLessThan(0.5);
    expect(roomTone(1000, 2)).not.toEqual(a.subarray(0, 1000));
  });
});
