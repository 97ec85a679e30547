import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../../src/engine/errors';
import { describeWarmUp, warmUp, WARM_UP_LIMITS, warmUpVerdict } from '../../../src/engine/warm-up';

/** Runs `warmUp` on a clock that each practice clip advances by the next of `durations`. */
async function simulate(durations: number[], interruptAfter = Infinity) {
  let clock = 0;
  let runs = 0;
  const report = await warmUp(async () => {
    if (runs >= durations.length) throw new Error('ran more clips than the test planned');
    clock += durations[runs++]!;
  }, { now: () => clock, interrupted: () => runs >= interruptAfter });
  return { report, runs };
}

describe('CPU warm-up', () => {
  it('goes on while clips get faster and stops when two in a row are no faster than the best before', () => {
    expect(warmUpVerdict([], 0)).toBe('again');
    expect(warmUpVerdict([2.8, 1.9], 4.7)).toBe('again');
    expect(warmUpVerdict([2.8, 1.9, 1.2], 5.9)).toBe('again');
    expect(warmUpVerdict([2.8, 1.9, 1.2, 0.7, 0.6, 0.58], 7.8)).toBe('again');
    // 0.58 and 0.59 against the best before them, 0.6: under 8 % faster, so settled.
    expect(warmUpVerdict([2.8, 1.9, 1.2, 0.7, 0.6, 0.58, 0.59], 8.4)).toBe('settled');
    // One clip slower than the best (noise) is not enough on its own.
    expect(warmUpVerdict([2.8, 1.9, 2.0], 6.7)).toBe('again');
  });

  it('leaves a slow model alone after its first clip, and stops at the run and time limits', () => {
    expect(warmUpVerdict([WARM_UP_LIMITS.slowRunSeconds + 0.1], 3.1)).toBe('slow-model');
    const falling = Array.from({ length: WARM_UP_LIMITS.maxRuns }, (_, i) => 2 * 0.85 ** i);
    expect(warmUpVerdict(falling.slice(0, -1), 5)).toBe('again');
    expect(warmUpVerdict(falling, 5)).toBe('limit');
    expect(warmUpVerdict([2, 1.5, 1], WARM_UP_LIMITS.maxSeconds)).toBe('limit');
  });

  it('makes practice clips until the verdict says stop, timing each', async () => {
    // Binary fractions, so that the clock's differences are exact.
    const { report, runs } = await simulate([2.5, 1.5, 0.75, 0.625, 0.625, 0.625, 0.5]);
    expect(report).toEqual({ runSeconds: [2.5, 1.5, 0.75, 0.625, 0.625, 0.625], outcome: 'settled' });
    expect(runs).toBe(6);
  });

  it('gives way at once when interrupted, between clips or inside one', async () => {
    expect(await simulate([2, 1, 0.5], 0)).toEqual({ report: { runSeconds: [], outcome: 'interrupted' }, runs: 0 });
    expect((await simulate([2, 1, 0.5], 2)).report).toEqual({ runSeconds: [2, 1], outcome: 'interrupted' });
    // The pipeline throws CancelledError before its next model call: the clip in progress is not counted.
    let calls = 0;
    const report = await warmUp(async () => {
      if (++calls === 2) throw new CancelledError();
    }, { now: () => calls, interrupted: () => false });
    expect(report).toEqual({ runSeconds: [1], outcome: 'interrupted' });
  });

  it('passes other errors on', async () => {
    await expect(warmUp(async () => {
      throw new RangeError('out of memory');
    }, { now: () => 0, interrupted: () => false })).rejects.toThrow('out of memory');
  });

  it('says what it did in one line', () => {
    expect(describeWarmUp({ runSeconds: [2.614, 1.2, 0.331], outcome: 'settled' })).toBe('3 practice clips, 2.61 s → 0.33 s; stopped once a clip was no faster');
    expect(describeWarmUp({ runSeconds: [2.6], outcome: 'interrupted' })).toBe('1 practice clip, 2.60 s → 2.60 s; stopped for your request');
    expect(describeWarmUp({ runSeconds: [], outcome: 'interrupted' })).toBe('stopped for your request');
  });
});
