/**
 * How one window takes its known frames, and which method does it:
 * - `masked-conditioning`: the denoiser (the preset's `knownFramesDenoiser` when it has one) declares `cond_latents`
 *   and `cond_mask` (MCVD, Voleti et al. 2022, as
 *   training/masks.py trains Kineto-Shapes 2) and takes this window's mask (manifest `conditioning`). It
 *   reads the known latents at every step; the sample's known frames are also put back at each step's noise level,
 *   as in training, where the known frames of the noisy input are the clip's own at level t, and a gentle
 *   reconstruction guidance (CONDITIONED_GUIDANCE) holds the frames next to them.
 * - `replacement`: any other denoiser, or a mask it was not trained on: replacement with gradient-free
 *   reconstruction guidance (Ho et al. 2022, §3.1; see replacement.ts).
 * - `none`: nothing is known (a clip from text): the plain text-to-video loop.
 */
import { takesKnownFrames } from '../manifest-conditioning';
import { forKnownFrames } from '../presets';
import { Rng } from '../rng';
import type { Scheduler } from '../schedulers';
import type { ConditioningMask, DenoiserConditioning, ModelManifest } from '../types';
import { CONDITIONING_MASKS } from '../types';
import { maskTensor, matchMask } from './masks';
import { guideUnknown, putKnown, type ReconstructionGuidance, replaceKnown, vpScale, type WindowShape } from './replacement';

export const KNOWN_FRAME_METHODS = ['masked-conditioning', 'replacement', 'none'] as const;

/**
 * Reconstruction guidance on masked-conditioning windows, gentler than the fallback's (decay 0.5: it reaches the
 * frames beside the known ones, hardly further). Kineto-Shapes 2's conditioned students read the known frames, yet
 * the first frames they made jumped away from them; with this guidance, on its Fast preset (int8, 4 seeds,
 * `npm run eval:model`), a picture or a new prompt met the frames made without a jump in 100 % of clips, against
 * 77.8 % and 93.8 % without it, a 13-second clip's seams in 88.3 % against 84.4 %, and colour, shape and motion moved
 * by at most three windows of 144 or one clip of 36 (weight 1 with decay 0.8, the fallback's, cost long clips 6
 * points of colour; weight 0.5 with decay 0.8 sat between).
 */
export const CONDITIONED_GUIDANCE: ReconstructionGuidance = { weight: 1, decay: 0.5 };
export type KnownFrameMethod = (typeof KNOWN_FRAME_METHODS)[number];

/** The reconstruction guidance a `method`'s windows take: `replacement`, the fallback's; CONDITIONED_GUIDANCE otherwise. */
export function guidanceFor(method: Exclude<KnownFrameMethod, 'none'>, replacement: ReconstructionGuidance): ReconstructionGuidance {
  return method === 'replacement' ? replacement : CONDITIONED_GUIDANCE;
}

/** What the text-to-video loop asks of a window with known frames (`denoiseLatents`' last argument). */
export type WindowCondition = {
  /** Before the model call at step i: the sample with its known frames at that step's noise level. */
  prepare(x: Float32Array, stepIndex: number, scheduler: Scheduler): Float32Array;
  /** The denoiser's known-frame inputs for a batch (masked conditioning only). */
  conditioning(batch: number): DenoiserConditioning | undefined;
  /** The model output with its method's reconstruction guidance (`guidanceFor`). */
  guide(modelOutput: Float32Array, input: Float32Array, stepIndex: number, scheduler: Scheduler): Float32Array;
  /** After the last step: the known frames exactly. */
  finish(x: Float32Array): Float32Array;
};

/**
 * The method for a window knowing `known` on the denoiser of `manifest.components.denoiser`, and the mask its
 * pattern is (null: none of training/masks.py's; a `continue` of any length counts).
 */
export function chooseMethod(manifest: ModelManifest, known: readonly boolean[]): { method: KnownFrameMethod; mask: ConditioningMask | null } {
  const mask = matchMask(known, { masks: [...CONDITIONING_MASKS], continueMaxKnown: known.length - 1 });
  if (!known.some(Boolean)) return { method: 'none', mask };
  const trained = manifest.conditioning && takesKnownFrames(forKnownFrames(manifest).components.denoiser) && matchMask(known, manifest.conditioning);
  return { method: trained ? 'masked-conditioning' : 'replacement', mask };
}

/**
 * The condition of one window: `latents` [1, C, F, H, W] hold the known frames (zero elsewhere); `seed` draws the
 * replacement noise; `guidance` is the replacement method's.
 */
export function windowCondition(manifest: ModelManifest, method: Exclude<KnownFrameMethod, 'none'>, known: readonly boolean[],
  latents: Float32Array, seed: number, guidance: ReconstructionGuidance): WindowCondition {
  const { channels, height, width } = manifest.latent;
  const shape: WindowShape = { channels, frames: known.length, plane: height * width };
  const rng = new Rng(seed);
  const byBatch = new Map<number, DenoiserConditioning>();
  const guideWith = guidanceFor(method, guidance);
  return {
    prepare: (x, i, scheduler) => replaceKnown(x, known, latents, shape, scheduler.levels[i]!, vpScale(scheduler, i), rng),
    conditioning(batch) {
      if (method !== 'masked-conditioning') return undefined;
      let c = byBatch.get(batch);
      if (!c) {
        const data = new Float32Array(batch * latents.length);
        for (let b = 0; b < batch; b++) data.set(latents, b * latents.length);
        const dims = [batch, channels, known.length, height, width];
        c = { latents: { data, shape: dims }, mask: { data: maskTensor(known, batch, height, width), shape: [batch, 1, known.length, height, width] } };
        byBatch.set(batch, c);
      }
      return c;
    },
    guide: (out, input, i, scheduler) => guideUnknown(out, input, manifest.scheduler.predictionType, scheduler.levels[i]!, known,
      latents, shape, guideWith),
    finish: (x) => putKnown(x, known, latents, shape),
  };
}
