import { describe, expect, it } from 'vitest';
import { blankBoard, type Board } from '../../../src/films/board';
import { layoutSheet, sheetOf } from '../../../src/films/sheet-layout';
import { paintSheet, PNG_SHEET_STYLE } from '../../../src/films/sheet-png';
import { buildTimeline } from '../../../src/films/timeline';

/** A 64 × 64 frame: a square of `colour` in the middle of grey. */
function frame(colour: [number, number, number]): Uint8ClampedArray {
  const out = new Uint8ClampedArray(64 * 64 * 4);
  for (let y = 0; y < 64; y++)
    for (let x = 0; x < 64; x++) out.set(x >= 16 && x < 48 && y >= 16 && y < 48 ? [...colour, 255] : [128, 128, 128, 255], (y * 64 + x) * 4);
  return out;
}

const COLOURS: [number, number, number][] = [[220, 30, 30], [30, 60, 220], [30, 200, 60], [200, 180, 20], [160, 40, 200]];
const board: Board = {
  ...blankBoard(4),
  title: 'Five shots',
  shots: COLOURS.map((_, i) => ({ prompt: `a shape moving, shot ${i + 1}`, seconds: 1, start: i === 0 ? 'cut' : 'continue', transition: 'cut', ...(i === 2 ? { caption: 'Onwards.' } : {}) })),
};
const timeline = buildTimeline(board, 8);
const sheet = sheetOf(board, timeline, COLOURS.map((c) => ({ width: 64, height: 64, rgba: Array.from({ length: 8 }, () => frame(c)) })));
const pixel = (r: { width: number; rgba: Uint8ClampedArray }, x: number, y: number) => [...r.rgba.subarray((y * r.width + x) * 4, (y * r.width + x) * 4 + 3)];

describe('the sheet as a PNG', () => {
  const r = paintSheet(sheet);
  const [page] = layoutSheet(sheet, PNG_SHEET_STYLE);

  it('is one page as the layout sizes it, the same bytes each time', () => {
    expect([r.width, r.height]).toEqual([1754, page!.height]);
    expect(page!.panels).toHaveLength(5);
    expect(Buffer.from(paintSheet(sheet).rgba).equals(Buffer.from(r.rgba))).toBe(true);
  });

  it('shows each shot\'s key frame crisply, enlarged in whole steps, in its panel', () => {
    page!.panels.forEach((box, i) => {
      const p = box.picture;
      expect(p.width).toBe(320);
      // The middle of the picture is the frame's square; its corner the frame's grey; one block is 5 × 5 pixels.
      expect(pixel(r, p.x + p.width / 2, p.y + p.height / 2)).toEqual(COLOURS[i]);
      expect(pixel(r, p.x + 2, p.y + 2)).toEqual([128, 128, 128]);
      expect(pixel(r, p.x + 16 * 5, p.y + 16 * 5)).toEqual(COLOURS[i]);
      expect(pixel(r, p.x + 16 * 5 - 1, p.y + 16 * 5)).toEqual([128, 128, 128]);
    });
  });

  it('writes each panel\'s heading in ink where the layout puts it', () => {
    for (const box of page!.panels) {
      const heading = box.texts[0]!;
      let ink = 0;
      for (let y = heading.y; y < heading.y + PNG_SHEET_STYLE.lineHeight.heading; y++)
        for (let x = heading.x; x < heading.x + 100; x++) if (pixel(r, x, y)[0]! < 60) ink++;
      expect(ink, `Shot ${box.panel + 1}`).toBeGreaterThan(150);
    }
  });
});
