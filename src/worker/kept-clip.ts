/**
 * The last clip this worker made, kept at the model's size so that Extend and Continue with a new prompt carry it on
 * without the page sending it back: one clip only (a new one replaces it), with where each of its parts begins.
 */
import { continueClip, startFromImage } from '../engine/continuation';
import { KinetoError } from '../engine/errors';
import type { Frames, GenerateParams } from '../engine/types';
import type { LoadedModel } from '../runtime/load-model';
import type { PresetRun } from '../runtime/load-model';
import type { ClipPart } from './protocol';
import { collectFrames, modelsWithEncoder } from './known-frame-runs';
import type { RequestContext } from './request-queue';

let kept: { modelId: string; frames: Frames; parts: ClipPart[] } | null = null;

/** Keeps a new clip (from text): its first and only part so far. */
export function keepClip(modelId: string, frames: Frames, prompt: string): void {
  kept = { modelId, frames, parts: [{ prompt, startFrame: 0 }] };
}

/** Where each part of the kept clip begins. */
export function keptParts(): ClipPart[] {
  return kept?.parts ?? [];
}

/** A clip whose first frame is `image` (at the model's size). */
export async function clipFromImage(model: LoadedModel, run: PresetRun, params: GenerateParams, image: Frames, ctx: RequestContext) {
  const rgba: Uint8ClampedArray[] = [];
  const result = await startFromImage(run.manifest, await modelsWithEncoder(model, run, 'start from an image'), params, image, collectFrames(rgba, ctx));
  return { frames: { width: image.width, height: image.height, count: rgba.length, rgba }, unknownWords: result.unknownWords, truncatedWords: result.truncatedWords };
}

/**
 * The kept clip with `params.frames` new frames after it, continued from its last frames with `params.prompt`; the
 * whole clip, which is kept in its place.
 */
export async function extendKeptClip(model: LoadedModel, run: PresetRun, params: GenerateParams, ctx: RequestContext) {
  const clip = kept;
  if (!clip || clip.modelId !== model.manifest.id) throw new KinetoError('bad-parameter', 'There is no clip of this model to extend: generate one first.');
  const models = await modelsWithEncoder(model, run, 'continue a clip');
  const window = model.manifest.latent.frames;
  const last: Frames = { ...clip.frames, rgba: clip.frames.rgba.slice(-window), count: Math.min(window, clip.frames.count) };
  const added: Uint8ClampedArray[] = [];
  const result = await continueClip(run.manifest, models, params, last, collectFrames(added, ctx));
  const rgba = [...clip.frames.rgba, ...added];
  const frames: Frames = { ...clip.frames, count: rgba.length, rgba };
  kept = { modelId: clip.modelId, frames, parts: [...clip.parts, { prompt: params.prompt, startFrame: clip.frames.count }] };
  return { frames, unknownWords: result.unknownWords, truncatedWords: result.truncatedWords };
}
