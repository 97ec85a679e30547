import { describe, expect, it } from 'vitest';
import { errorKernel, guideUnknown, putKnown, replaceKnown } from '../../../../src/engine/continuation/replacement';
import { Rng } from '../../../../src/engine/rng';
import { predictX0 } from '../../../../src/engine/schedulers/schedule';
import type { PredictionType } from '../../../../src/engine/types';

// Latents [1, C = 2, F = 4, H·W = 500], frames 0 and 3 known.
const shape = { channels: 2, frames: 4, plane: 500 };
const known = [true, false, false, true];
const size = shape.channels * shape.frames * shape.plane;
const at = (c: number, f: number) => (c * shape.frames + f) * shape.plane;
const random = (seed: number) => new Rng(seed).gaussian(size);

describe('replaceKnown (Ho et al. 2022 §3.1: z^a ~ q(z_t | x^a))', () => {
  it('draws the known frames at the step level, in the sampler space, and leaves the others', () => {
    const x = random(1);
    const x0 = random(2);
    const level = { alpha: 0.6, sigma: 0.8 };
    const scale = 0.5; // an Euler-like sampler whose VP input is sample × 0.5
    const out = replaceKnown(x, known, x0, shape, level, scale, new Rng(3));
    const residual: number[] = [];
    for (let c = 0; c < 2; c++)
      for (let f = 0; f < 4; f++)
        for (let p = 0; p < shape.plane; p++) {
          const i = at(c, f) + p;
          if (known[f]) residual.push((out[i]! * scale - level.alpha * x0[i]!) / level.sigma);
          else expect(out[i]).toBe(x[i]);
        }
    // (VP input − α·x0) / σ is the fresh noise: mean 0, variance 1 over 2 000 values.
    const mean = residual.reduce((a, b) => a + b, 0) / residual.length;
    const variance = residual.reduce((a, b) => a + (b - mean) ** 2, 0) / residual.length;
    expect(Math.abs(mean)).toBeLessThan(0.08);
    expect(Math.abs(variance - 1)).toBeLessThan(0.1);
  });

  it('after the last step the known frames are exactly the given latents', () => {
    const x0 = random(2);
    const out = putKnown(random(1), known, x0, shape);
    expect(out.subarray(at(1, 3), at(1, 3) + shape.plane)).toEqual(x0.subarray(at(1, 3), at(1, 3) + shape.plane));
    expect(out[at(0, 1)]).not.toBe(x0[at(0, 1)]);
  });
});

describe('errorKernel', () => {
  it('gives each unknown frame its nearest known frames, weighted γ^distance, ties shared', () => {
    expect(errorKernel([true, false, false, false, false, true], 0.5)).toEqual([
      { from: [], weight: 0 }, { from: [0], weight: 0.5 }, { from: [0], weight: 0.25 },
      { from: [5], weight: 0.25 }, { from: [5], weight: 0.5 }, { from: [], weight: 0 },
    ]);
    expect(errorKernel([true, false, true], 0.8)[1]).toEqual({ from: [0, 2], weight: 0.4 });
  });
});

describe('guideUnknown (gradient-free reconstruction guidance)', () => {
  const level = { alpha: 0.8, sigma: 0.6 };
  const input = random(4);
  const output = random(5);
  const x0Known = random(6);
  const guidance = { weight: 0.7, decay: 0.5 };

  it.each(['epsilon', 'v_prediction', 'sample'] as PredictionType[])('moves the unknown frames\' x̂0 by w·γ^d times the known frames\' error (%s)', (type) => {
    const before = predictX0(type, output, input, level);
    const guided = guideUnknown(output, input, type, level, known, x0Known, shape, guidance);
    const after = predictX0(type, guided, input, level);
    for (let c = 0; c < 2; c++)
      for (const [f, from] of [[1, 0], [2, 3]] as const)
        for (let p = 0; p < shape.plane; p += 37) {
          const err = x0Known[at(c, from) + p]! - before[at(c, from) + p]!;
          expect(after[at(c, f) + p]).toBeCloseTo(before[at(c, f) + p]! + 0.7 * 0.5 * err, 4);
        }
    // Known frames keep their output (they are replaced next step).
    expect(guided.subarray(at(0, 0), at(0, 1))).toEqual(output.subarray(at(0, 0), at(0, 1)));
  });

  it('is plain replacement at w_r = 0', () => {
    expect(guideUnknown(output, input, 'epsilon', level, known, x0Known, shape, { weight: 0, decay: 0.5 })).toBe(output);
  });
});
