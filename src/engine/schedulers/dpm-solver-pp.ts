/**
 * DPM-Solver++(2M) — Lu, Zhou, Bao, Chen, Li & Zhu, "DPM-Solver++: Fast Solver for Guided Sampling of Diffusion
 * Probabilistic Models" (2022), Algorithm 2: a second-order multistep solver of the diffusion ODE in data-prediction
 * form, with α_t = √ᾱ_t, σ_t = √(1−ᾱ_t), λ_t = log(α_t/σ_t) and h_i = λ_{t_i} − λ_{t_{i−1}}:
 *
 *   first order (= DDIM):  x̃_{t_i} = (σ_{t_i}/σ_{t_{i−1}}) · x̃_{t_{i−1}} − α_{t_i} · (e^{−h_i} − 1) · x_θ(x̃_{t_{i−1}})
 *   second order:          r_i = h_{i−1}/h_i
 *                          D_i = (1 + 1/(2r_i)) · x_θ(x̃_{t_{i−1}}) − 1/(2r_i) · x_θ(x̃_{t_{i−2}})
 *                          x̃_{t_i} = (σ_{t_i}/σ_{t_{i−1}}) · x̃_{t_{i−1}} − α_{t_i} · (e^{−h_i} − 1) · D_i
 *
 * Reproduces diffusers' DPMSolverMultistepScheduler with algorithm_type 'dpmsolver++', solver_order 2, solver_type
 * 'midpoint', final_sigmas_type 'zero', lower_order_final on, no Karras σ's, no thresholding:
 * - timesteps by its own spacing rules (`dpmSolverTimesteps`), then a final σ = 0 (α = 1): the last step returns x̂0;
 * - the first step is first order (no history yet, Algorithm 2 line 2);
 * - the last step is first order: diffusers' `lower_order_final` asks for that when steps < 15, and with a final
 *   σ of 0 it is forced at any step count (h = ∞ there, so r_i = 0 and D_i would be undefined).
 */
import type { SchedulerConfig } from '../types';
import type { Scheduler, SchedulerFactory, SchedulerOptions, StepResult } from './scheduler';
import {
  alphasCumprod, checkStepIndex, checkStepRange, dpmSolverTimesteps, firstStepIndex, levelAt, predictX0, type NoiseLevel,
} from './schedule';

export const createDpmSolverPpScheduler: SchedulerFactory = (config: SchedulerConfig, numInferenceSteps: number,
  options: SchedulerOptions = {}): Scheduler => {
  const ac = alphasCumprod(config);
  const timesteps = dpmSolverTimesteps(config, numInferenceSteps);
  const levels: NoiseLevel[] = timesteps.map((t) => levelAt(ac, t));
  levels.push({ alpha: 1, sigma: 0 }); // the final σ = 0: clean data
  const lambda = (l: NoiseLevel): number => Math.log(l.alpha) - Math.log(l.sigma); // +∞ for the final level
  // Multistep history: x_θ and λ of the previous step.
  let previous: { x0: Float32Array; lambda: number } | undefined;
  let next = firstStepIndex(options.firstStep, timesteps.length); // history starts empty: the first step is first order

  return {
    kind: 'dpm-solver++',
    timesteps,
    levels: levels.slice(0, timesteps.length),
    initNoiseSigma: 1,
    scaleModelInput(sample, stepIndex) {
      checkStepRange(stepIndex, timesteps.length);
      return sample.slice(); // VP model: x_t as is
    },
    step(modelOutput, stepIndex, sample): StepResult {
      checkStepIndex(stepIndex, next, timesteps.length);
      // 1. noise levels of t_{i−1} (the current sample, "s") and t_i (the target, "t")
      const s = levels[stepIndex] as NoiseLevel;
      const t = levels[stepIndex + 1] as NoiseLevel;
      const lambdaS = lambda(s);
      const h = lambda(t) - lambdaS;
      // 2. data prediction x_θ(x̃_{t_{i−1}}, t_{i−1}) from the model output
      const x0 = predictX0(config.predictionType, modelOutput, sample, s);
      // 3. D_i: x_θ for the first and the last step (first order), else the 2M combination with r_i = h_{i−1}/h_i
      const lastStep = stepIndex === timesteps.length - 1;
      let d = x0;
      if (previous !== undefined && !lastStep) {
        const r = (lambdaS - previous.lambda) / h;
        const c0 = 1 + 1 / (2 * r);
        const c1 = -1 / (2 * r);
        const prevX0 = previous.x0;
        d = x0.map((v, i) => c0 * v + c1 * (prevX0[i] as number));
      }
      // 4. x̃_{t_i} = (σ_t/σ_s) · x̃_{t_{i−1}} − α_t · (e^{−h} − 1) · D_i   (expm1 keeps small h accurate)
      const cx = t.sigma / s.sigma;
      const cd = -t.alpha * Math.expm1(-h);
      const prevSample = new Float32Array(sample.length);
      for (let i = 0; i < prevSample.length; i++) prevSample[i] = cx * (sample[i] as number) + cd * (d[i] as number);
      previous = { x0, lambda: lambdaS };
      next++;
      return { prevSample, predOriginal: x0 };
    },
  };
};
