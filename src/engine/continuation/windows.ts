/**
 * Window arithmetic: a clip longer than the denoiser's window is a run of windows, each knowing a few frames (the
 * last frames of the window before, an image, a previous clip's last frames) and making the rest, as Ho et al.
 * (2022, *Video Diffusion Models*, §3.1 and §4.3.2) extend a clip autoregressively with a model of fixed length.
 * Pure numbers: which positions of each window are known and where they come from, which positions become which
 * frames of the output, and how many latent frames must be kept between windows (the memory bound: nothing else).
 *
 *   window 0   [k k k k n n n n n n n n n n n n]      k known, n new; the last `overlap` frames …
 *   window 1           … [k k k k n n n n n n n n n n n n]   … are the next window's known frames
 */
import { KinetoError } from '../errors';

/** Where a known window position comes from: the clip's start (an image or a previous clip), its end image, or
 * the window before (its position `index`). */
export type KnownSource = { position: number; from: 'start' | 'end' | 'previous-window'; index: number };

export type WindowPlan = {
  index: number;
  /** Latent frames of the window: a multiple of the model's `frames_multiple_of`, at most the window size. */
  frames: number;
  known: KnownSource[];
  /** The window positions written out, each with its frame number in the output. */
  outputs: { position: number; frame: number }[];
  /** How many of this window's last latent frames the next window knows (0 for the last). */
  carry: number;
};

/** How a clip starts: from text alone, from an image (output frame 0), or after `frames` frames of another clip. */
export type ClipStart = { kind: 'text' } | { kind: 'image' } | { kind: 'clip'; frames: number };

export type ClipShape = {
  /** Frames to write out (an image start counts as the first of them; a previous clip's frames do not). */
  frames: number;
  /** The denoiser's largest window (manifest `latent.frames`) and its `frames_multiple_of`. */
  windowFrames: number;
  multipleOf: number;
  /** Known frames each window takes from the one before. */
  overlap: number;
  start: ClipStart;
  /** The last output frame is a given image. */
  end: boolean;
};

const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;

/** The overlap Kineto uses when none is asked for: a quarter of the window (4 of 16), at least 1. */
export function defaultOverlap(windowFrames: number): number {
  return Math.max(1, Math.floor(windowFrames / 4));
}

/**
 * The windows of a clip. Every window but the last is full; the last is the shortest multiple of `multipleOf` that
 * holds what is left (extra positions are made and dropped) — except when the clip ends at an image, which must sit
 * on the window's last position: that window then knows more of the frames before it instead.
 */
export function planClip(shape: ClipShape): WindowPlan[] {
  const { frames, windowFrames: w, multipleOf: m, overlap, start, end } = shape;
  if (!Number.isInteger(frames) || frames < 1) throw new KinetoError('bad-parameter', `A clip needs at least one frame (got ${frames}).`);
  if (!Number.isInteger(overlap) || overlap < 1 || overlap >= w) throw new KinetoError('bad-parameter', `Windows of ${w} frames overlap by 1…${w - 1} frames (got ${overlap}).`);
  if (w % m !== 0) throw new KinetoError('bad-manifest', `The window of ${w} frames is not a multiple of ${m}.`);
  // Frames given before the clip's first window: the image, or the previous clip's (the planner takes the last ones).
  const available = start.kind === 'clip' ? start.frames : start.kind === 'image' ? 1 : 0;
  if (start.kind === 'clip' && available < 1) throw new KinetoError('bad-parameter', 'A clip to continue needs at least one frame.');
  if (start.kind === 'image' && end && frames < 2) throw new KinetoError('bad-parameter', 'From one image to another takes at least two frames.');

  const plans: WindowPlan[] = [];
  let written = 0;
  let prefix = Math.min(overlap, available);
  for (let index = 0; written < frames; index++) {
    // An image start is output frame 0: window 0 writes its own known position 0.
    const writesPrefix = index === 0 && start.kind === 'image';
    const fresh = frames - written - (writesPrefix ? 1 : 0); // positions after the prefix still to write
    const last = prefix + fresh <= w;
    let length = last ? roundUp(prefix + fresh, m) : w;
    if (last && end) {
      // The end image sits on the last position: the slack becomes more known frames from before.
      const slack = length - (prefix + fresh);
      const before = index > 0 ? plans[index - 1]!.frames : available;
      if (slack > before - prefix) {
        throw new KinetoError('bad-parameter', `A clip that ends at an image must fill its last window exactly (${m === 1 ? 'any number of frames' : `frames in multiples of ${m}`} up to ${w}): ask for ${frames + slack} frames instead of ${frames}.`);
      }
      prefix += slack;
      if (index > 0) plans[index - 1]!.carry = prefix;
      length = prefix + fresh;
    }
    const base = index > 0 ? plans[index - 1]!.frames - prefix : available - prefix;
    const known: KnownSource[] = [];
    for (let p = 0; p < prefix; p++) known.push({ position: p, from: index === 0 ? 'start' : 'previous-window', index: base + p });
    if (last && end) known.push({ position: length - 1, from: 'end', index: 0 });
    const outputs: WindowPlan['outputs'] = [];
    for (let p = writesPrefix ? 0 : prefix; p < length && written < frames; p++) outputs.push({ position: p, frame: written++ });
    const carry = written < frames ? Math.min(overlap, length) : 0;
    plans.push({ index, frames: length, known, outputs, carry });
    prefix = carry;
  }
  return plans;
}

