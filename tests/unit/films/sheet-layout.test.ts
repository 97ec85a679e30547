import { describe, expect, it } from 'vitest';
import { type Board, blankBoard, type Shot } from '../../../src/films/board';
import {
  fitPicture, keyFrameIndex, layoutSheet, panelHeight, type Rect, type Sheet, sheetOf, type SheetStyle, wrapText,
} from '../../../src/films/sheet-layout';
import { buildTimeline } from '../../../src/films/timeline';

/** A monospace measure: every character 10 wide. */
const mono = (s: string) => [...s].length * 10;

const style = (over: Partial<SheetStyle> = {}): SheetStyle => ({
  pageWidth: 1000, pageHeight: null, margin: 40, gutter: 20, columns: 3, padding: 10,
  lineHeight: { title: 40, summary: 20, heading: 20, body: 16, caption: 16, note: 14 },
  imageHeight: 200, maxLines: { title: 2, prompt: 3, caption: 2 }, wholeScale: true,
  measure: (text) => mono(text),
  ...over,
});

const shot = (p: Partial<Shot>): Shot => ({ prompt: 'a red circle', seconds: 1, start: 'cut', transition: 'cut', ...p });
const board = (shots: Shot[], title = 'The lighthouse'): Board => ({ ...blankBoard(3), title, shots });

/** A made shot whose frame i is filled with the value i. */
const made = (count: number) => ({ width: 4, height: 4, rgba: Array.from({ length: count }, (_, i) => new Uint8ClampedArray(64).fill(i)) });

function sheetOfBoard(b: Board): Sheet {
  const t = buildTimeline(b, 8);
  return sheetOf(b, t, t.shots.map((s) => made(s.made)));
}

const inside = (inner: Rect, outer: Rect) =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;

describe('wrapText', () => {
  it('breaks between words at the width, keeps paragraphs, and breaks a word wider than a line', () => {
    expect(wrapText('a red circle moving right', 120, 9, mono)).toEqual(['a red circle', 'moving right']);
    expect(wrapText('one\ntwo three', 100, 9, mono)).toEqual(['one', 'two three']);
    expect(wrapText('abcdefghijklmnop', 50, 9, mono)).toEqual(['abcde', 'fghij', 'klmno', 'p']);
    expect(wrapText('', 50, 3, mono)).toEqual([]);
  });

  it('ends text cut at the most lines with "…", still within the width', () => {
    const lines = wrapText('one two three four five six', 90, 2, mono);
    expect(lines).toEqual(['one two', 'three…']);
    expect(Math.max(...lines.map(mono))).toBeLessThanOrEqual(90);
    expect(wrapText('abcdefghij klm', 50, 1, mono)).toEqual(['abcd…']);
  });
});

describe('fitPicture', () => {
  const box = { x: 10, y: 20, width: 300, height: 200 };
  it('enlarges in whole steps for a raster and centres the picture', () => {
    expect(fitPicture({ width: 64, height: 64 }, box, true)).toEqual({ x: 10 + 54, y: 20 + 4, width: 192, height: 192 });
  });
  it('fills the box for vector pages, and shrinks a large frame whatever the mode', () => {
    expect(fitPicture({ width: 64, height: 64 }, box, false)).toMatchObject({ width: 200, height: 200 });
    expect(fitPicture({ width: 600, height: 300 }, box, true)).toMatchObject({ width: 300, height: 150, y: 45 });
  });
});

describe('sheetOf', () => {
  it('gives each shot its number, length, note and the middle of its own frames (not its crossfade lead-in)', () => {
    const b = board([
      shot({ seconds: 2, caption: ' Keeper: “Another night.” ' }),
      shot({ start: 'continue', seconds: 1.5 }),
      shot({ seconds: 1, transition: { crossfade: 3 } }),
      shot({ start: { image: 'pictures/ship.png' }, transition: { crossfade: 1 } }),
      shot({ start: { image: 'data:image/png;base64,AAAA' } }),
    ]);
    const t = buildTimeline(b, 8);
    const sheet = sheetOf(b, t, t.shots.map((s) => made(s.made)));
    expect(sheet.title).toBe('The lighthouse');
    expect(sheet.summary).toBe('5 shots · 6.5 s · 52 frames at 8 fps');
    expect(sheet.panels.map((p) => [p.number, p.length, p.note])).toEqual([
      [1, '2 s · 16 frames', 'Opens the film'],
      [2, '1.5 s · 12 frames', 'Continues shot 1'],
      [3, '1 s · 8 frames', 'Crossfades in over 3 frames'],
      [4, '1 s · 8 frames', 'From ship.png · crossfade, 1 frame'],
      [5, '1 s · 8 frames', 'From a picture'],
    ]);
    expect(sheet.panels[0]!.caption).toBe('Keeper: “Another night.”');
    // Shot 3 made 3 + 8 frames: its own are 3…10, the middle one is 3 + 3.
    expect(keyFrameIndex(t.shots[2]!)).toBe(6);
    expect(sheet.panels.map((p) => p.keyFrame.rgba[0])).toEqual([7, 5, 6, 4, 3]);
  });

  it('refuses shots that were not made with the frames the timeline needs', () => {
    const b = board([shot({ seconds: 2 })]);
    expect(() => sheetOf(b, buildTimeline(b, 8), [made(3)])).toThrow(/Shot 1 has no frame 8/);
  });
});

