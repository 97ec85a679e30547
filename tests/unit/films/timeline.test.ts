import { describe, expect, it } from 'vitest';
import { type Board, blankBoard, type Shot } from '../../../src/films/board';
import {
  buildTimeline, crossfadeWeight, filmFrame, frameAt, frameAtSeconds, secondsAtFrame, shotFrames, timelineProblems,
} from '../../../src/films/timeline';

const shot = (seconds: number, extra: Partial<Shot> = {}): Shot => ({ prompt: 'x', seconds, start: 'cut', transition: 'cut', ...extra });
const boardOf = (...shots: Shot[]): Board => ({ ...blankBoard(), shots });

describe('timeline', () => {
  it('gives each shot round(seconds × fps) frames, back to back, and the film their sum', () => {
    const t = buildTimeline(boardOf(shot(2), shot(1.5, { start: 'continue' }), shot(3)), 8);
    expect(t.frames).toBe(16 + 12 + 24);
    expect(t.shots.map((s) => [s.first, s.last, s.frames, s.leadIn, s.made])).toEqual([[0, 15, 16, 0, 16], [16, 27, 12, 0, 12], [28, 51, 24, 0, 24]]);
    expect(shotFrames(1.3, 8)).toBe(10);
    expect(shotFrames(1.0625, 8)).toBe(9); // 8.5 rounds up
  });

  it('keeps the board\'s total with crossfades: the incoming shot is made longer and overlaps', () => {
    const t = buildTimeline(boardOf(shot(2), shot(2, { transition: { crossfade: 4 } }), shot(1, { transition: { crossfade: 8 } })), 8);
    expect(t.frames).toBe(40);
    expect(t.shots.map((s) => [s.first, s.last, s.leadIn, s.made])).toEqual([[0, 15, 0, 16], [16, 31, 4, 20], [32, 39, 8, 16]]);
  });

  it('says which shot and frame play at every film frame, and the crossfade\'s blend', () => {
    const t = buildTimeline(boardOf(shot(1), shot(1, { transition: { crossfade: 3 } })), 8);
    const at = Array.from({ length: t.frames }, (_, f) => frameAt(t, f));
    expect(at.slice(0, 5)).toEqual([0, 1, 2, 3, 4].map((frame) => ({ shot: 0, frame })));
    expect(at[5]).toEqual({ shot: 0, frame: 5, incoming: { shot: 1, frame: 0, weight: 0.25 } });
    expect(at[6]).toEqual({ shot: 0, frame: 6, incoming: { shot: 1, frame: 1, weight: 0.5 } });
    expect(at[7]).toEqual({ shot: 0, frame: 7, incoming: { shot: 1, frame: 2, weight: 0.75 } });
    // Shot 2's own frames follow its lead-in: made frame 3 is its first on the timeline.
    expect(at[8]).toEqual({ shot: 1, frame: 3 });
    expect(at[15]).toEqual({ shot: 1, frame: 10 });
    // Every made frame is used exactly once, in order.
    const used = at.flatMap((p) => [`${p.shot}:${p.frame}`, ...(p.incoming ? [`${p.incoming.shot}:${p.incoming.frame}`] : [])]);
    expect(new Set(used).size).toBe(used.length);
    expect(used.filter((u) => u.startsWith('1:')).length).toBe(t.shots[1]!.made);
  });

  it('clamps the playhead to the film and maps it to seconds and back', () => {
    const t = buildTimeline(boardOf(shot(2), shot(2)), 8);
    expect(frameAt(t, -3)).toEqual({ shot: 0, frame: 0 });
    expect(frameAt(t, 99)).toEqual({ shot: 1, frame: 15 });
    expect(filmFrame(t, 1, 0)).toBe(16);
    expect(frameAt(t, filmFrame(t, 1, 4))).toEqual({ shot: 1, frame: 4 });
    expect(() => filmFrame(t, 2, 0)).toThrow('No shot 2');
    expect(frameAtSeconds(t, 2)).toBe(16);
    expect(frameAtSeconds(t, 1.99)).toBe(15);
    expect(frameAtSeconds(t, 0.3 * 10)).toBe(24);
    expect(frameAtSeconds(t, 60)).toBe(31);
    expect(secondsAtFrame(t, 20)).toBe(2.5);
    for (let f = 0; f < t.frames; f++) expect(frameAtSeconds(t, secondsAtFrame(t, f))).toBe(f);
  });

  it('weighs a crossfade so that neither end is one shot alone, rising evenly', () => {
    expect([0, 1, 2, 3].map((j) => crossfadeWeight(j, 4))).toEqual([0.2, 0.4, 0.6, 0.8]);
    expect(crossfadeWeight(0, 1)).toBe(0.5);
  });

  it('names a crossfade longer than the shot it fades over, at the model\'s fps', () => {
    const board = boardOf(shot(1), shot(2, { transition: { crossfade: 10 } }), shot(2, { transition: { crossfade: 16 } }));
    expect(timelineProblems(board, 8)).toEqual([
      { path: 'shots[1].transition.crossfade', message: '10 frames is longer than shot 1 before it (8 frames at 8 fps)' },
    ]);
    expect(timelineProblems(board, 10)).toEqual([]);
  });
});
