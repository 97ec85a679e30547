/** The short-term level curve: a meter's reading of known signals, at the moments it says. */
import { describe, expect, it } from 'vitest';
import { LEVEL_FLOOR_DB, levelCurve } from '../../../src/sound/level-curve';
import { rmsDb } from '../../../src/sound/loudness';
import { SAMPLE_RATE, silence } from '../../../src/sound/pcm';

/** A 1 kHz sine at `dbfs` peak in both channels from `from` to `to` seconds, silence elsewhere, `seconds` long. */
function burst(seconds: number, from: number, to: number, dbfs: number) {
  const pcm = silence(Math.round(seconds * SAMPLE_RATE));
  const a = 10 ** (dbfs / 20);
  for (let n = Math.round(from * SAMPLE_RATE); n < Math.round(to * SAMPLE_RATE); n++) {
    pcm.left[n] = pcm.right[n] = a * Math.sin((2 * Math.PI * 1000 * n) / SAMPLE_RATE);
  }
  return pcm;
}

describe('levelCurve', () => {
  it('has one value per hop from 0 to the end', () => {
    const curve = levelCurve(silence(2 * SAMPLE_RATE));
    expect(curve).toMatchObject({ hopSeconds: 0.025, windowSeconds: 0.05 });
    expect(curve.db).toHaveLength(81);
  });

  it('reads silence as the floor, and a steady sine as its RMS (peak − 3.01 dB), as rmsDb does', () => {
    expect(new Set(levelCurve(silence(SAMPLE_RATE)).db)).toEqual(new Set([LEVEL_FLOOR_DB]));
    const tone = burst(1, 0, 1, -12);
    const inner = levelCurve(tone).db.slice(2, -2);
    for (const v of inner) expect(Math.abs(v - rmsDb([tone.left, tone.right]))).toBeLessThan(0.2);
    expect(Math.abs(inner[0]! - -15.01)).toBeLessThan(0.2);
  });

  it('rises where a burst sounds and nowhere else, within one window', () => {
    const { db, hopSeconds, windowSeconds } = levelCurve(burst(2, 0.8, 1.2, -6));
    const loud = db.flatMap((v, i) => (v > -40 ? [i * hopSeconds] : []));
    expect(Math.min(...loud)).toBeGreaterThanOrEqual(0.8 - windowSeconds / 2);
    expect(Math.max(...loud)).toBeLessThanOrEqual(1.2 + windowSeconds / 2);
    expect(Math.max(...db)).toBeCloseTo(-9, 0);
  });
});
