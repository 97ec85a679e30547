/** The motion classifier on synthetic tracks: which sign wins when several appear, and what is not a motion. */
import { describe, expect, it } from 'vitest';
import type { ObjectSample, ObjectTrack } from '../../../src/eval/detector';
import { classifyMotion, motionEvidence } from '../../../src/eval/motion';

type Frame = { x: number; y?: number; r?: number; angle?: number };
const track = (shape: string, frames: Frame[]): ObjectTrack => ({
  shape,
  colour: 'red',
  coherent: true,
  samples: frames.map(({ x, y = 32, r = 8, angle = 0 }): ObjectSample => ({
    cx: x, cy: y, area: Math.PI * r * r, box: { minX: x - r, maxX: x + r, minY: y - r, maxY: y + r }, angle: shape === 'circle' ? null : angle, colour: 'red',
  })),
});
const frames = (f: (t: number) => Frame) => Array.from({ length: 16 }, (_, t) => f(t));

describe('classifyMotion', () => {
  it('calls a turn of velocity bouncing, along x or y, whatever the net displacement', () => {
    expect(classifyMotion(track('circle', frames((t) => ({ x: 40 - Math.abs(t - 8) * 3 }))), 64)).toBe('bouncing');
    expect(classifyMotion(track('circle', frames((t) => ({ x: 32, y: 20 + Math.abs(t - 4) * 2 }))), 64)).toBe('bouncing');
  });

  it('does not take sub-pixel jitter of a resting object for bounces', () => {
    const jitter = [0, 0.4, -0.3, 0.5, -0.4, 0.3, 0, -0.5, 0.4, -0.2, 0.3, -0.4, 0.5, 0, -0.3, 0.2];
    const t = track('circle', jitter.map((d) => ({ x: 32 + d, y: 32 - d })));
    expect(motionEvidence(t, 64).reversals).toEqual([]);
    expect(classifyMotion(t, 64)).toBe('still');
  });

  it('takes a change of size over a drift, and a steady turn over a drift', () => {
    expect(classifyMotion(track('square', frames((t) => ({ x: 30 + t * 0.3, r: 6 * 1.06 ** t }))), 64)).toBe('growing');
    expect(classifyMotion(track('square', frames((t) => ({ x: 30, r: 10 * 0.95 ** t }))), 64)).toBe('shrinking');
    expect(classifyMotion(track('star', frames((t) => ({ x: 30 + t * 0.3, angle: -0.08 * t }))), 64)).toBe('spinning');
  });

  it('does not call a wobbling outline spinning, nor a size that breathes growing', () => {
    const wobble = [0, 0.3, -0.2, 0.25, -0.3, 0.1, 0.3, -0.25, 0.2, -0.1, 0.3, -0.3, 0.15, 0.3, -0.2, 0.1];
    const t = track('triangle', wobble.map((a, i) => ({ x: 32, angle: a + 0.02 * i, r: 8 * (1 + 0.05 * Math.sin(i * 2)) })));
    const e = motionEvidence(t, 64);
    expect(e.spin!.wobble).toBeGreaterThan(0.15);
    expect(Math.abs(e.growth)).toBeLessThan(0.25);
    expect(classifyMotion(t, 64)).toBe('still');
  });

  it('judges a clip whose object is too small to see in a few frames, not one where it is missing in many', () => {
    const growing = frames((t) => ({ x: 32, r: 2 + t }));
    const seen = (missing: number) => track('circle', growing).samples.map((s, i) => (i < missing ? null : s));
    expect(classifyMotion({ ...track('circle', growing), samples: seen(4) }, 64)).toBe('growing');
    expect(classifyMotion({ ...track('circle', growing), samples: seen(5) }, 64)).toBeNull();
  });

  it('leaves straight lines and stillness to the displacement', () => {
    expect(classifyMotion(track('circle', frames((t) => ({ x: 10 + 2 * t }))), 64)).toBe('right');
    expect(classifyMotion(track('square', frames(() => ({ x: 20 }))), 64)).toBe('still');
  });
});
