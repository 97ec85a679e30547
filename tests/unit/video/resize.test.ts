import { describe, expect, it } from 'vitest';
import { resizeRgba } from '../../../src/video/resize';

/** An RGBA image whose every pixel is `f(x, y)` (RGB channels) with opaque alpha. */
function image(width: number, height: number, f: (x: number, y: number) => [number, number, number]): Uint8ClampedArray {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = f(x, y);
      data.set([r, g, b, 255], (y * width + x) * 4);
    }
  }
  return data;
}

const px = (data: Uint8ClampedArray, width: number, x: number, y: number) => Array.from(data.subarray((y * width + x) * 4, (y * width + x) * 4 + 4));

describe('resizeRgba', () => {
  it('keeps a constant image constant, up and down, odd sizes and non-integer factors', () => {
    const src = image(7, 5, () => [200, 17, 99]);
    for (const [w, h] of [[7, 5], [32, 19], [255, 129], [3, 2], [1, 1], [10, 5]] as const) {
      const out = resizeRgba(src, 7, 5, w, h);
      expect(out.length).toBe(w * h * 4);
      for (let i = 0; i < out.length; i += 4) expect([out[i], out[i + 1], out[i + 2], out[i + 3]]).toEqual([200, 17, 99, 255]);
    }
  });

  it('returns an identical copy when the sizes are equal', () => {
    const src = image(5, 3, (x, y) => [x * 40, y * 90, (x * y * 37) % 256]);
    const out = resizeRgba(src, 5, 3, 5, 3);
    expect(out).toEqual(src);
    expect(out).not.toBe(src);
  });

  it('keeps a linear ramp a ramp (within 1 level) when upscaling by a non-integer factor', () => {
    // Horizontal ramp v(x) = 10 + 20·x; cubic convolution reproduces linear functions exactly wherever all 4 taps are
    // inside the image, i.e. for source positions in [1, w − 2].
    const w = 12;
    const src = image(w, 3, (x) => [10 + 20 * x, 0, 0]);
    const outW = 37;
    const out = resizeRgba(src, w, 3, outW, 5);
    let previous = -1;
    for (let o = 0; o < outW; o++) {
      const value = px(out, outW, o, 2)[0]!;
      expect(value).toBeGreaterThanOrEqual(previous); // monotone everywhere, edges included
      previous = value;
      const s = ((o + 0.5) * w) / outW - 0.5;
      if (s >= 1 && s <= w - 2) expect(Math.abs(value - (10 + 20 * s))).toBeLessThanOrEqual(1);
    }
  });

  it('keeps a vertical ramp a ramp when downscaling by 2 (the stretched kernel is symmetric there)', () => {
    const src = image(4, 32, (_x, y) => [0, 4 * y + 30, 0]);
    const out = resizeRgba(src, 4, 32, 2, 16);
    for (let o = 3; o < 13; o++) expect(Math.abs(px(out, 2, 1, o)[1]! - (4 * (2 * o + 0.5) + 30))).toBeLessThanOrEqual(1);
  });

  it('matches a hand-computed pixel', () => {
    // Row [10, 50, 200, 80] upscaled 4 → 8: output x = 3 samples source x = (3 + 0.5)·4/8 − 0.5 = 1.25.
    // Keys weights at distances 1.25, 0.25, 0.75, 1.75: −0.0703125, 0.8671875, 0.2265625, −0.0234375 (sum 1), so
    // 10·−0.0703125 + 50·0.8671875 + 200·0.2265625 + 80·−0.0234375 = 86.09375 → 86.
    const row = [10, 50, 200, 80];
    const src = image(4, 1, (x) => [row[x]!, row[x]!, row[x]!]);
    const out = resizeRgba(src, 4, 1, 8, 1);
    expect(px(out, 8, 3, 0)).toEqual([86, 86, 86, 255]);
    // Output x = 0 samples source −0.25: taps −2, −1, 0, 1 at distances 1.75, 0.75, 0.25, 1.25; with the edge
    // clamped they read 10, 10, 10, 50: 10·(−0.0234375 + 0.2265625 + 0.8671875) + 50·−0.0703125 = 7.1875 → 7.
    expect(px(out, 8, 0, 0)[0]).toBe(7);
  });

  it('handles odd sizes in both directions and a 1-pixel image', () => {
    const src = image(5, 3, (x, y) => [x * 50, y * 100, 128]);
    const up = resizeRgba(src, 5, 3, 255, 129);
    expect(up.length).toBe(255 * 129 * 4);
    // Corners stay close to the corner pixels (edge clamp, no wrap-around; the cubic may overshoot a little).
    expect(px(up, 255, 0, 0).slice(0, 3)).toEqual([0, 0, 128]);
    const [r, g, b] = px(up, 255, 254, 128);
    expect(Math.abs(r! - 200)).toBeLessThanOrEqual(8);
    expect(Math.abs(g! - 200)).toBeLessThanOrEqual(8);
    expect(b).toBe(128);
    const down = resizeRgba(up, 255, 129, 5, 3);
    for (let y = 0; y < 3; y++) {
      for (let x = 0; x < 5; x++) {
        const [r, g] = px(down, 5, x, y);
        expect(Math.abs(r! - x * 50)).toBeLessThanOrEqual(12);
        expect(Math.abs(g! - y * 100)).toBeLessThanOrEqual(12);
      }
    }
    expect(resizeRgba(image(1, 1, () => [1, 2, 3]), 1, 1, 3, 2)).toEqual(image(3, 2, () => [1, 2, 3]));
  });

  it('rejects a buffer of the wrong size', () => {
    expect(() => resizeRgba(new Uint8ClampedArray(10), 2, 2, 4, 4)).toThrow(/expected 2×2×4 = 16 bytes/);
  });
});
