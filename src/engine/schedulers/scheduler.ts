import type { SchedulerConfig, SchedulerKind } from '../types';
import type { NoiseLevel } from './schedule';

/** Source of standard-normal samples for stochastic samplers (LCM); the pipeline passes its seeded PRNG. */
export type NoiseSource = (count: number) => Float32Array;

/** Result of one denoising step. */
export type StepResult = {
  /** x_{t-1}: the sample to feed to the next step (or the final latents after the last step). */
  prevSample: Float32Array;
  /** The current estimate of the clean sample x̂0 (used for previews). */
  predOriginal: Float32Array;
};

/**
 * A sampler configured for a fixed number of inference steps. Steps are taken in order 0..timesteps.length-1;
 * the index is passed explicitly and a step out of order throws, so multistep state cannot silently go wrong.
 * Data is flat Float32Array (any shape: the schedulers are element-wise).
 */
export type Scheduler = {
  readonly kind: SchedulerKind;
  /** The model timestep at each step (may be fractional for sigma-based samplers). */
  readonly timesteps: readonly number[];
  /**
   * VP noise level (α = √ᾱ, σ = √(1−ᾱ)) of the model input at each step, i.e. of `scaleModelInput`'s output: what
   * the network sees is α·x0 + σ·ε. One per timestep; the Lab and the recording hook read t, σ_t and ε̂ from it.
   */
  readonly levels: readonly NoiseLevel[];
  /** Standard deviation of the initial noise (1 for DDPM-style, σ_max-ish for Euler). */
  readonly initNoiseSigma: number;
  /** The model input at step i (Euler-family divides by √(σ²+1); identity for others). */
  scaleModelInput(sample: Float32Array, stepIndex: number): Float32Array;
  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, noise?: NoiseSource): StepResult;
};

/** Options every sampler takes. */
export type SchedulerOptions = {
  /**
   * Index of the first step that will be taken (default 0): sampling resumes mid-schedule from a sample already at
   * `timesteps[firstStep]` (img2img-style; Text2Video-Zero resumes re-noised frames there). Multistep samplers start
   * that run with no history, i.e. first order.
   */
  firstStep?: number;
};

export type SchedulerFactory = (config: SchedulerConfig, numInferenceSteps: number, options?: SchedulerOptions) => Scheduler;
