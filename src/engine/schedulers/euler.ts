/**
 * Euler — Karras, Aittala, Aila & Laine, "Elucidating the Design Space of Diffusion-Based Generative Models"
 * (NeurIPS 2022), Algorithm 2 with S_churn = 0 (so γ = 0, σ̂ = σ and no noise is added) and without the Heun
 * correction (lines 9–11): one Euler step of the probability-flow ODE
 *
 *   dx/dσ = (x − D(x; σ)) / σ                                   (eq. 3 with σ(t) = t, s(t) = 1)
 *   x_{i+1} = x_i + (σ_{i+1} − σ_i) · (x_i − D(x_i; σ_i)) / σ_i  (Algorithm 2, lines 7–8)
 *
 * in the variance-exploding latent x = x0 + σ·ε, σ = √((1−ᾱ_t)/ᾱ_t). The network was trained on the VP sample
 * x_t = x/√(σ²+1) at timestep t, hence `scaleModelInput`, and D(x; σ) = x̂0 from its output:
 *   epsilon: x̂0 = x − σ·ε̂;   v_prediction: x̂0 = x/(σ²+1) − σ/√(σ²+1) · v̂;   sample: x̂0 = m.
 *
 * Reproduces diffusers' EulerDiscreteScheduler (interpolation_type 'linear', final sigma 0):
 * - kind 'euler': σ_i = interp(t_i) over the training σ's, t_i from the spacing ('linspace' t's are fractional);
 * - kind 'euler-karras': Karras σ's (eq. 5, ρ = 7) between the σ's of the first and last spaced timestep, model
 *   timesteps t_i = σ⁻¹(σ_i) by log-σ interpolation (fractional);
 * - initNoiseSigma: σ_max for 'linspace'/'trailing' spacing, √(σ_max² + 1) for 'leading' (diffusers' rule).
 */
import type { SchedulerConfig, SchedulerKind } from '../types';
import type { Scheduler, SchedulerOptions, StepResult } from './scheduler';
import {
  alphasCumprod, checkStepIndex, checkStepRange, firstStepIndex, interpIndex, karrasSigmas, predictX0, sigmasFromAlphasCumprod,
  sigmaToTimestep, spacedTimesteps,
} from './schedule';

/** The two Euler kinds: training σ's, or Karras σ's. */
export type EulerKind = Extract<SchedulerKind, 'euler' | 'euler-karras'>;

function createEuler(kind: EulerKind, config: SchedulerConfig, numInferenceSteps: number, options: SchedulerOptions): Scheduler {
  const trainSigmas = sigmasFromAlphasCumprod(alphasCumprod(config));
  let timesteps = spacedTimesteps(config, numInferenceSteps, true);
  let sigmas = timesteps.map((t) => interpIndex(t, trainSigmas));
  if (kind === 'euler-karras') {
    const logSigmas = trainSigmas.map(Math.log);
    sigmas = karrasSigmas(sigmas[sigmas.length - 1] as number, sigmas[0] as number, numInferenceSteps);
    timesteps = sigmas.map((s) => Math.fround(sigmaToTimestep(s, logSigmas)));
  }
  // The model input x/√(σ²+1) is VP with α = 1/√(σ²+1) and σ_vp = σ·α.
  const levels = sigmas.map((s) => ({ alpha: 1 / Math.sqrt(s ** 2 + 1), sigma: s / Math.sqrt(s ** 2 + 1) }));
  sigmas.push(0); // final σ: the last step lands on the denoised sample
  const sigmaMax = Math.max(...sigmas);
  // diffusers' rule (not a derivation): x_T = σ_max·ε for 'linspace'/'trailing', √(σ_max²+1)·ε for 'leading'.
  const initNoiseSigma = config.timestepSpacing === 'leading' ? Math.sqrt(sigmaMax ** 2 + 1) : sigmaMax;
  let next = firstStepIndex(options.firstStep, timesteps.length);

  return {
    kind,
    timesteps,
    levels,
    initNoiseSigma,
    scaleModelInput(sample, stepIndex) {
      checkStepRange(stepIndex, timesteps.length);
      const s = 1 / Math.sqrt((sigmas[stepIndex] as number) ** 2 + 1); // x0 + σε → the VP x_t the model was trained on
      return sample.map((v) => v * s);
    },
    step(modelOutput, stepIndex, sample): StepResult {
      checkStepIndex(stepIndex, next, timesteps.length);
      // 1. σ_i and σ_{i+1}; with S_churn = 0, γ_i = 0 and σ̂_i = σ_i (Algorithm 2, lines 4–5; no noise, line 6)
      const sigma = sigmas[stepIndex] as number;
      const sigmaNext = sigmas[stepIndex + 1] as number;
      // 2. D(x; σ) = x̂0 from the model output; the VP coefficients of this σ are α = 1/√(σ²+1), σ_vp = σ·α
      const alpha = 1 / Math.sqrt(sigma ** 2 + 1);
      const predOriginal = predictX0(config.predictionType, modelOutput, sample, { alpha, sigma: sigma * alpha, sampleScale: alpha });
      // 3. d_i = (x − D(x; σ̂)) / σ̂ (line 7), then x_{i+1} = x + (σ_{i+1} − σ̂) · d_i (line 8)
      const dt = sigmaNext - sigma;
      const prevSample = new Float32Array(sample.length);
      for (let i = 0; i < prevSample.length; i++) {
        const x = sample[i] as number;
        const derivative = (x - (predOriginal[i] as number)) / sigma;
        prevSample[i] = x + derivative * dt;
      }
      next++;
      return { prevSample, predOriginal };
    },
  };
}

/** Euler with the training σ's at the spaced timesteps (kind 'euler'). */
export const createEulerScheduler = (config: SchedulerConfig, numInferenceSteps: number, options: SchedulerOptions = {}): Scheduler =>
  createEuler('euler', config, numInferenceSteps, options);

/** Euler with Karras et al. (2022) σ's (kind 'euler-karras'). */
export const createEulerKarrasScheduler = (config: SchedulerConfig, numInferenceSteps: number, options: SchedulerOptions = {}): Scheduler =>
  createEuler('euler-karras', config, numInferenceSteps, options);
