/** The Lab's forward process q(x_t | x_0) against its formula. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/engine/rng';
import { alphasCumprod } from '../../../src/engine/schedulers/schedule';
import { forwardSample, noiseTo } from '../../../src/lab/forward';
import { SHAPES_SCHEDULER as config } from '../../fixtures/settings';

describe('forward process q(x_t | x_0)', () => {
  it('equals √ᾱ_t·x0 + √(1−ᾱ_t)·ε with the seeded ε', () => {
    const ac = alphasCumprod(config);
    const x0 = new Rng(1).gaussian(64);
    for (const t of [0, 250, 999]) {
      const { xt, alpha, sigma } = forwardSample(config, x0, t, 7);
      const eps = new Rng(7).gaussian(64);
      expect(alpha).toBe(Math.sqrt(ac[t]!));
      expect(sigma).toBe(Math.sqrt(1 - ac[t]!));
      xt.forEach((v, i) => expect(v).toBeCloseTo(Math.sqrt(ac[t]!) * x0[i]! + Math.sqrt(1 - ac[t]!) * eps[i]!, 6));
    }
    // t = 999 is nearly pure noise: correlation with x0 close to 0, with ε close to 1.
    const { xt } = forwardSample(config, x0, 999, 7);
    const eps = new Rng(7).gaussian(64);
    const corr = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i]!, 0) / Math.sqrt(a.reduce((s, v) => s + v * v, 0) * b.reduce((s, v) => s + v * v, 0));
    expect(corr(xt, eps)).toBeGreaterThan(0.99);
    expect(() => noiseTo(x0, 1, 0, new Float32Array(3))).toThrow(/Noise has 3/);
    expect(() => forwardSample(config, x0, 1.5, 0)).toThrow(/whole number/);
  });
});
