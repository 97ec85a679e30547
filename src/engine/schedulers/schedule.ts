/**
 * Shared noise-schedule math for the samplers: training betas and ᾱ, inference timestep spacing, sigma helpers and
 * the conversion of a model output to x̂0 / ε̂. Everything reproduces diffusers' numbers (numpy rounding included)
 * so that a Hub `scheduler_config.json` means the same thing here; where diffusers has a known bug we say so.
 *
 * Notation (variance-preserving form, DDPM, Ho et al. 2020):
 *   x_t = √ᾱ_t · x0 + √(1−ᾱ_t) · ε,   ᾱ_t = ∏_{s≤t} (1 − β_s)
 *   α_t := √ᾱ_t, σ_t := √(1−ᾱ_t)  (the "VP" coefficients, α_t² + σ_t² = 1)
 * and the equivalent variance-exploding form used by Euler (Karras et al. 2022, "EDM"):
 *   x = x_t / α_t = x0 + σ·ε,   σ = σ_t / α_t = √((1−ᾱ_t)/ᾱ_t)
 *
 * ᾱ is computed in float64 (diffusers uses float32; the difference is ~1e-7 relative).
 */
import type { PredictionType, SchedulerConfig, TimestepSpacing } from '../types';

// ---------------------------------------------------------------------------------------------------------------
// numpy-compatible helpers: diffusers builds its timesteps with numpy, and the rounding of .5 values matters.

/** numpy's `round` (round half to even): 166.5 → 166, 499.5 → 500. `Math.round` would give 167 and 500. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** `np.linspace(start, stop, num, endpoint)`: y_i = start + i·step, the last value exactly `stop` when endpoint. */
export function linspace(start: number, stop: number, num: number, endpoint = true): number[] {
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  const y = Array.from({ length: num }, (_, i) => start + i * step);
  if (endpoint && num > 1) y[num - 1] = stop;
  return y;
}

/**
 * `np.arange(start, stop, step)` with a float step, value for value: numpy fills y_i = start + i·δ with
 * δ = (start + step) − start (not `step` itself), which decides a few .5 roundings downstream.
 * The length is `ceil((stop − start) / step)`, which for some step counts (e.g. 1000 / 61) comes out one too long;
 * callers that need exactly n values take the first n (see `trailing`).
 */
export function arange(start: number, stop: number, step: number): number[] {
  const length = Math.max(0, Math.ceil((stop - start) / step));
  const delta = start + step - start;
  return Array.from({ length }, (_, i) => (i === 0 ? start : i === 1 ? start + step : start + i * delta));
}

/** `np.interp(x, [0, 1, …, fp.length−1], fp)`: linear interpolation, clamped at both ends. */
export function interpIndex(x: number, fp: ArrayLike<number>): number {
  const last = fp.length - 1;
  if (x <= 0) return fp[0] as number;
  if (x >= last) return fp[last] as number;
  const j = Math.floor(x);
  const lo = fp[j] as number;
  const hi = fp[j + 1] as number;
  return lo + (hi - lo) * (x - j);
}

// ---------------------------------------------------------------------------------------------------------------
// Training schedule

/** ᾱ(t) of Nichol & Dhariwal (2021), eq. 17: cos²(((t + s)/(1 + s)) · π/2) with s = 0.008, t ∈ [0, 1]. */
function cosineAlphaBar(t: number): number {
  return Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
}

/**
 * β_t for t = 0 … N−1.
 * - 'linear': DDPM, β linear from betaStart to betaEnd.
 * - 'scaled_linear': Stable Diffusion, √β linear from √betaStart to √betaEnd, then squared.
 * - 'squaredcos_cap_v2': β_t = min(1 − ᾱ((t+1)/N) / ᾱ(t/N), 0.999) (diffusers' `betas_for_alpha_bar`; the cap keeps
 *   the last β < 1 so that ᾱ_{N−1} > 0). betaStart/betaEnd are ignored, as in diffusers.
 */
