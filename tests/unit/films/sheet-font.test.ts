import { describe, expect, it } from 'vitest';
import { ASCENT, glyph, GLYPH_ROWS, sheetAscii } from '../../../src/films/sheet-font';

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));

describe('the sheet font', () => {
  it('has a glyph for every printable ASCII character, its ink inside its cell, each one different', () => {
    const seen = new Map<string, string>();
    for (const ch of [...PRINTABLE, '·', '…']) {
      const g = glyph(ch);
      expect(g.width, ch).toBeGreaterThanOrEqual(1);
      expect(g.width, ch).toBeLessThanOrEqual(5);
      for (const [x, y] of g.ink) {
        expect(x, `${ch} column`).toBeLessThan(g.width);
        expect(y, `${ch} row`).toBeLessThan(GLYPH_ROWS);
      }
      if (ch === ' ') continue;
      expect(g.ink.length, `${ch} has ink`).toBeGreaterThan(0);
      const key = JSON.stringify(g);
      expect(seen.get(key), `${ch} looks like ${seen.get(key)}`).toBeUndefined();
      seen.set(key, ch);
    }
  });

  it('sits capitals on the baseline and hangs descenders below it', () => {
    const lowest = (ch: string) => Math.max(...glyph(ch).ink.map(([, y]) => y));
    for (const ch of 'AHMZ0bdx') expect(lowest(ch), ch).toBe(ASCENT - 1);
    for (const ch of 'gjpqy') expect(lowest(ch), ch).toBeGreaterThanOrEqual(ASCENT);
  });

  it('writes other text in its characters: accents dropped, typographic marks plain, the rest "?"', () => {
    expect(sheetAscii('Naïve café — “Quote” ‘it’s’ 3×4 · …')).toBe('Naive cafe - "Quote" \'it\'s\' 3x4 · …');
    expect(sheetAscii('Łódź 東京 🎬')).toBe('?odz ?? ?');
    expect(sheetAscii('tab\there')).toBe('tab here');
  });
});
