/**
 * The forward (noising) process of DDPM (Ho et al. 2020, eq. 4): q(x_t | x_0) = N(√ᾱ_t·x_0, (1−ᾱ_t)·I), sampled as
 *   x_t = √ᾱ_t · x_0 + √(1−ᾱ_t) · ε,  ε ~ N(0, I)
 * with ᾱ from the engine's schedule and ε from the engine's seeded generator, so the same seed gives the same noise.
 * Pure arithmetic: no model call (the Lab decodes the result with the VAE to show it).
 */
import { Rng } from '../engine/rng';
import { alphasCumprod, levelAt } from '../engine/schedulers/schedule';
import type { SchedulerConfig } from '../engine/types';

/** x_t = α·x0 + σ·ε, element-wise. */
export function noiseTo(x0: Float32Array, alpha: number, sigma: number, eps: Float32Array): Float32Array {
  if (eps.length !== x0.length) throw new RangeError(`Noise has ${eps.length} values but x0 has ${x0.length}.`);
  const out = new Float32Array(x0.length);
  for (let i = 0; i < out.length; i++) out[i] = alpha * x0[i]! + sigma * eps[i]!;
  return out;
}

/** A sample of q(x_t | x_0) at integer training timestep t with seeded noise; also returns α = √ᾱ_t and σ = √(1−ᾱ_t). */
export function forwardSample(config: SchedulerConfig, x0: Float32Array, t: number, seed: number): { xt: Float32Array; alpha: number; sigma: number } {
  if (!Number.isInteger(t)) throw new RangeError(`Timestep must be a whole number, got ${t}.`);
  const { alpha, sigma } = levelAt(alphasCumprod(config), t);
  return { xt: noiseTo(x0, alpha, sigma, new Rng(seed).gaussian(x0.length)), alpha, sigma };
}