/** A denoiser's windows (manifest `latent`): the largest and the multiple of frames it takes. */
export type DenoiserWindow = { frames: number; framesMultipleOf: number };

/**
 * The windows `generateClip` runs on a denoiser of `latent` for `frames` frames from `start` (and to an end image
 * when `end`), so that a plan can be drawn before anything runs (the Lab's Conditioning view).
 */
export function planModelClip(latent: DenoiserWindow, frames: number, start: ClipStart, end = false, overlap = defaultOverlap(latent.frames)): WindowPlan[] {
  return planClip({ frames, windowFrames: latent.frames, multipleOf: latent.framesMultipleOf, overlap, start, end });
}

export type DoublingPlan = {
  index: number;
  frames: number;
  /** The source frames this window knows, at positions 0, 2, 4 …: source frame `first + i` at position 2i. */
  first: number;
  count: number;
  outputs: { position: number; frame: number }[];
};

/**
 * Doubling the frame rate of a clip of `sourceFrames` frames: every window knows up to half its length of source
 * frames at the even positions (training/masks.py's `double_frame_rate`) and makes the frames between. Consecutive
 * windows share one source frame, so each in-between is made once. The output has 2 × `sourceFrames` frames: the
 * last window's last odd position follows the last source frame at the new rate.
 */
export function planDoubling(sourceFrames: number, windowFrames: number, multipleOf: number): DoublingPlan[] {
  if (!Number.isInteger(sourceFrames) || sourceFrames < 1) throw new KinetoError('bad-parameter', `Doubling the frame rate needs at least one frame (got ${sourceFrames}).`);
  const perWindow = Math.floor(windowFrames / 2);
  if (perWindow < 2 && sourceFrames > 1) throw new KinetoError('bad-manifest', `A window of ${windowFrames} frames cannot hold two source frames and the one between.`);
  const plans: DoublingPlan[] = [];
  for (let first = 0, index = 0; ; index++) {
    const count = Math.min(perWindow, sourceFrames - first);
    const last = first + count === sourceFrames;
    const frames = roundUp(2 * count, multipleOf);
    if (frames > windowFrames) throw new KinetoError('bad-manifest', `A window of ${windowFrames} frames cannot hold ${count} source frames and the frames between.`);
    const outputs: DoublingPlan['outputs'] = [];
    const end = last ? 2 * count - 1 : 2 * count - 2;
    for (let p = index === 0 ? 0 : 1; p <= end; p++) outputs.push({ position: p, frame: 2 * first + p });
    plans.push({ index, frames, first, count, outputs });
    if (last) return plans;
    first += count - 1;
  }
}
