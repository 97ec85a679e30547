/** Joining shot tracks into a film's one track: a cut starts fresh, a crossfade overlaps with equal power. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/engine/rng';
import { joinShotTracks } from '../../../src/sound/film-join';
import { rmsDb } from '../../../src/sound/loudness';
import { SAMPLE_RATE, samplesForFrames, type StereoPcm } from '../../../src/sound/pcm';
import { truePeakDb } from '../../../src/sound/true-peak';

const FPS = 8;
const FRAME = SAMPLE_RATE / FPS;

function noiseShot(seed: number, frames: number, amplitude = 0.1): StereoPcm {
  const rng = new Rng(seed);
  const n = samplesForFrames(frames, FPS);
  return {
    sampleRate: SAMPLE_RATE,
    left: Float32Array.from({ length: n }, () => amplitude * rng.nextGaussian()),
    right: Float32Array.from({ length: n }, () => amplitude * rng.nextGaussian()),
  };
}

describe('joinShotTracks', () => {
  const a = noiseShot(1, 16);
  const b = noiseShot(2, 16);

  it('at a cut, plays shot A then starts shot B fresh: the film is as long as both, nothing carries over', () => {
    const film = joinShotTracks([a, b], [{ kind: 'cut' }], FPS);
    expect(film.left.length).toBe(a.left.length + b.left.length);
    // Away from the 3 ms de-click fades, each half is its shot unchanged.
    const declick = 0.003 * SAMPLE_RATE;
    for (const i of [0, 1000, a.left.length - declick - 1]) expect(film.left[i]).toBe(a.left[i]);
    for (const i of [declick, 5000, b.left.length - 1]) expect(film.right[a.left.length + i]).toBe(b.right[i]);
    // The fades reach zero at the join, so the cut does not click.
    expect(Math.abs(film.left[a.left.length - 1]!)).toBeLessThan(0.01);
    expect(Math.abs(film.left[a.left.length]!)).toBeLessThan(0.01);
  });

  it('over an N-frame crossfade, overlaps the shots by N frames and keeps the loudness steady through the join', () => {
    const film = joinShotTracks([a, b], [{ kind: 'crossfade', frames: 4 }], FPS);
    expect(film.left.length).toBe(a.left.length + b.left.length - 4 * FRAME);
    // Equal-power fades: two unrelated noises at the same level stay at that level across the overlap.
    const start = a.left.length - 4 * FRAME;
    const level = (from: number) => rmsDb([film.left.subarray(from, from + FRAME / 2), film.right.subarray(from, from + FRAME / 2)]);
    const before = level(start - FRAME);
    for (let k = 0; k < 8; k++) expect(Math.abs(level(start + (k * FRAME) / 2) - before), `half-frame ${k}`).toBeLessThan(1);
    // In the middle of the overlap both shots are heard at about -3 dB each.
    const mid = start + 2 * FRAME;
    const expected = (a.left[mid]! + b.left[mid - start]!) * Math.SQRT1_2;
    expect(film.left[mid]!).toBeCloseTo(expected, 2);
  });

  it('joins three shots with mixed joins and holds the result under -1 dBTP even when the overlap adds up', () => {
    const loud = [noiseShot(3, 8, 0.25), noiseShot(3, 16, 0.25), noiseShot(4, 8, 0.25)];
    // Shots 0 and 1 start with the same noise: in their overlap the sum is correlated and would peak +3 dB.
    const film = joinShotTracks(loud, [{ kind: 'crossfade', frames: 8 }, { kind: 'cut' }], FPS);
    expect(film.left.length).toBe(samplesForFrames(8 + 16 - 8 + 8, FPS));
    expect(truePeakDb([film.left, film.right])).toBeLessThanOrEqual(-1);
  });

  it('names the mistake: wrong number of joins, a crossfade longer than a shot', () => {
    expect(() => joinShotTracks([a, b], [], FPS)).toThrow(/2 shots need 1 joins/);
    expect(() => joinShotTracks([a, noiseShot(5, 2)], [{ kind: 'crossfade', frames: 4 }], FPS)).toThrow(/does not fit/);
    expect(() => joinShotTracks([], [], FPS)).toThrow(/no shots/);
  });
});
