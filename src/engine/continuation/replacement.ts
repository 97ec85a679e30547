/**
 * Known frames for a denoiser that was never trained to read them: the training-free fallback of Ho, Salimans,
 * Gritsenko, Chan, Norouzi & Fleet, "Video Diffusion Models", NeurIPS 2022 (arXiv:2204.03458), §3.1
 * "Reconstruction-guided sampling", done without gradients because onnxruntime inference gives none.
 *
 * Notation: a window's latents split into known frames x^a (given) and unknown x^b (to make); the model input at
 * step i is the VP z_i = α_i·x + σ_i·ε (`Scheduler.levels[i]`); x̂_θ(z_i) is the model's estimate of the clean clip.
 *
 * 1. Replacement (§3.1): before every model call the known frames of the sample are replaced by a fresh draw from
 *    the forward process at that step's level, z_i^a ~ q(z_i | x^a) = N(α_i·x^a, σ_i²·I), seeded per window; after
 *    the last step they are x^a exactly. The paper shows replacement alone leaves x^b poorly coherent with x^a:
 *    nothing in the unknown frames' update depends on how well the model explains the known ones.
 * 2. Reconstruction guidance (§3.1, eq. 7) corrects the unknown frames' estimate by the known frames' error:
 *        x̃^b = x̂^b − (w_r·α_i / 2) · ∇_{z^b} ‖x^a − x̂^a(z_i)‖²  =  x̂^b + w_r·α_i · Jᵀ (x^a − x̂^a),  J = ∂x̂^a/∂z^b.
 *    J needs the denoiser's gradient. Gradient-free form used here: Jᵀ is replaced by a fixed map that carries each
 *    known frame's error to the unknown frames near it, Jᵀ ≈ K/α_i with K[b, a] = γ^{|b−a|} for the nearest known
 *    frame a of b (ties averaged): the assumption that the estimates of frames close in time err alike (the
 *    denoiser's x̂ of a frame responds to the input as its neighbours' do, like the 1/α_i identity of a frame's own
 *    x̂0 ≈ z/α_i), decaying by γ per frame of distance. Then x̃^b = x̂^b + w_r · Σ_a K[b, a]·(x^a − x̂^a): where the
 *    model's estimate of a known frame misses (an object elsewhere, another colour), the frames beside it are
 *    nudged the same way. It is a heuristic, not the paper's gradient; `w_r = 0` is plain replacement.
 * 3. The corrected estimate goes back into the sampler as the model output it implies at z_i (ε̃ = (z − α·x̃)/σ,
 *    ṽ = α·ε̃ − σ·x̃), so every Kineto sampler (DDIM, Euler, DPM-Solver++, LCM) runs unchanged.
 */
import type { Rng } from '../rng';
import type { Scheduler } from '../schedulers';
import { predictX0, type NoiseLevel } from '../schedulers/schedule';
import type { PredictionType } from '../types';

/** Reconstruction guidance weight w_r and per-frame decay γ of the gradient-free form (see the header). */
export type ReconstructionGuidance = { weight: number; decay: number };

/** Window geometry: latents [1, C, F, H, W] as channel-major planes. */
export type WindowShape = { channels: number; frames: number; plane: number };

/** The sampler-space factor of step i's sample: VP input = sample × scale (1 for DDPM-style samplers). */
export function vpScale(scheduler: Scheduler, stepIndex: number): number {
  return scheduler.scaleModelInput(Float32Array.of(1), stepIndex)[0]!;
}

/** Step 1: `x` with its known frames replaced by α·x^a + σ·ε at step i's level, in the sampler's sample space. */
export function replaceKnown(x: Float32Array, known: readonly boolean[], x0: Float32Array, shape: WindowShape,
  level: NoiseLevel, scale: number, rng: Rng): Float32Array {
  const out = x.slice();
  const { channels, frames, plane } = shape;
  for (let c = 0; c < channels; c++)
    for (let f = 0; f < frames; f++) {
      if (!known[f]) continue;
      const base = (c * frames + f) * plane;
      for (let p = 0; p < plane; p++) out[base + p] = (level.alpha * x0[base + p]! + level.sigma * rng.nextGaussian()) / scale;
    }
  return out;
}

/** The known frames exactly (after the last step, when the sample is the clean estimate). */
export function putKnown(x: Float32Array, known: readonly boolean[], x0: Float32Array, shape: WindowShape): Float32Array {
  const out = x.slice();
  const { channels, frames, plane } = shape;
  for (let c = 0; c < channels; c++)
    for (let f = 0; f < frames; f++) if (known[f]) out.set(x0.subarray((c * frames + f) * plane, (c * frames + f + 1) * plane), (c * frames + f) * plane);
  return out;
}

/** K[b, ·] of step 2: for each unknown frame, its nearest known frames and their weight γ^distance (ties share it). */
export function errorKernel(known: readonly boolean[], decay: number): { from: number[]; weight: number }[] {
  return known.map((k, b) => {
    if (k) return { from: [], weight: 0 };
    let best = Infinity;
    let from: number[] = [];
    known.forEach((ka, a) => {
      if (!ka) return;
      const d = Math.abs(a - b);
      if (d < best) [best, from] = [d, [a]];
      else if (d === best) from.push(a);
    });
    return { from, weight: from.length ? decay ** best / from.length : 0 };
  });
}

/**
 * Steps 2–3: the model output with the unknown frames' x̂ corrected by the known frames' reconstruction error, as
 * the output the sampler expects (`input` is the VP model input z_i).
 */
export function guideUnknown(modelOutput: Float32Array, input: Float32Array, type: PredictionType, level: NoiseLevel,
  known: readonly boolean[], x0Known: Float32Array, shape: WindowShape, guidance: ReconstructionGuidance): Float32Array {
  if (guidance.weight === 0 || !known.some(Boolean) || known.every(Boolean)) return modelOutput;
  const { channels, frames, plane } = shape;
  const x0 = predictX0(type, modelOutput, input, level);
  const kernel = errorKernel(known, guidance.decay);
  const out = modelOutput.slice();
  const { alpha, sigma } = level;
  for (let c = 0; c < channels; c++)
    for (let b = 0; b < frames; b++) {
      const { from, weight } = kernel[b]!;
      if (from.length === 0) continue;
      const base = (c * frames + b) * plane;
      for (let p = 0; p < plane; p++) {
        let err = 0;
        for (const a of from) err += x0Known[(c * frames + a) * plane + p]! - x0[(c * frames + a) * plane + p]!;
        const x = x0[base + p]! + guidance.weight * weight * err;
        const z = input[base + p]!;
        const eps = (z - alpha * x) / sigma;
        out[base + p] = type === 'epsilon' ? eps : type === 'v_prediction' ? alpha * eps - sigma * x : x;
      }
    }
  return out;
}
