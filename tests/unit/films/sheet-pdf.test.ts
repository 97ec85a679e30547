import { deflateSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { blankBoard, type Board } from '../../../src/films/board';
import { sheetOf } from '../../../src/films/sheet-layout';
import { sheetPdf } from '../../../src/films/sheet-pdf';
import { buildTimeline } from '../../../src/films/timeline';
import { readPdf } from '../../pdf-reader';

const deflate = async (d: Uint8Array) => new Uint8Array(deflateSync(d));

/** A board of `n` shots; frames of shot i are filled with grey level 10·i. */
function sheetOfShots(n: number) {
  const board: Board = {
    ...blankBoard(2),
    title: 'Le phare — “Encore une nuit”',
    shots: Array.from({ length: n }, (_, i) => ({
      prompt: `a red circle moving right, take ${i + 1}`, seconds: 1, start: 'cut' as const, transition: 'cut' as const,
      ...(i === 1 ? { caption: 'Gardien : « Encore une nuit. » (1/2) \\o/' } : {}),
    })),
  };
  const timeline = buildTimeline(board, 8);
  return sheetOf(board, timeline, timeline.shots.map((s, i) => ({ width: 64, height: 64, rgba: Array.from({ length: s.made }, () => new Uint8ClampedArray(64 * 64 * 4).fill(10 * i)) })));
}

describe('the sheet as a PDF', () => {
  it('opens in an independent reader: A4 landscape pages of eight panels, each "Shot N" with its prompt and an image', async () => {
    const pdf = await readPdf(await sheetPdf(sheetOfShots(9), deflate));
    expect(pdf.pages.map((p) => [p.width, p.height, p.images])).toEqual([[842, 595, 8], [842, 595, 1]]);
    expect(pdf.title).toBe('Le phare — “Encore une nuit”');
    const all = pdf.pages.flatMap((p) => p.text);
    for (let i = 1; i <= 9; i++) {
      expect(all).toContain(`Shot ${i}`);
      expect(all.join(' ')).toContain(`take ${i}`);
    }
    expect(pdf.pages[1]!.text).toEqual(expect.arrayContaining(['Le phare — “Encore une nuit”', 'Page 2 of 2', 'Shot 9', '1 s · 8 frames', 'Cut']));
    // WinAnsi text with its escapes comes back as written.
    expect(all).toContain('“Gardien : « Encore une nuit. » (1/2) \\o/”');
  });

  it('embeds each key frame as RGB, enlarged in whole steps, and is the same bytes each time', async () => {
    const bytes = await sheetPdf(sheetOfShots(2), deflate);
    expect(Buffer.from(await sheetPdf(sheetOfShots(2), deflate)).equals(Buffer.from(bytes))).toBe(true);
    const body = Buffer.from(bytes).toString('latin1');
    const images = [...body.matchAll(/\/Width (\d+) \/Height (\d+) \/ColorSpace \/DeviceRGB \/BitsPerComponent 8 \/Interpolate false \/Filter \/FlateDecode \/Length (\d+) >>\nstream\n/g)];
    expect(images.map((m) => [m[1], m[2]])).toEqual([['256', '256'], ['256', '256']]);
    const second = images[1]!;
    const start = second.index! + second[0].length;
    const rgb = inflateSync(bytes.subarray(start, start + Number(second[3])));
    expect(rgb.length).toBe(256 * 256 * 3);
    expect(rgb.every((v) => v === 10)).toBe(true);
  });
});
