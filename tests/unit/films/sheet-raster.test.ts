import { describe, expect, it } from 'vitest';
import { createRaster, drawFrame, drawText, fillRect, measureText, strokeRect, textHeight } from '../../../src/films/sheet-raster';

const at = (r: { width: number; rgba: Uint8ClampedArray }, x: number, y: number) => [...r.rgba.subarray((y * r.width + x) * 4, (y * r.width + x) * 4 + 4)];
const inked = (r: { width: number; height: number; rgba: Uint8ClampedArray }) => {
  let n = 0;
  for (let i = 0; i < r.rgba.length; i += 4) if (r.rgba[i] === 0) n++;
  return n;
};

describe('the sheet raster', () => {
  it('fills and outlines rectangles, clipped to the raster', () => {
    const r = createRaster(10, 8, [255, 255, 255]);
    fillRect(r, 8, 6, 5, 5, [1, 2, 3]);
    expect(at(r, 9, 7)).toEqual([1, 2, 3, 255]);
    expect(at(r, 7, 7)).toEqual([255, 255, 255, 255]);
    strokeRect(r, 0, 0, 6, 6, 1, [0, 0, 0]);
    expect([at(r, 0, 3), at(r, 5, 3), at(r, 3, 0), at(r, 3, 5)].every((p) => p[0] === 0)).toBe(true);
    expect(at(r, 3, 3)[0]).toBe(255);
  });

  it('enlarges a frame with every source pixel a whole block', () => {
    const frame = new Uint8ClampedArray([10, 0, 0, 255, 20, 0, 0, 255, 30, 0, 0, 255, 40, 0, 0, 255]); // 2 × 2
    const r = createRaster(8, 8, [255, 255, 255]);
    drawFrame(r, frame, 2, 2, 1, 1, 6, 6);
    expect([at(r, 1, 1)[0], at(r, 3, 3)[0], at(r, 4, 1)[0], at(r, 6, 6)[0], at(r, 1, 6)[0]]).toEqual([10, 10, 20, 40, 30]);
    expect(at(r, 0, 0)[0]).toBe(255);
  });

  it('measures and draws text the same width, bold wider, at any scale', () => {
    const style = { scale: 2, bold: false };
    const w = measureText('Shot 4', style);
    expect(w).toBe((5 + 1 + 5 + 1 + 5 + 1 + 4 + 1 + 3 + 1 + 5) * 2);
    expect(measureText('Shot 4', { scale: 2, bold: true })).toBe(w + 6);
    const r = createRaster(w + 4, textHeight(style) + 4, [255, 255, 255]);
    drawText(r, 'Shot 4', 2, 2, style, [0, 0, 0]);
    let right = 0;
    for (let y = 0; y < r.height; y++) for (let x = 0; x < r.width; x++) if (at(r, x, y)[0] === 0) right = Math.max(right, x);
    expect(right).toBe(2 + w - 1);
    const again = createRaster(r.width, r.height, [255, 255, 255]);
    drawText(again, 'Shot 4', 2, 2, style, [0, 0, 0]);
    expect(again.rgba).toEqual(r.rgba);
    expect(inked(r)).toBeGreaterThan(100);
  });
});
