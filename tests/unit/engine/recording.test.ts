/** Recording a run for the Lab: which steps fit a memory budget, and what the recorder refuses. */
import { describe, expect, it } from 'vitest';
import { planRecording, StepRecorder } from '../../../src/engine/recording';

/** Kineto-Shapes latents: 4 channels × 16 frames × 16 × 16. */
const SHAPES_VALUES = 4 * 16 * 16 * 16;

describe('recording budget', () => {
  it('keeps all 30 guided steps of Kineto-Shapes under 64 MiB', () => {
    const plan = planRecording(30, SHAPES_VALUES, true);
    expect(plan.stride).toBe(1);
    expect(plan.indices).toHaveLength(30);
    expect(plan.bytesPerStep).toBe(SHAPES_VALUES * 4 * 5);
    expect(plan.totalBytes).toBeLessThan(64 * 1024 * 1024);
  });

  it('keeps every k-th step (and the last) when the run would not fit', () => {
    const perStep = SHAPES_VALUES * 4 * 3;
    const plan = planRecording(30, SHAPES_VALUES, false, perStep * 10);
    expect(plan.stride).toBe(4); // 0,4,…,28 and 29 = 9 steps; stride 3 would be 11
    expect(plan.indices).toEqual([0, 4, 8, 12, 16, 20, 24, 28, 29]);
    expect(plan.totalBytes).toBeLessThanOrEqual(perStep * 10);
    expect(planRecording(30, SHAPES_VALUES, false, perStep - 1).stride).toBe(0);
  });

  it('refuses steps out of plan, out of order or of the wrong size', () => {
    const r = new StepRecorder(4, 8, false, 8 * 4 * 3 * 2); // room for 2 steps: stride 3 → [0, 3]
    expect(r.plan.indices).toEqual([0, 3]);
    const rec = (index: number, n = 8) => ({ index, timestep: 0, alpha: 1, sigma: 0, xt: new Float32Array(n), eps: new Float32Array(n), x0: new Float32Array(n), branches: null });
    expect(r.wants(1)).toBe(false);
    expect(() => r.add(rec(1))).toThrow(/not in the recording plan/);
    expect(() => r.add(rec(0, 7))).toThrow(/8 values/);
    r.add(rec(3));
    expect(() => r.add(rec(0))).toThrow(/in order/);
    expect(r.bytes).toBe(8 * 4 * 3);
  });
});
