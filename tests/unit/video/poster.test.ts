import { describe, expect, it } from 'vitest';
import { makePoster, POSTER_SIZE, posterFrameIndex, posterSize } from '../../../src/video/poster';

describe('Library posters', () => {
  it('keep the clip’s shape with the longest side at most POSTER_SIZE, never enlarging', () => {
    expect(posterSize(256, 256)).toEqual({ width: POSTER_SIZE, height: POSTER_SIZE });
    expect(posterSize(512, 256)).toEqual({ width: POSTER_SIZE, height: POSTER_SIZE / 2 });
    expect(posterSize(144, 256)).toEqual({ width: 108, height: POSTER_SIZE });
    expect(posterSize(64, 64)).toEqual({ width: 64, height: 64 });
    expect(posterSize(1000, 1)).toEqual({ width: POSTER_SIZE, height: 1 });
  });

  it('stand for the clip by its middle frame', () => {
    expect(posterFrameIndex(1)).toBe(0);
    expect(posterFrameIndex(2)).toBe(0);
    expect(posterFrameIndex(16)).toBe(7);
    expect(posterFrameIndex(17)).toBe(8);
  });

  it('are null with no frames, or where there is no OffscreenCanvas (Node)', async () => {
    expect(await makePoster([], 8, 8, 64, 64)).toBeNull();
    expect(await makePoster([new Uint8ClampedArray(8 * 8 * 4)], 8, 8, 64, 64)).toBeNull();
  });
});
