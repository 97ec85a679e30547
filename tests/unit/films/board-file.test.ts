import { describe, expect, it } from 'vitest';
import { type Board, blankBoard } from '../../../src/films/board';
import { boardFileName, boardText, readBoardText } from '../../../src/films/board-file';

describe('board file', () => {
  it('writes the document with its fields in the schema\'s order, and reads it back', () => {
    const board = {
      shots: [{ caption: 'Hi', transition: 'cut', start: 'cut', seconds: 2, prompt: 'p', seed: 5 }, { transition: { crossfade: 3 }, start: { name: 'a.png', image: 'data:x' }, seconds: 1, prompt: 'q', caption: '' }],
      burnCaptions: false, seed: 9, title: 'T', version: 1,
    } as unknown as Board;
    const text = boardText(board);
    expect(text).toBe(`${JSON.stringify({
      version: 1, title: 'T', seed: 9, burnCaptions: false,
      shots: [
        { prompt: 'p', seconds: 2, start: 'cut', transition: 'cut', seed: 5, caption: 'Hi' },
        { prompt: 'q', seconds: 1, start: { image: 'data:x', name: 'a.png' }, transition: { crossfade: 3 } },
      ],
    }, null, 2)}\n`);
    expect(readBoardText(text)).toEqual({ ok: true, board: JSON.parse(text) });
  });

  it('names a file that is not JSON, and a bad board by its field', () => {
    const r = readBoardText('{ "version": 1, ');
    expect(r.ok === false && r.problems[0]?.message).toMatch(/^not a JSON file \(/);
    const bad = readBoardText(JSON.stringify({ version: 1, shots: [{ prompt: 'a', seconds: 2 }, { prompt: 'b', seconds: 2 }, { prompt: 'c', seconds: 45 }] }));
    expect(bad).toEqual({ ok: false, problems: [{ path: 'shots[2].seconds', message: 'must be a number from 1 to 30' }] });
  });

  it('names the file after the title', () => {
    expect(boardFileName({ ...blankBoard(), title: 'Le Phare: nuit #2 — «fin»' })).toBe('le-phare-nuit-2-fin.storyboard.json');
    expect(boardFileName({ ...blankBoard(), title: '🌊🌊' })).toBe('storyboard.storyboard.json');
  });
});
