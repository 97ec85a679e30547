/** BS.1770-4 loudness on the standard's and EBU Tech 3341's reference signals. */
import { describe, expect, it } from 'vitest';
import { integratedLoudness, rmsDb } from '../../../src/sound/loudness';
import { SAMPLE_RATE } from '../../../src/sound/pcm';

/** A sine of `hz` at `dbfs` peak, `seconds` long. */
function sine(hz: number, dbfs: number, seconds: number): Float32Array {
  const a = 10 ** (dbfs / 20);
  return Float32Array.from({ length: Math.round(seconds * SAMPLE_RATE) }, (_, n) => a * Math.sin((2 * Math.PI * hz * n) / SAMPLE_RATE));
}

const concat = (...parts: Float32Array[]) => {
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
};

describe('integratedLoudness', () => {
  it('reads a 1 kHz sine at 0 dBFS in one channel as -3.01 LUFS (BS.1770-4 §2.1)', () => {
    const tone = sine(1000, 0, 5);
    expect(integratedLoudness([tone, new Float32Array(tone.length)])).toBeCloseTo(-3.01, 1);
  });

  it('reads a 997 Hz sine at -20 dBFS in both channels as -20.0 LUFS', () => {
    const tone = sine(997, -20, 5);
    expect(Math.abs(integratedLoudness([tone, tone]) + 20)).toBeLessThan(0.05);
  });

  it('passes EBU Tech 3341 cases 1 and 2: 1 kHz stereo at -23 and -33 dBFS read -23.0 and -33.0', () => {
    for (const level of [-23, -33]) {
      const tone = sine(1000, level, 20);
      expect(Math.abs(integratedLoudness([tone, tone]) - level)).toBeLessThan(0.1);
    }
  });

  it('gates relatively (EBU 3341 case 3: -36 / -23 / -36 dBFS for 10 / 60 / 10 s reads -23.0)', () => {
    const signal = concat(sine(1000, -36, 10), sine(1000, -23, 60), sine(1000, -36, 10));
    expect(Math.abs(integratedLoudness([signal, signal]) + 23)).toBeLessThan(0.1);
  });

  it('gates absolutely (EBU 3341 case 4: -72 / -36 / -23 / -36 / -72 dBFS reads -23.0; silence does not count)', () => {
    const case4 = concat(sine(1000, -72, 10), sine(1000, -36, 10), sine(1000, -23, 60), sine(1000, -36, 10), sine(1000, -72, 10));
    expect(Math.abs(integratedLoudness([case4, case4]) + 23)).toBeLessThan(0.1);
    // Only the few blocks that straddle the silence's edges (above both gates) pull the reading down a little.
    const withSilence = concat(new Float32Array(5 * SAMPLE_RATE), sine(1000, -23, 60), new Float32Array(5 * SAMPLE_RATE));
    expect(Math.abs(integratedLoudness([withSilence, withSilence]) + 23)).toBeLessThan(0.1);
  });

  it('weights frequencies by K-weighting: 100 Hz reads lower and 5 kHz higher than 1 kHz at the same level', () => {
    const at = (hz: number) => { const t = sine(hz, -20, 3); return integratedLoudness([t, t]); };
    expect(at(100)).toBeLessThan(at(1000) - 0.3);
    expect(at(5000)).toBeGreaterThan(at(1000) + 3);
  });

  it('is -Infinity for silence and for tracks shorter than one 400 ms block', () => {
    expect(integratedLoudness([new Float32Array(SAMPLE_RATE), new Float32Array(SAMPLE_RATE)])).toBe(-Infinity);
    const short = sine(1000, 0, 0.3);
    expect(integratedLoudness([short, short])).toBe(-Infinity);
  });

  it('refuses other sample rates (its filters are tabulated for 48 kHz)', () => {
    expect(() => integratedLoudness([new Float32Array(44_100)], 44_100)).toThrow(/48000/);
  });
});

describe('rmsDb', () => {
  it('reads a full-scale sine as -3.01 dBFS and a half-scale square wave as -6.02', () => {
    const tone = sine(1000, 0, 1);
    expect(rmsDb([tone, tone])).toBeCloseTo(-3.01, 2);
    const square = Float32Array.from({ length: 4800 }, (_, n) => (n % 48 < 24 ? 0.5 : -0.5));
    expect(rmsDb([square])).toBeCloseTo(-6.02, 2);
  });
});
