/** The Lab's false-colour helpers: frames, channel tiles, difference heat maps, grids. */
import { describe, expect, it } from 'vitest';
import { channelTiles, differenceHeat, frameOf, grid } from '../../../src/lab/images';

describe('Lab images', () => {
  it('slices a frame, tiles channels in false colour, heats a difference and builds grids', () => {
    // [1, C=2, F=3, H=1, W=2]: value = 10·c + f (+0.5 for x = 1)
    const data = Float32Array.from({ length: 12 }, (_, i) => {
      const c = Math.floor(i / 6); const f = Math.floor((i % 6) / 2); const x = i % 2;
      return 10 * c + f + 0.5 * x;
    });
    const f1 = frameOf(data, [1, 2, 3, 1, 2], 1);
    expect(Array.from(f1.data)).toEqual([1, 1.5, 11, 11.5]);
    expect(() => frameOf(data, [1, 2, 3, 1, 2], 3)).toThrow(/outside/);
    const tiles = channelTiles(Float32Array.from([-2, 0, 2, 1]), 2, 1, 2);
    expect(tiles.width).toBe(5);
    expect(Array.from(tiles.rgba.subarray(0, 8))).toEqual([0, 0, 255, 255, 255, 255, 255, 255]); // −max blue, 0 white
    expect(Array.from(tiles.rgba.subarray(12, 16))).toEqual([255, 0, 0, 255]); // +max red (after the gap)
    const heat = differenceHeat(Float32Array.from([0, 1]), Float32Array.from([0, 0]), 1, 1, 2, 1);
    expect(heat.rgba[0]).toBe(0);
    expect(heat.rgba[4]).toBe(255);
    const g = grid([new Uint8ClampedArray(4).fill(9), new Uint8ClampedArray(4).fill(7), new Uint8ClampedArray(4).fill(5)], 1, 1, 2);
    expect([g.width, g.height]).toEqual([2, 2]);
    expect(Array.from(g.rgba.subarray(8, 12))).toEqual([5, 5, 5, 5]);
    expect(Array.from(g.rgba.subarray(12, 16))).toEqual([0, 0, 0, 255]);
  });
});
