/**
 * DDIM — Song, Meng & Ermon, "Denoising Diffusion Implicit Models", ICLR 2021, eq. (12) with η = 0 (deterministic):
 *
 *   x_{t−1} = √ᾱ_{t−1} · x̂0  +  √(1 − ᾱ_{t−1} − σ_t²) · ε̂  +  σ_t · z,    σ_t = η·√((1−ᾱ_{t−1})/(1−ᾱ_t))·√(1−ᾱ_t/ᾱ_{t−1})
 *   x̂0 = (x_t − √(1−ᾱ_t) · ε̂) / √ᾱ_t                                      ("predicted x0", eq. 12 first term)
 *
 * with η = 0 the noise term vanishes. Here "t−1" is the next timestep of the inference sub-sequence τ (section 4.2).
 *
 * Reproduces diffusers' DDIMScheduler (eta 0, clip_sample off, thresholding off) for timesteps and the update, with
 * one deliberate difference: diffusers takes the previous timestep as t − ⌊N/steps⌋, which matches τ for 'leading'
 * spacing (and for 'trailing' when steps divides N) but not for 'linspace' (huggingface/diffusers#12633, open);
 * we use τ itself, as eq. 12 and training/diffusion.py do. After the last step ᾱ_prev is 1 if `setAlphaToOne`,
 * else ᾱ_0 (diffusers' `final_alpha_cumprod`).
 */
import type { SchedulerConfig } from '../types';
import type { Scheduler, SchedulerFactory, SchedulerOptions, StepResult } from './scheduler';
import {
  alphasCumprod, checkStepIndex, checkStepRange, firstStepIndex, levelAt, predictEps, predictX0, spacedTimesteps,
} from './schedule';

export const createDdimScheduler: SchedulerFactory = (config: SchedulerConfig, numInferenceSteps: number,
  options: SchedulerOptions = {}): Scheduler => {
  const ac = alphasCumprod(config);
  const timesteps = spacedTimesteps(config, numInferenceSteps, false);
  const levels = timesteps.map((t) => levelAt(ac, t)); // throws now, not mid-generation, for e.g. leading + offset past N−1
  const finalAlphaCumprod = config.setAlphaToOne ? 1 : (ac[0] as number);
  let next = firstStepIndex(options.firstStep, timesteps.length);

  return {
    kind: 'ddim',
    timesteps,
    levels,
    initNoiseSigma: 1,
    scaleModelInput(sample, stepIndex) {
      checkStepRange(stepIndex, timesteps.length);
      return sample.slice(); // DDPM-style models take x_t as is; a copy keeps "never alias the input" simple
    },
    step(modelOutput, stepIndex, sample): StepResult {
      checkStepIndex(stepIndex, next, timesteps.length);
      // 1. get the current and previous timestep of τ (t and "t−1")
      const t = timesteps[stepIndex] as number;
      const tPrev = timesteps[stepIndex + 1];
      // 2. compute ᾱ_t and ᾱ_{t−1}
      const level = levelAt(ac, t);
      const alphaProdPrev = tPrev === undefined ? finalAlphaCumprod : (ac[tPrev] as number);
      // 3. compute x̂0 and ε̂ from the model output ("predicted x_0" of eq. 12, per prediction type)
      const predOriginal = predictX0(config.predictionType, modelOutput, sample, level);
      const eps = predictEps(config.predictionType, modelOutput, sample, level);
      // 4. σ_t (eq. 16) is 0 for η = 0, so the "direction pointing to x_t" is √(1 − ᾱ_{t−1}) · ε̂
      const a = Math.sqrt(alphaProdPrev);
      const d = Math.sqrt(1 - alphaProdPrev);
      // 5. x_{t−1} = √ᾱ_{t−1} · x̂0 + direction (eq. 12 without the random-noise term)
      const prevSample = new Float32Array(sample.length);
      for (let i = 0; i < prevSample.length; i++) prevSample[i] = a * (predOriginal[i] as number) + d * (eps[i] as number);
      next++;
      return { prevSample, predOriginal };
    },
  };
};
