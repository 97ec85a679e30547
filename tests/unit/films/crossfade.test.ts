import { describe, expect, it } from 'vitest';
import { type Board, blankBoard, type Shot } from '../../../src/films/board';
import { assembleFilm, blendFrames } from '../../../src/films/crossfade';
import { buildTimeline } from '../../../src/films/timeline';
import type { Frames } from '../../../src/engine/types';

/** `count` 2×1 frames of one grey level each: shot s, made frame i → level 10·s + i, so each pixel names its source. */
function madeFrames(s: number, count: number): Frames {
  const rgba = Array.from({ length: count }, (_, i) => new Uint8ClampedArray(8).fill(10 * s + i));
  return { width: 2, height: 1, count, rgba };
}
const shot = (seconds: number, extra: Partial<Shot> = {}): Shot => ({ prompt: 'x', seconds, start: 'cut', transition: 'cut', ...extra });
const boardOf = (...shots: Shot[]): Board => ({ ...blankBoard(), shots });

describe('crossfade', () => {
  it('blends two RGBA frames by weight, rounding, alpha included', () => {
    const a = new Uint8ClampedArray([0, 100, 255, 255]);
    const b = new Uint8ClampedArray([255, 0, 255, 0]);
    expect([...blendFrames(a, b, 0)]).toEqual([...a]);
    expect([...blendFrames(a, b, 1)]).toEqual([...b]);
    expect([...blendFrames(a, b, 0.25)]).toEqual([64, 75, 255, 191]);
    expect(() => blendFrames(a, new Uint8ClampedArray(8), 0.5)).toThrow('4 and 8 bytes');
    expect(() => blendFrames(a, b, 1.5)).toThrow('from 0 to 1');
    expect(() => blendFrames(a, b, Number.NaN)).toThrow('from 0 to 1');
  });

  it('assembles a film of the board\'s total frames: cuts as they are, crossfades blended over the shot before', () => {
    const t = buildTimeline(boardOf(shot(1), shot(1, { start: 'continue' }), shot(1, { transition: { crossfade: 3 } })), 4);
    const made = [madeFrames(1, 4), madeFrames(2, 4), madeFrames(3, 7)];
    const film = assembleFilm(t, made);
    expect(film.count).toBe(12);
    expect([film.width, film.height]).toEqual([2, 1]);
    // Crossfade over shot 2's last 3 frames (21, 22, 23) with shot 3's lead-in (30, 31, 32) at ¼, ½, ¾.
    // 21 + 9/4 = 23.25, 22 + 9/2 = 26.5 (half to even: 26), 23 + 27/4 = 29.75.
    expect(film.rgba.map((f) => f[0])).toEqual([10, 11, 12, 13, 20, 23, 26, 30, 33, 34, 35, 36]);
    expect(film.rgba[8]).toBe(made[2]!.rgba[3]);
  });

  it('refuses shots that do not match the timeline', () => {
    const t = buildTimeline(boardOf(shot(1), shot(1, { transition: { crossfade: 2 } })), 4);
    expect(() => assembleFilm(t, [madeFrames(1, 4)])).toThrow('The timeline has 2 shots; 1 were made');
    expect(() => assembleFilm(t, [madeFrames(1, 4), madeFrames(2, 4)])).toThrow('Shot 2 needs 6 frames; it has 4');
    expect(() => assembleFilm(t, [madeFrames(1, 4), { ...madeFrames(2, 6), width: 4 }])).toThrow('Shot 2 is 4×1; shot 1 is 2×1');
  });
});
