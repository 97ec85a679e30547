/**
 * Which frames of a window are known, named by purpose as in training/masks.py (the masks Kineto-Shapes 2 was
 * trained on): masked conditioning after MCVD — Voleti, Jolicoeur-Martineau & Pal, "MCVD: Masked Conditional Video
 * Diffusion for Prediction, Generation, and Interpolation", NeurIPS 2022 (arXiv:2205.09853) — where one denoiser
 * does generation, prediction and interpolation, chosen by the mask at sampling time.
 *
 * A window the planner makes may know frames in a pattern no mask names (a clip that must end at an image knows
 * its first frames and its last); `matchMask` then finds none and the window runs the training-free fallback.
 */
import type { ConditioningMask, ConditioningSpec } from '../types';

/** The known frames of mask `name` in a window of `frames` (`k`: how many leading frames `continue` knows). */
export function knownFrames(name: ConditioningMask, frames: number, k = 0): boolean[] {
  const known = new Array<boolean>(frames).fill(false);
  switch (name) {
    case 'text_to_video':
      break;
    case 'image_to_video':
      known[0] = true;
      break;
    case 'continue':
      if (!Number.isInteger(k) || k < 1 || k >= frames) throw new RangeError(`continue knows 1…${frames - 1} frames (got ${k}).`);
      known.fill(true, 0, k);
      break;
    case 'keyframes':
      known[0] = true;
      known[frames - 1] = true;
      break;
    case 'double_frame_rate':
      for (let i = 0; i < frames; i += 2) known[i] = true;
      break;
    default: {
      const unknown: never = name;
      throw new RangeError(`Unknown mask "${String(unknown)}".`);
    }
  }
  return known;
}

/**
 * The mask `known` is, among those `trained` lists (a `continue` of at most `continueMaxKnown` frames), or null:
 * the conditioned denoiser then gets no frames it was trained to read in that pattern.
 */
export function matchMask(known: readonly boolean[], trained: ConditioningSpec): ConditioningMask | null {
  const same = (a: readonly boolean[]) => a.every((v, i) => v === known[i]);
  for (const name of trained.masks) {
    if (name !== 'continue') {
      if (same(knownFrames(name, known.length))) return name;
      continue;
    }
    const k = known.indexOf(false);
    if (k >= 1 && k <= trained.continueMaxKnown && same(knownFrames('continue', known.length, k))) return name;
  }
  return null;
}

/** `known` as the denoiser's `cond_mask` [batch, 1, F, H, W]: 1 on every latent pixel of a known frame. */
export function maskTensor(known: readonly boolean[], batch: number, height: number, width: number): Float32Array {
  const plane = height * width;
  const out = new Float32Array(batch * known.length * plane);
  for (let b = 0; b < batch; b++)
    known.forEach((k, f) => k && out.fill(1, (b * known.length + f) * plane, (b * known.length + f + 1) * plane));
  return out;
}
