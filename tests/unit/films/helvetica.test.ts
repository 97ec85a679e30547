import { describe, expect, it } from 'vitest';
import { helveticaWidth, winAnsi } from '../../../src/films/helvetica';

describe('Helvetica in WinAnsi', () => {
  it('encodes Latin-1 as itself, typographic marks in 0x80–0x9F, accents it lacks dropped, the rest "?"', () => {
    expect([...winAnsi('Aé ·')]).toEqual([0x41, 0xe9, 0x20, 0xb7]);
    expect([...winAnsi('“…”—€')]).toEqual([0x93, 0x85, 0x94, 0x97, 0x80]);
    expect([...winAnsi('ő东\n')]).toEqual([0x6f, 0x3f, 0x20]);
  });

  it('measures with the font\'s widths', () => {
    // Helvetica: H 722, i 222, space 278; Bold: H 722, i 278.
    expect(helveticaWidth('Hi', 10)).toBeCloseTo(9.44);
    expect(helveticaWidth('Hi', 10, true)).toBeCloseTo(10);
    expect(helveticaWidth('é …', 1000)).toBe(556 + 278 + 1000);
  });
});
