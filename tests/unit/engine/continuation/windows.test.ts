import { describe, expect, it } from 'vitest';
import { KinetoError } from '../../../../src/engine/errors';
import { type ClipShape, planClip, planDoubling, type WindowPlan } from '../../../../src/engine/continuation/windows';

const SHAPES = { windowFrames: 16, multipleOf: 4, overlap: 4 };
const clip = (frames: number, more: Partial<ClipShape> = {}): WindowPlan[] => planClip({ ...SHAPES, frames, start: { kind: 'text' }, end: false, ...more });
const written = (plans: WindowPlan[]) => plans.flatMap((p) => p.outputs.map((o) => o.frame));

describe('planClip', () => {
  it('a 13-second clip at 8 fps is 9 windows: one of 16 new frames, seven of 12, and a last of 8 frames', () => {
    const plans = clip(13 * 8);
    expect(plans).toHaveLength(9);
    expect(plans.map((p) => p.frames)).toEqual([16, 16, 16, 16, 16, 16, 16, 16, 8]);
    expect(plans.map((p) => p.outputs.length)).toEqual([16, 12, 12, 12, 12, 12, 12, 12, 4]);
    expect(written(plans)).toEqual(Array.from({ length: 104 }, (_, i) => i));
  });

  it('each window knows the last `overlap` frames of the one before, and keeps no more than a window', () => {
    const plans = clip(104);
    for (const [i, p] of plans.entries()) {
      expect(p.frames % 4).toBe(0);
      expect(p.carry).toBeLessThanOrEqual(16);
      if (i === 0) continue;
      const before = plans[i - 1]!;
      expect(p.known).toEqual([0, 1, 2, 3].map((k) => ({ position: k, from: 'previous-window', index: before.frames - 4 + k })));
      expect(before.carry).toBe(4);
      // The known frames are not written again.
      expect(p.outputs[0]!.position).toBe(4);
    }
    expect(plans.at(-1)!.carry).toBe(0);
  });

  it('an image is output frame 0 and window 0 knows it', () => {
    const plans = clip(16, { start: { kind: 'image' } });
    expect(plans).toHaveLength(1);
    expect(plans[0]!.known).toEqual([{ position: 0, from: 'start', index: 0 }]);
    expect(plans[0]!.outputs.map((o) => o.position)).toEqual(Array.from({ length: 16 }, (_, i) => i));
  });

  it('continuing a clip knows its last frames and writes only new ones, numbered from 0', () => {
    const plans = clip(20, { start: { kind: 'clip', frames: 16 } });
    expect(plans[0]!.known.map((k) => k.index)).toEqual([12, 13, 14, 15]);
    expect(plans[0]!.outputs[0]).toEqual({ position: 4, frame: 0 });
    expect(written(plans)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // A clip of 2 frames gives the 2 it has.
    expect(clip(8, { start: { kind: 'clip', frames: 2 } })[0]!.known.map((k) => k.index)).toEqual([0, 1]);
  });

  it('a clip ending at an image puts it on the last position, taking the slack as more known frames', () => {
    const plans = clip(34, { start: { kind: 'image' }, end: true });
    const last = plans.at(-1)!;
    expect(last.known.at(-1)).toEqual({ position: last.frames - 1, from: 'end', index: 0 });
    expect(last.outputs.at(-1)).toEqual({ position: last.frames - 1, frame: 33 });
    // 16 + 12 frames, then 6 left: 4 known + 6 = 10, rounded to 12, so that window knows 6 frames before.
    expect(last.frames).toBe(12);
    expect(last.known.filter((k) => k.from === 'previous-window')).toHaveLength(6);
    expect(plans.at(-2)!.carry).toBe(6);
    expect(written(plans)).toEqual(Array.from({ length: 34 }, (_, i) => i));
  });

  it('from one image to another in one window: the keyframes mask, or a message with a frame count that works', () => {
    const [only] = clip(16, { start: { kind: 'image' }, end: true });
    expect(only!.known.map((k) => [k.position, k.from])).toEqual([[0, 'start'], [15, 'end']]);
    expect(() => clip(14, { start: { kind: 'image' }, end: true })).toThrow(/fill its last window exactly \(frames in multiples of 4 up to 16\): ask for 16 frames instead of 14/);
  });

  it('refuses an impossible overlap or frame count by name', () => {
    expect(() => clip(0)).toThrow(KinetoError);
    expect(() => clip(8, { overlap: 16 })).toThrow(/overlap by 1…15 frames \(got 16\)/);
    expect(() => clip(8, { start: { kind: 'clip', frames: 0 } })).toThrow(/at least one frame/);
  });
});

describe('planDoubling', () => {
  it('makes 2N frames, each once, from windows knowing at most half a window of source frames at even positions', () => {
    for (const n of [1, 2, 7, 8, 9, 16, 104]) {
      const plans = planDoubling(n, 16, 4);
      const frames = plans.flatMap((p) => p.outputs.map((o) => o.frame));
      expect(frames).toEqual(Array.from({ length: 2 * n }, (_, i) => i));
      for (const [i, p] of plans.entries()) {
        expect(p.count).toBeLessThanOrEqual(8);
        expect(p.frames % 4).toBe(0);
        // Source frame first + j sits at position 2j, i.e. output frame 2 (first + j).
        for (const o of p.outputs) expect(o.frame).toBe(2 * p.first + o.position);
        if (i > 0) expect(p.first).toBe(plans[i - 1]!.first + plans[i - 1]!.count - 1);
      }
    }
  });

  it('a 16-frame clip is three windows: 8 + 8 source frames sharing one, then the last 2', () => {
    expect(planDoubling(16, 16, 4).map((p) => [p.first, p.count, p.frames])).toEqual([[0, 8, 16], [7, 8, 16], [14, 2, 4]]);
  });
});