describe('layoutSheet', () => {
  it('lays panels out in a grid under the title, each with its number, picture and texts inside it', () => {
    const sheet = sheetOfBoard(board(Array.from({ length: 4 }, (_, i) => shot({ prompt: `shot number ${i + 1} of the film we make`, ...(i === 1 ? { caption: 'Onwards.', start: 'continue' } : {}) }))));
    const [page, ...more] = layoutSheet(sheet, style());
    expect(more).toEqual([]);
    const width = Math.floor((1000 - 80 - 40) / 3);
    expect(page!.panels.map((p) => [p.x, p.y])).toEqual([[40, 120], [60 + width, 120], [80 + 2 * width, 120], [40, 120 + panelHeight(style()) + 20]]);
    expect(page!.height).toBe(120 + 2 * panelHeight(style()) + 20 + 40);
    expect(page!.texts.map((t) => t.text)).toEqual(['The lighthouse', '4 shots · 4 s · 32 frames at 8 fps']);
    for (const p of page!.panels) {
      expect(p.width).toBe(width);
      expect(inside(p.imageBox, p)).toBe(true);
      expect(inside(p.picture, p.imageBox)).toBe(true);
      expect(p.picture.width % 4, 'whole steps of a 4-pixel frame').toBe(0);
      for (const t of p.texts) {
        const left = t.align === 'right' ? t.x - mono(t.text) : t.x;
        expect(left).toBeGreaterThanOrEqual(p.x);
        expect(left + mono(t.text)).toBeLessThanOrEqual(p.x + p.width);
        expect(t.y + style().lineHeight[t.font]).toBeLessThanOrEqual(p.y + p.height);
      }
    }
    const second = page!.panels[1]!.texts;
    expect(second.map((t) => t.text)).toEqual(['Shot 2', '1 s · 8 frames', 'shot number 2 of the film', 'we make', '“Onwards.”', 'Continues shot 1']);
    expect(second.find((t) => t.text === 'Continues shot 1')!.y, 'the note sits at the foot').toBe(page!.panels[1]!.y + panelHeight(style()) - 10 - 14);
  });

  it('fills pages of a fixed height and numbers them', () => {
    const s = style({ pageHeight: 1200, maxLines: { title: 1, prompt: 3, caption: 2 } });
    const rows = Math.floor((1200 - 40 - 80 - 40 + 20) / (panelHeight(s) + 20));
    const perPage = rows * 3;
    const sheet = sheetOfBoard(board(Array.from({ length: perPage + 1 }, () => shot({}))));
    const pages = layoutSheet(sheet, s);
    expect(pages).toHaveLength(2);
    expect(pages.map((p) => p.panels.length)).toEqual([perPage, 1]);
    expect(pages[1]!.panels[0]!.panel).toBe(perPage);
    expect(pages.every((p) => p.height === 1200 && p.panels.every((b) => b.y + b.height <= 1200 - 40))).toBe(true);
    expect(pages[1]!.texts.find((t) => t.align === 'right')).toMatchObject({ text: 'Page 2 of 2', x: 960 });
  });

  it('cuts a long title to its lines', () => {
    const sheet = sheetOfBoard(board([shot({})], 'word '.repeat(60).trim()));
    const [page] = layoutSheet(sheet, style());
    const title = page!.texts.filter((t) => t.font === 'title');
    expect(title).toHaveLength(2);
    expect(title[1]!.text.endsWith('…')).toBe(true);
  });
});
