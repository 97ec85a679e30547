import { describe, expect, it } from 'vitest';
import { createLiveFrames } from '../../../src/live/live-frames';

const frames = (n: number) => Array.from({ length: n }, (_, i) => new Uint8ClampedArray([i]));
const meta = (fps: number, window = 1) => ({ fps, prompt: 'p', window, makeSeconds: 0.01 });

describe('Live frames', () => {
  it('a window continues from the last frames, one model frame time apart', () => {
    const kept = createLiveFrames();
    kept.add(0, frames(12), meta(8));
    expect(kept.known(12, 4, 8)).toEqual([8, 9, 10, 11]);
    // After a cut the stream ends earlier: the known frames end there.
    expect(kept.known(7, 4, 8)).toEqual([3, 4, 5, 6]);
    expect(kept.known(2, 4, 8)).toEqual([0, 1]);
  });

  it('takes every other frame where Smooth motion doubled the rate, across a change of rate', () => {
    const kept = createLiveFrames();
    kept.add(0, frames(12), meta(8, 1));
    kept.add(12, frames(24), meta(16, 2));
    expect(kept.known(36, 4, 8)).toEqual([29, 31, 33, 35]);
    // Two smooth frames, then base-rate ones: still 1/8 s apart.
    expect(kept.known(15, 4, 8)).toEqual([10, 11, 12, 14]);
  });

  it('lets go of frames dropped unseen and frames played long ago', () => {
    const kept = createLiveFrames();
    kept.add(0, frames(12), meta(8, 1));
    kept.add(12, frames(12), meta(8, 2));
    kept.dropFrom(16);
    expect(kept.size).toBe(16);
    expect(kept.get(16)).toBeUndefined();
    kept.releaseBefore(10);
    expect(kept.size).toBe(6);
    expect(kept.known(16, 4, 8)).toEqual([12, 13, 14, 15]);
    kept.releaseBefore(14);
    expect(kept.known(16, 4, 8)).toEqual([14, 15]);
    kept.clear();
    expect(kept.size).toBe(0);
  });
});