export function betas(config: SchedulerConfig): Float64Array {
  const n = config.numTrainTimesteps;
  const out = new Float64Array(n);
  switch (config.betaSchedule) {
    case 'linear': {
      const b = linspace(config.betaStart, config.betaEnd, n);
      for (let i = 0; i < n; i++) out[i] = b[i] as number;
      return out;
    }
    case 'scaled_linear': {
      const r = linspace(Math.sqrt(config.betaStart), Math.sqrt(config.betaEnd), n);
      for (let i = 0; i < n; i++) out[i] = (r[i] as number) ** 2;
      return out;
    }
    case 'squaredcos_cap_v2': {
      for (let i = 0; i < n; i++) out[i] = Math.min(1 - cosineAlphaBar((i + 1) / n) / cosineAlphaBar(i / n), 0.999);
      return out;
    }
  }
}

/** ᾱ_t = ∏_{s≤t} (1 − β_s), in float64. */
export function alphasCumprod(config: SchedulerConfig): Float64Array {
  const b = betas(config);
  const out = new Float64Array(b.length);
  let prod = 1;
  for (let i = 0; i < b.length; i++) {
    prod *= 1 - (b[i] as number);
    out[i] = prod;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Inference timesteps

function checkSteps(config: SchedulerConfig, steps: number): void {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`Inference steps must be a positive integer, got ${steps}.`);
  if (steps > config.numTrainTimesteps)
    throw new RangeError(`Inference steps (${steps}) cannot exceed the training timesteps (${config.numTrainTimesteps}).`);
}

/** `round(arange(last, 0, −N/steps)) − 1`, exactly `steps` values (numpy may emit an extra −1; see `arange`). */
function trailing(last: number, numTrain: number, steps: number): number[] {
  return arange(last, 0, -numTrain / steps)
    .slice(0, steps)
    .map((t) => roundHalfEven(t) - 1);
}

/**
 * Descending inference timesteps as DDIMScheduler / EulerDiscreteScheduler compute them:
 * - 'leading':  (0, r, 2r, …)·reversed + stepsOffset with r = ⌊N/steps⌋ (SD 1.x: 5 steps → [801, 601, 401, 201, 1]);
 * - 'trailing': round(N, N − N/steps, …) − 1 (5 steps → [999, 799, 599, 399, 199]);
 * - 'linspace': linspace(0, N−1, steps) reversed; DDIM rounds (half to even) to integers, Euler keeps the fractions
 *   (`fractional`), stored as float32 like diffusers' tensor.
 * Steps offset only applies to 'leading', as in diffusers.
 */
export function spacedTimesteps(config: SchedulerConfig, steps: number, fractional: boolean): number[] {
  checkSteps(config, steps);
  const n = config.numTrainTimesteps;
  switch (config.timestepSpacing) {
    case 'leading': {
      const ratio = Math.floor(n / steps);
      return Array.from({ length: steps }, (_, i) => (steps - 1 - i) * ratio + config.stepsOffset);
    }
    case 'trailing':
      return trailing(n, n, steps);
    case 'linspace': {
      const t = linspace(0, n - 1, steps).reverse();
      return fractional ? t.map((x) => Math.fround(x)) : t.map(roundHalfEven);
    }
  }
}

/**
 * DPMSolverMultistepScheduler's timesteps (its own rules, with λ_min clipping off so the last usable timestep is N):
 * - 'linspace': linspace(0, N−1, steps + 1) rounded, reversed, last (0) dropped → 5 steps: [999, 799, 599, 400, 200];
 * - 'leading':  (0, r, …, steps·r) reversed, last dropped, + stepsOffset, with r = ⌊N/(steps + 1)⌋;
 * - 'trailing': same as DDIM.
 */
export function dpmSolverTimesteps(config: SchedulerConfig, steps: number): number[] {
  checkSteps(config, steps);
  const n = config.numTrainTimesteps;
  const spacing: TimestepSpacing = config.timestepSpacing;
  switch (spacing) {
    case 'linspace':
      return linspace(0, n - 1, steps + 1).map(roundHalfEven).reverse().slice(0, steps);
    case 'leading': {
      const ratio = Math.floor(n / (steps + 1));
      return Array.from({ length: steps }, (_, i) => (steps - i) * ratio + config.stepsOffset);
    }
    case 'trailing':
      return trailing(n, n, steps);
  }
}

/**
 * LCMScheduler's timesteps (Luo et al. 2023): the distillation schedule is every k-th training timestep,
 * k = ⌊N / originalSteps⌋, i.e. (k−1, 2k−1, …, N−1); reversed, then `steps` of them at indices
 * ⌊linspace(0, originalSteps, steps, endpoint=false)⌋. 4 of 50 (N = 1000) → [999, 759, 499, 259].
 * Timestep spacing and steps offset do not apply (diffusers ignores them for LCM).
 */
export function lcmTimesteps(numTrainTimesteps: number, steps: number, originalSteps: number): number[] {
  if (!Number.isInteger(originalSteps) || originalSteps < 1 || originalSteps > numTrainTimesteps)
    throw new RangeError(`LCM original inference steps must be in 1…${numTrainTimesteps}, got ${originalSteps}.`);
  if (!Number.isInteger(steps) || steps < 1 || steps > originalSteps)
    throw new RangeError(`LCM inference steps must be in 1…${originalSteps}, got ${steps}.`);
  const k = Math.floor(numTrainTimesteps / originalSteps);
  const origin = Array.from({ length: originalSteps }, (_, i) => (originalSteps - i) * k - 1);
  return linspace(0, originalSteps, steps, false).map((x) => origin[Math.floor(x)] as number);
}

// ---------------------------------------------------------------------------------------------------------------
// Sigmas

/** σ_t = √((1−ᾱ_t)/ᾱ_t) for every training timestep (ascending in t). */
export function sigmasFromAlphasCumprod(ac: Float64Array): Float64Array {
  return ac.map((a) => Math.sqrt((1 - a) / a));
}

/**
 * Karras et al. (2022), eq. 5 with ρ = 7: σ_i = (σ_max^{1/ρ} + i/(n−1) · (σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ, i = 0 … n−1.
 * Uniform steps in σ^{1/ρ} spend more steps at low noise than uniform timesteps do.
 */
export function karrasSigmas(sigmaMin: number, sigmaMax: number, n: number, rho = 7): number[] {
  const maxInv = sigmaMax ** (1 / rho);
  const minInv = sigmaMin ** (1 / rho);
  return linspace(0, 1, n).map((r) => (maxInv + r * (minInv - maxInv)) ** rho);
}

/**
 * The (fractional) training timestep of a σ, by linear interpolation of log σ between the two neighbouring training
 * timesteps (diffusers' `_sigma_to_t`); clamped to [0, N−1]. `logSigmas` ascends with t.
 */
export function sigmaToTimestep(sigma: number, logSigmas: ArrayLike<number>): number {
  const logSigma = Math.log(Math.max(sigma, 1e-10));
  const n = logSigmas.length;
  // low = the last t with log σ_t ≤ log σ (0 if none), kept below n−1 so that low + 1 exists.
  let low = 0;
  for (let i = 0; i < n; i++) if (logSigma - (logSigmas[i] as number) >= 0) low = i;
  low = Math.min(low, n - 2);
  const lo = logSigmas[low] as number;
  const hi = logSigmas[low + 1] as number;
  const w = Math.min(1, Math.max(0, (lo - logSigma) / (lo - hi)));
  return (1 - w) * low + w * (low + 1);
}

// ---------------------------------------------------------------------------------------------------------------
// Model output → x̂0 / ε̂

/**
 * Coefficients (a, b) with x̂0 = a·x_t + b·m and ε̂ = c·x_t + d·m for a model output m at noise level (α, σ),
 * where x_t = α·x0 + σ·ε is the variance-preserving sample:
 * - epsilon (m = ε):                 x̂0 = (x_t − σ·m)/α,    ε̂ = m
 * - v_prediction (m = α·ε − σ·x0,    x̂0 = α·x_t − σ·m,      ε̂ = σ·x_t + α·m   (Salimans & Ho 2022, using α²+σ²=1)
 * - sample (m = x0):                 x̂0 = m,                ε̂ = (x_t − α·m)/σ
 */
function coefficients(type: PredictionType, alpha: number, sigma: number): { x0: [number, number]; eps: [number, number] } {
  switch (type) {
    case 'epsilon':
      return { x0: [1 / alpha, -sigma / alpha], eps: [0, 1] };
    case 'v_prediction':
      return { x0: [alpha, -sigma], eps: [sigma, alpha] };
    case 'sample':
      return { x0: [0, 1], eps: [1 / sigma, -alpha / sigma] };
  }
}

/** Noise level of one evaluation: VP coefficients (α, σ), and `sampleScale` taking the sampler's `sample` to x_t. */
export type NoiseLevel = { alpha: number; sigma: number; sampleScale?: number };

function combine(sample: Float32Array, modelOutput: Float32Array, cs: number, cm: number): Float32Array {
  if (sample.length !== modelOutput.length)
    throw new RangeError(`Model output has ${modelOutput.length} values but the sample has ${sample.length}.`);
  const out = new Float32Array(sample.length);
  for (let i = 0; i < out.length; i++) out[i] = cs * (sample[i] as number) + cm * (modelOutput[i] as number);
  return out;
}

/** x̂0 from a model output (see `coefficients`); Euler passes sampleScale = α = 1/√(σ²+1) for its x0 + σε latents. */
export function predictX0(type: PredictionType, modelOutput: Float32Array, sample: Float32Array, level: NoiseLevel): Float32Array {
  const [a, b] = coefficients(type, level.alpha, level.sigma).x0;
  return combine(sample, modelOutput, a * (level.sampleScale ?? 1), b);
}

/** ε̂ from a model output (see `coefficients`). */
export function predictEps(type: PredictionType, modelOutput: Float32Array, sample: Float32Array, level: NoiseLevel): Float32Array {
  const [c, d] = coefficients(type, level.alpha, level.sigma).eps;
  return combine(sample, modelOutput, c * (level.sampleScale ?? 1), d);
}

/** VP coefficients of training timestep t: α = √ᾱ_t, σ = √(1−ᾱ_t). */
export function levelAt(ac: Float64Array, t: number): NoiseLevel {
  const a = ac[t];
  if (a === undefined) throw new RangeError(`Timestep ${t} is outside the training schedule 0…${ac.length - 1}.`);
  return { alpha: Math.sqrt(a), sigma: Math.sqrt(1 - a) };
}

/** Check the explicit step index (the API makes out-of-order stepping an error instead of silent corruption). */
export function checkStepIndex(stepIndex: number, expected: number, count: number): void {
  if (stepIndex !== expected || expected >= count)
    throw new RangeError(
      expected >= count
        ? `All ${count} steps have been taken; create a new scheduler to sample again.`
        : `Steps must be taken in order: expected step ${expected}, got ${stepIndex}.`,
    );
}

/** The validated `firstStep` option: an index of the schedule (the run then starts there). */
export function firstStepIndex(firstStep: number | undefined, count: number): number {
  const f = firstStep ?? 0;
  if (!Number.isInteger(f) || f < 0 || f >= count) throw new RangeError(`First step ${f} is outside 0…${count - 1}.`);
  return f;
}

/** Check that a step index exists (for `scaleModelInput`, which does not advance the sampler). */
export function checkStepRange(stepIndex: number, count: number): void {
  if (!Number.isInteger(stepIndex) || stepIndex < 0 || stepIndex >= count)
    throw new RangeError(`Step index ${stepIndex} is outside 0…${count - 1}.`);
}
