/** The limiter holds every track under -1 dBTP and leaves what is already under it alone. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/engine/rng';
import { limitTruePeak, TRUE_PEAK_CEILING_DB } from '../../../src/sound/limiter';
import { SAMPLE_RATE, type StereoPcm } from '../../../src/sound/pcm';
import { truePeakDb } from '../../../src/sound/true-peak';

function noise(seed: number, amplitude: number, seconds = 1): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: seconds * SAMPLE_RATE }, () => amplitude * rng.nextGaussian());
}

const pcm = (left: Float32Array, right: Float32Array): StereoPcm => ({ sampleRate: SAMPLE_RATE, left, right });

describe('limitTruePeak', () => {
  it('brings noise 12 dB over full scale under -1 dBTP', () => {
    const out = limitTruePeak(pcm(noise(1, 1.2), noise(2, 1.2)));
    expect(truePeakDb([out.left, out.right])).toBeLessThanOrEqual(TRUE_PEAK_CEILING_DB);
  });

  it('catches inter-sample overs: a sine at fs/4 whose samples sit at -0.5 dBFS but whose crests are at +2.5', () => {
    const a = 10 ** (2.5 / 20);
    const x = Float32Array.from({ length: SAMPLE_RATE }, (_, n) => a * Math.sin((Math.PI / 2) * n + Math.PI / 4));
    const out = limitTruePeak(pcm(x, x));
    expect(truePeakDb([out.left, out.right])).toBeLessThanOrEqual(TRUE_PEAK_CEILING_DB);
  });

  it('limits a sudden click without clicking itself: the gain moves smoothly and recovers', () => {
    const x = noise(3, 0.05);
    x[SAMPLE_RATE / 2] = 3; // a spike 36 dB above the noise
    const out = limitTruePeak(pcm(x, Float32Array.from(x)));
    expect(truePeakDb([out.left])).toBeLessThanOrEqual(TRUE_PEAK_CEILING_DB);
    const gain = Array.from(out.left, (v, i) => (Math.abs(x[i]!) > 1e-3 ? v / x[i]! : NaN)).filter((g) => !Number.isNaN(g));
    // Over 2 ms of look-ahead the gain falls ~30 dB: per-sample steps stay a small fraction of that.
    for (let i = 1; i < gain.length; i++) expect(Math.abs(gain[i]! - gain[i - 1]!)).toBeLessThan(0.1);
    // Half a second (six release time constants) later the gain is back to unity.
    expect(out.left[SAMPLE_RATE - 1]! / x[SAMPLE_RATE - 1]!).toBeCloseTo(1, 2);
  });

  it('leaves a track already under the ceiling exactly as it was, and links the channels', () => {
    const quiet = pcm(noise(4, 0.1), noise(5, 0.1));
    const out = limitTruePeak(quiet);
    expect(out.left).toEqual(quiet.left);
    expect(out.right).toEqual(quiet.right);
    // One loud channel turns both down together, so the stereo image does not lean.
    const loud = limitTruePeak(pcm(noise(6, 1.5), noise(7, 0.1)));
    const ratio = (i: number) => loud.right[i]! / noise(7, 0.1)[i]!;
    expect(ratio(SAMPLE_RATE / 2)).toBeLessThan(0.9);
  });
});
