import { describe, expect, it } from 'vitest';
import { letterbox, resize } from '../../../src/cli/letterbox';

const solid = (w: number, h: number, rgba: number[]) => ({ width: w, height: h, data: Uint8ClampedArray.from({ length: w * h * 4 }, (_, i) => rgba[i % 4]!) });
const pixel = (data: Uint8ClampedArray, w: number, x: number, y: number) => Array.from(data.subarray((y * w + x) * 4, (y * w + x) * 4 + 4));

describe('resize', () => {
  it('averages areas when shrinking: a 2-pixel checker becomes its mean', () => {
    const checker = { width: 4, height: 4, data: Uint8ClampedArray.from({ length: 64 }, (_, i) => ((Math.floor(i / 4) % 4) + Math.floor(i / 16)) % 2 ? 200 : 0) };
    const out = resize(checker, 2, 2);
    expect(Array.from(out)).toEqual(new Array(16).fill(100));
  });

  it('interpolates when enlarging and keeps a flat image flat', () => {
    expect(Array.from(resize(solid(3, 2, [10, 20, 30, 255]), 7, 5)).every((v, i) => v === [10, 20, 30, 255][i % 4])).toBe(true);
  });
});

describe('letterbox', () => {
  it('leaves an image of the right size as it is and says nothing', () => {
    const { rgba, changes } = letterbox(solid(8, 8, [1, 2, 3, 255]), 8, 8);
    expect(changes).toEqual([]);
    expect(pixel(rgba, 8, 5, 5)).toEqual([1, 2, 3, 255]);
  });

  it('fits a wide image with bars above and below, centred, and says so', () => {
    const { rgba, changes } = letterbox(solid(160, 80, [200, 100, 50, 255]), 16, 16);
    expect(changes).toEqual(['resized from 160×80 to 16×8', 'centred on 16×16 with black bars above and below (its aspect differs)']);
    expect(pixel(rgba, 16, 8, 1)).toEqual([0, 0, 0, 255]);
    expect(pixel(rgba, 16, 8, 8)).toEqual([200, 100, 50, 255]);
    expect(pixel(rgba, 16, 8, 14)).toEqual([0, 0, 0, 255]);
  });

  it('puts transparent pixels over black', () => {
    const { rgba, changes } = letterbox(solid(4, 4, [200, 100, 50, 128]), 4, 4);
    expect(changes).toEqual(['its transparent pixels put over black']);
    expect(pixel(rgba, 4, 1, 1)).toEqual([100, 50, 25, 255]);
  });
});
