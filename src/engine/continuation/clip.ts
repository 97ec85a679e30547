/**
 * A clip of any length, from text, an image or the last frames of another clip, optionally ending at an image and
 * optionally at twice the model's frame rate: the entry points for Extend and Start-from-an-image. Windows run
 * one after another (windows.ts), each with its own seed (seeds.ts) and its known frames taken by the method its
 * denoiser allows (window-condition.ts). Memory is bounded: frames leave through `onFrames` as each window makes
 * them, and between windows only the latent frames the next window knows are kept.
 */
import { KinetoError } from '../errors';
import type { PipelineModels } from '../pipelines/shared';
import type { Frames, GenerateParams, ModelManifest } from '../types';
import { createDoubler } from './doubling';
import { encodeFrames, type LatentFrame } from './known-latents';
import type { ReconstructionGuidance } from './replacement';
import { type ClipHooks, createWindowRunner, type Placed, type WindowReport } from './window-runner';
import { type ClipStart, planDoubling, planModelClip } from './windows';

/**
 * The fallback's reconstruction guidance unless a request sets its own (replacement.ts). Measured on Kineto-Shapes,
 * 10 ground-truth world clips continued from 8 frames (as tests/node/engine/continuation/clip.test.ts does), median
 * distance in px between the first new frame's object and the clip's own next frame — Fast preset: 2.6 with
 * replacement alone (w_r = 0), 2.2 at w_r 0.5 / γ 0.5, 1.4 at 1 / 0.5, 1.0 at 1 / 0.8 (14.3 from text alone);
 * Quality at 10 steps: 1.7, 1.2, 1.1, 1.1 (13.5). The detected directions and speeds of the new frames did not change.
 */
export const DEFAULT_RECONSTRUCTION_GUIDANCE: ReconstructionGuidance = { weight: 1, decay: 0.8 };

/** The longest clip a request may ask for, in seconds at the model's fps: about 40 windows of Kineto-Shapes. */
export const MAX_CLIP_SECONDS = 60;

export type ClipRequest = {
  /** Prompt, seed and sampler; `frames` is how many frames to write at the model's fps (before doubling). */
  params: GenerateParams;
  /** An image as output frame 0, or the frames of a clip to continue (at the model's size; the last ones count). */
  start?: { kind: 'image'; image: Frames } | { kind: 'clip'; frames: Frames };
  /** One frame the clip ends at. */
  end?: Frames;
  /** Make the frames between: twice as many frames, at twice the fps. */
  doubleFrameRate?: boolean;
  /** Known frames each window takes from the one before (default `defaultOverlap`: a quarter of the window). */
  overlap?: number;
  guidance?: ReconstructionGuidance;
};

export type ClipResult = {
  frames: number;
  fps: number;
  windows: WindowReport[];
  unknownWords: string[];
  truncatedWords: number;
  /** The most latent frames held between windows (the memory bound: at most one window's worth). */
  keptLatentFrames: number;
};

/** The most frames a clip may have at the model's fps (`MAX_CLIP_SECONDS`). */
export function maxClipFrames(manifest: ModelManifest, fps = manifest.defaults.fps): number {
  return MAX_CLIP_SECONDS * fps;
}

function checkClip(manifest: ModelManifest, request: ClipRequest): void {
  if (manifest.pipeline !== 'text-to-video')
    throw new KinetoError('bad-parameter', `${manifest.name} makes video from an image model (${manifest.pipeline}); long clips, images and in-betweens need a video denoiser (pipeline "text-to-video").`);
  const max = maxClipFrames(manifest, request.params.fps);
  if (request.params.frames > max)
    throw new KinetoError('bad-parameter', `A clip is at most ${MAX_CLIP_SECONDS} s (${max} frames at ${request.params.fps} fps); ${request.params.frames} frames were asked for. Make it in parts with Extend (--continue).`);
}

