/** src/worker/kept-clip.ts: the model's own frames of a clip with Smooth motion, which Extend continues from. */
import { describe, expect, it } from 'vitest';
import type { Frames } from '../../../src/engine/types';
import { modelRateFrames } from '../../../src/worker/kept-clip';

const clip = (count: number): Frames => ({ width: 1, height: 1, count, rgba: Array.from({ length: count }, (_, i) => new Uint8ClampedArray([i, 0, 0, 255])) });

describe('modelRateFrames', () => {
  it('is the clip itself without Smooth motion', () => {
    const c = clip(16);
    expect(modelRateFrames(c, false)).toBe(c);
  });

  it('keeps the even frames of a doubled clip (the odd ones were made between them)', () => {
    const f = modelRateFrames(clip(32), true);
    expect(f.count).toBe(16);
    expect(f.rgba.map((p) => p[0])).toEqual(Array.from({ length: 16 }, (_, i) => 2 * i));
  });
});
