/**
 * LCM — Luo, Tan, Huang, Li & Zhao, "Latent Consistency Models: Synthesizing High-Resolution Images with Few-Step
 * Inference" (2023), Algorithm 1 (multistep latent consistency sampling). The consistency function is parametrised
 * with skip connections (eq. 4, after Song et al. 2023, "Consistency Models"):
 *
 *   f_θ(x, t) = c_skip(t) · x + c_out(t) · x̂0(x, t)
 *   c_skip(t) = σ_data² / ((s·t)² + σ_data²),   c_out(t) = s·t / √((s·t)² + σ_data²),   σ_data = 0.5, s = 10
 *
 * and each step denoises, then re-noises to the next timestep with fresh Gaussian noise z (Algorithm 1, line 5):
 *
 *   x_{τ_{n+1}} = √ᾱ_{τ_{n+1}} · f_θ(x_{τ_n}, τ_n) + √(1 − ᾱ_{τ_{n+1}}) · z
 *
 * The last step returns f_θ itself. Reproduces diffusers' LCMScheduler (timestep_scaling 10, clip_sample off, no
 * thresholding, strength 1): timesteps from `lcmTimesteps` (original_inference_steps 50 unless given); timestep
 * spacing and steps offset are not used. Deterministic given the `noise` source, which the pipeline must pass.
 */
import type { SchedulerConfig } from '../types';
import type { NoiseSource, Scheduler, SchedulerOptions, StepResult } from './scheduler';
import { alphasCumprod, checkStepIndex, checkStepRange, firstStepIndex, lcmTimesteps, levelAt, predictX0 } from './schedule';

/** σ_data of the consistency-model boundary condition. */
const SIGMA_DATA = 0.5;
/** diffusers' `timestep_scaling`: c_skip/c_out see 10·t so that c_skip ≈ 0 (and f_θ ≈ x̂0) at all but tiny t. */
const TIMESTEP_SCALING = 10;

/** c_skip(t) and c_out(t) of eq. 4 with the scaled timestep s·t. */
export function lcmBoundaryScalings(t: number): { cSkip: number; cOut: number } {
  const st = t * TIMESTEP_SCALING;
  return { cSkip: SIGMA_DATA ** 2 / (st ** 2 + SIGMA_DATA ** 2), cOut: st / Math.sqrt(st ** 2 + SIGMA_DATA ** 2) };
}

export type LcmOptions = SchedulerOptions & {
  /** Length of the distillation schedule the model was trained with (diffusers' `original_inference_steps`). */
  originalInferenceSteps?: number;
};

export function createLcmScheduler(config: SchedulerConfig, numInferenceSteps: number, options: LcmOptions = {}): Scheduler {
  const ac = alphasCumprod(config);
  const timesteps = lcmTimesteps(config.numTrainTimesteps, numInferenceSteps, options.originalInferenceSteps ?? 50);
  let next = firstStepIndex(options.firstStep, timesteps.length);

  return {
    kind: 'lcm',
    timesteps,
    levels: timesteps.map((t) => levelAt(ac, t)),
    initNoiseSigma: 1,
    scaleModelInput(sample, stepIndex) {
      checkStepRange(stepIndex, timesteps.length);
      return sample.slice(); // VP model: x_t as is
    },
    step(modelOutput, stepIndex, sample, noise?: NoiseSource): StepResult {
      checkStepIndex(stepIndex, next, timesteps.length);
      const lastStep = stepIndex === timesteps.length - 1;
      if (!lastStep && noise === undefined) throw new TypeError('LCM needs a noise source for every step but the last.');
      // 1. the current timestep τ_n and the next one τ_{n+1}
      const t = timesteps[stepIndex] as number;
      const tNext = timesteps[stepIndex + 1];
      // 2. x̂0 from the model output at τ_n
      const x0 = predictX0(config.predictionType, modelOutput, sample, levelAt(ac, t));
      // 3. boundary-condition scalings (eq. 4): f_θ(x, t) = c_skip·x + c_out·x̂0
      const { cSkip, cOut } = lcmBoundaryScalings(t);
      const denoised = x0.map((v, i) => cOut * v + cSkip * (sample[i] as number));
      // 4. last step: the sample is f_θ itself
      if (lastStep || tNext === undefined || noise === undefined) {
        next++;
        return { prevSample: denoised, predOriginal: denoised.slice() };
      }
      // 5. re-noise to τ_{n+1} with fresh z ~ N(0, I) (Algorithm 1, line 5)
      const z = noise(sample.length);
      if (z.length !== sample.length) throw new RangeError(`Noise source returned ${z.length} values, expected ${sample.length}.`);
      const level = levelAt(ac, tNext);
      const prevSample = denoised.map((v, i) => level.alpha * v + level.sigma * (z[i] as number));
      next++;
      return { prevSample, predOriginal: denoised };
    },
  };
}