export async function generateClip(manifest: ModelManifest, models: PipelineModels, request: ClipRequest,
  hooks: ClipHooks): Promise<ClipResult> {
  checkClip(manifest, request);
  const { params } = request;
  const given = request.start ? await encodeFrames(manifest, models, request.start.kind === 'image' ? request.start.image : request.start.frames) : [];
  const endLatent = request.end ? (await encodeFrames(manifest, models, request.end))[0] : undefined;
  const start: ClipStart = !request.start ? { kind: 'text' } : request.start.kind === 'image' ? { kind: 'image' } : { kind: 'clip', frames: given.length };
  const plans = planModelClip(manifest.latent, params.frames, start, endLatent !== undefined, request.overlap);
  const doublingPlans = request.doubleFrameRate ? planDoubling(params.frames, manifest.latent.frames, manifest.latent.framesMultipleOf) : [];
  const keyframes = givenKeyframes(request, doublingPlans.length > 0);
  const runner = createWindowRunner(manifest, models, params, withKeyframes(hooks, keyframes), request.guidance ?? DEFAULT_RECONSTRUCTION_GUIDANCE, plans.length + doublingPlans.length);
  const doubler = doublingPlans.length ? createDoubler(runner, doublingPlans) : null;

  let carried: LatentFrame[] = given;
  let carriedBase = 0; // the frame number, in its source's numbering, of carried[0]
  let kept = 0;
  for (const plan of plans) {
    const placed: Placed[] = plan.known.map((k) => ({ position: k.position, latent: k.from === 'end' ? endLatent! : carried[k.index - carriedBase]! }));
    const { latents, report } = await runner.run('clip', plan.index, plan.frames, placed, plan.known);
    if (doubler) {
      await doubler.feed(plan.outputs.map((o) => latents[o.position]!));
      hooks.onWindow?.(report);
    } else await runner.emit(latents, plan.outputs, report);
    carried = latents.slice(plan.frames - plan.carry);
    carriedBase = plan.frames - plan.carry;
    kept = Math.max(kept, carried.length + (doubler?.held ?? 0));
  }
  return {
    frames: doubler ? 2 * params.frames : params.frames,
    fps: doubler ? 2 * params.fps : params.fps,
    windows: runner.reports,
    ...runner.words,
    keptLatentFrames: kept,
  };
}

/** The output frames that are images the request gave (a start image, an end frame), by frame number. */
function givenKeyframes(request: ClipRequest, doubled: boolean): Map<number, Uint8ClampedArray> {
  const given = new Map<number, Uint8ClampedArray>();
  if (request.start?.kind === 'image') given.set(0, request.start.image.rgba[0]!);
  if (request.end) given.set((doubled ? 2 : 1) * (request.params.frames - 1), request.end.rgba[0]!);
  return given;
}

/**
 * `hooks` writing the given images themselves at their frames: a keyframe comes back as the person gave it, not as the
 * autoencoder's copy of it (29.3 dB at worst on the world's clips: its round trip, which no denoiser can improve on).
 */
function withKeyframes(hooks: ClipHooks, keyframes: Map<number, Uint8ClampedArray>): ClipHooks {
  if (keyframes.size === 0) return hooks;
  return {
    ...hooks,
    onFrames: (frames, first) => hooks.onFrames({ ...frames, rgba: frames.rgba.map((f, i) => keyframes.get(first + i)?.slice() ?? f) }, first),
  };
}

/**
 * The frames between a clip's frames: 2 × `clip.count` frames at 2 × `params.fps` (`params.frames` is ignored).
 * The clip's own frames come back at the even positions, re-decoded from their latents.
 */
export async function doubleFrameRate(manifest: ModelManifest, models: PipelineModels, params: GenerateParams, clip: Frames,
  hooks: ClipHooks, guidance: ReconstructionGuidance = DEFAULT_RECONSTRUCTION_GUIDANCE): Promise<ClipResult> {
  checkClip(manifest, { params: { ...params, frames: clip.count } });
  const { frames: w, framesMultipleOf: m } = manifest.latent;
  const plans = planDoubling(clip.count, w, m);
  const runner = createWindowRunner(manifest, models, params, hooks, guidance, plans.length);
  const doubler = createDoubler(runner, plans);
  // Encoded a window's worth at a time, so that only the source frames a window needs are held.
  const step = Math.max(1, Math.floor(w / 2));
  let kept = 0;
  for (let i = 0; i < clip.count; i += step) {
    const part: Frames = { ...clip, count: Math.min(step, clip.count - i), rgba: clip.rgba.slice(i, i + step) };
    await doubler.feed(await encodeFrames(manifest, models, part));
    kept = Math.max(kept, doubler.held);
  }
  return { frames: 2 * clip.count, fps: 2 * params.fps, windows: runner.reports, ...runner.words, keptLatentFrames: kept };
}
