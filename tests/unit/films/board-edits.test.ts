import { describe, expect, it } from 'vitest';
import { type Board, blankBoard, type Shot } from '../../../src/films/board';
import { addShot, deleteShot, duplicateShot, editShot, moveShot } from '../../../src/films/board-edits';
import { parseBoard } from '../../../src/films/parse-board';

const shot = (prompt: string, extra: Partial<Shot> = {}): Shot => ({ prompt, seconds: 2, start: 'continue', transition: 'cut', ...extra });
const board = (...shots: Shot[]): Board => ({ ...blankBoard(), shots });
const prompts = (b: Board) => b.shots.map((s) => s.prompt);
const readable = (b: Board) => expect(parseBoard(JSON.parse(JSON.stringify(b))).ok).toBe(true);

describe('board edits', () => {
  const abc = board(shot('a', { start: 'cut' }), shot('b'), shot('c', { start: 'cut', transition: { crossfade: 4 } }));

  it('adds a blank continuing shot, duplicates after, deletes but never the last', () => {
    expect(addShot(abc).shots[3]).toEqual({ prompt: '', seconds: 2, start: 'continue', transition: 'cut' });
    expect(addShot(blankBoard()).shots.map((s) => s.start)).toEqual(['cut', 'continue']);
    const dup = duplicateShot(abc, 0);
    expect(prompts(dup)).toEqual(['a', 'a', 'b', 'c']);
    expect(dup.shots[1]).toEqual({ ...abc.shots[0], start: 'cut' });
    expect(dup.shots[1]).not.toBe(abc.shots[0]);
    expect(prompts(deleteShot(abc, 1))).toEqual(['a', 'c']);
    expect(deleteShot(blankBoard(), 0)).toEqual(blankBoard());
    expect(deleteShot(abc, 7)).toBe(abc);
    for (const b of [addShot(abc), dup, deleteShot(abc, 1)]) readable(b);
  });

  it('moves a shot anywhere, and a shot that comes first no longer continues or crossfades', () => {
    expect(prompts(moveShot(abc, 0, 2))).toEqual(['b', 'c', 'a']);
    expect(prompts(moveShot(abc, 2, 0))).toEqual(['c', 'a', 'b']);
    expect(prompts(moveShot(abc, 1, 99))).toEqual(['a', 'c', 'b']);
    expect(moveShot(abc, 1, 1)).toBe(abc);
    const bFirst = moveShot(abc, 1, 0);
    expect(bFirst.shots[0]).toEqual({ ...shot('b'), start: 'cut' });
    const cFirst = moveShot(abc, 2, 0);
    expect(cFirst.shots[0]?.transition).toBe('cut');
    // Deleting the first shot promotes a continuing one: it cuts in.
    expect(deleteShot(abc, 0).shots[0]?.start).toBe('cut');
    for (const b of [bFirst, cFirst, moveShot(abc, 0, 2), deleteShot(abc, 0)]) readable(b);
  });

  it('edits a shot: Continue drops a crossfade, an empty caption or an unset seed leaves the field out', () => {
    expect(editShot(abc, 2, { start: 'continue' }).shots[2]).toEqual(shot('c'));
    expect(editShot(abc, 0, { start: 'continue' }).shots[0]?.start).toBe('cut');
    const captioned = editShot(abc, 1, { caption: 'Hi', seed: 5 });
    expect(captioned.shots[1]).toEqual({ ...shot('b'), caption: 'Hi', seed: 5 });
    expect(editShot(captioned, 1, { caption: '', seed: undefined }).shots[1]).toEqual(shot('b'));
    expect(abc.shots[1]).toEqual(shot('b'));
  });
});
