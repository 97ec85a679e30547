import { describe, expect, it } from 'vitest';
import { type Board, blankBoard, type Shot } from '../../../src/films/board';
import { continuingFrom, digest, filmProblems, planFilm, shotsToMake } from '../../../src/films/film-plan';

const shot = (prompt: string, extra: Partial<Shot> = {}): Shot => ({ prompt, seconds: 2, start: 'continue', transition: 'cut', ...extra });
const board = (...shots: Shot[]): Board => ({ ...blankBoard(), seed: 7, shots });
const abcd = board(shot('a', { start: 'cut' }), shot('b'), shot('c', { start: 'cut', transition: { crossfade: 4 }, seed: 3 }), shot('d'));

describe('film plan', () => {
  it('asks for each shot with its seed, its frames (lead-in included) and its start', () => {
    expect(planFilm(abcd, 8).map((p) => [p.request, p.after])).toEqual([
      [{ index: 0, prompt: 'a', seed: 7, frames: 16, fps: 8, start: 'cut' }, null],
      [{ index: 1, prompt: 'b', seed: 7, frames: 16, fps: 8, start: 'continue' }, 0],
      [{ index: 2, prompt: 'c', seed: 3, frames: 20, fps: 8, start: 'cut' }, null],
      [{ index: 3, prompt: 'd', seed: 7, frames: 16, fps: 8, start: 'continue' }, 2],
    ]);
  });

  it('changes the key of an edited shot and of the shots that continue from it, and of no other', () => {
    const keys = (b: Board, fps = 8) => planFilm(b, fps).map((p) => p.key);
    const before = keys(abcd);
    expect(new Set(before).size).toBe(4);
    expect(keys(abcd)).toEqual(before);
    const changed = (b: Board) => keys(b).map((k, i) => k !== before[i]);
    expect(changed({ ...abcd, shots: abcd.shots.map((s, i) => (i === 0 ? { ...s, prompt: 'A' } : s)) })).toEqual([true, true, false, false]);
    expect(changed({ ...abcd, shots: abcd.shots.map((s, i) => (i === 2 ? { ...s, seed: 4 } : s)) })).toEqual([false, false, true, true]);
    expect(changed({ ...abcd, shots: abcd.shots.map((s, i) => (i === 1 ? { ...s, caption: 'words only' } : s)) })).toEqual([false, false, false, false]);
    expect(changed({ ...abcd, seed: 8 })).toEqual([true, true, false, true]);
    expect(changed(abcd).length).toBe(4);
    expect(keys(abcd, 10).every((k, i) => k !== before[i])).toBe(true);
    // A picture's name is no part of what is made; the picture is.
    const pic = (image: string, name: string) => board(shot('a', { start: { image, name } }));
    expect(keys(pic('data:x', 'a.png'))).toEqual(keys(pic('data:x', 'b.png')));
    expect(keys(pic('data:x', 'a.png'))).not.toEqual(keys(pic('data:y', 'a.png')));
  });

  it('makes what is not made, with the unmade shots it continues from, in order', () => {
    const plan = planFilm(abcd, 8);
    const made = (...i: number[]) => (key: string) => i.some((j) => plan[j]!.key === key);
    expect(shotsToMake(plan, made(), [0, 1, 2, 3])).toEqual([0, 1, 2, 3]);
    expect(shotsToMake(plan, made(0, 2), [0, 1, 2, 3])).toEqual([1, 3]);
    expect(shotsToMake(plan, made(), [3])).toEqual([2, 3]);
    expect(shotsToMake(plan, made(), [1])).toEqual([0, 1]);
    expect(shotsToMake(plan, made(0, 1, 2, 3), [0, 1, 2, 3])).toEqual([]);
    expect(continuingFrom(plan, 0)).toEqual([0, 1]);
    expect(continuingFrom(plan, 1)).toEqual([1]);
    expect(continuingFrom(plan, 2)).toEqual([2, 3]);
  });

  it('names what keeps a film from being made, by field', () => {
    const b = board(shot('', { start: 'cut' }), shot('b', { start: { image: 'ship.png' }, transition: { crossfade: 20 } }), shot(' '));
    expect(filmProblems(b, 8, false)).toEqual([
      { path: 'shots[0].prompt', message: 'type what the shot shows' },
      { path: 'shots[1].start.image', message: 'ship.png is not in this browser: choose the picture' },
      { path: 'shots[1].transition.crossfade', message: '20 frames is longer than shot 1 before it (16 frames at 8 fps)' },
      { path: 'shots[2].prompt', message: 'type what the shot shows' },
    ]);
    expect(filmProblems(b, 8, true).map((p) => p.path)).not.toContain('shots[1].start.image');
    expect(filmProblems(abcd, 8, false)).toEqual([]);
  });

  it('digests text to 16 hex digits that differ for near texts', () => {
    expect(digest('')).toMatch(/^[0-9a-f]{16}$/);
    const many = new Set(Array.from({ length: 5000 }, (_, i) => digest(`shot ${i}`)));
    expect(many.size).toBe(5000);
    expect(digest('ab')).not.toBe(digest('ba'));
  });
});
