/**
 * The last clip this worker made, kept at the model's size so that Extend and Continue with a new prompt carry it on
 * without the page sending it back: one clip only (a new one replaces it), with where each of its parts begins.
 */
import { continueClip, type ClipHooks, startFromImage } from '../engine/continuation';
import { KinetoError } from '../engine/errors';
import type { Frames, GenerateParams } from '../engine/types';
import type { LoadedModel } from '../runtime/load-model';
import type { PresetRun } from '../runtime/load-model';
import type { ClipPart } from './protocol';
import { nextMacrotask, type RequestContext } from './request-queue';

let kept: { modelId: string; frames: Frames; parts: ClipPart[] } | null = null;

/** Keeps a new clip (from text): its first and only part so far. */
export function keepClip(modelId: string, frames: Frames, prompt: string): void {
  kept = { modelId, frames, parts: [{ prompt, startFrame: 0 }] };
}

/** Where each part of the kept clip begins. */
export function keptParts(): ClipPart[] {
  return kept?.parts ?? [];
}

/** Hooks that collect a clip's frames into `into` and report each step as the `generate` request's progress. */
function collect(into: Uint8ClampedArray[], { emit, signal }: RequestContext): ClipHooks {
  return {
    onFrames: (f, first) => f.rgba.forEach((frame, i) => (into[first + i] = frame)),
    onProgress: async (p) => {
      emit({ type: 'step', step: p.window * p.totalSteps + p.step, totalSteps: p.windows * p.totalSteps, timestep: 0, preview: { width: 0, height: 0, frames: [] } });
      await nextMacrotask();
    },
    isCancelled: () => signal.aborted,
  };
}

async function withEncoder(model: LoadedModel, run: PresetRun, what: string) {
  const vaeEncoder = await model.vaeEncoder();
  if (!vaeEncoder) throw new KinetoError('bad-parameter', `${model.manifest.name} has no VAE encoder, so it cannot ${what}.`);
  return { ...run.models, vaeEncoder };
}

/** A clip whose first frame is `image` (at the model's size). */
export async function clipFromImage(model: LoadedModel, run: PresetRun, params: GenerateParams, image: Frames, ctx: RequestContext) {
  const rgba: Uint8ClampedArray[] = [];
  const result = await startFromImage(run.manifest, await withEncoder(model, run, 'start from an image'), params, image, collect(rgba, ctx));
  return { frames: { width: image.width, height: image.height, count: rgba.length, rgba }, unknownWords: result.unknownWords, truncatedWords: result.truncatedWords };
}

/**
 * The kept clip with `params.frames` new frames after it, continued from its last frames with `params.prompt`; the
 * whole clip, which is kept in its place.
 */
export async function extendKeptClip(model: LoadedModel, run: PresetRun, params: GenerateParams, ctx: RequestContext) {
  const clip = kept;
  if (!clip || clip.modelId !== model.manifest.id) throw new KinetoError('bad-parameter', 'There is no clip of this model to extend: generate one first.');
  const models = await withEncoder(model, run, 'continue a clip');
  const window = model.manifest.latent.frames;
  const last: Frames = { ...clip.frames, rgba: clip.frames.rgba.slice(-window), count: Math.min(window, clip.frames.count) };
  const added: Uint8ClampedArray[] = [];
  const result = await continueClip(run.manifest, models, params, last, collect(added, ctx));
  const rgba = [...clip.frames.rgba, ...added];
  const frames: Frames = { ...clip.frames, count: rgba.length, rgba };
  kept = { modelId: clip.modelId, frames, parts: [...clip.parts, { prompt: params.prompt, startFrame: clip.frames.count }] };
  return { frames, unknownWords: result.unknownWords, truncatedWords: result.truncatedWords };
}
