/**
 * The last clip this worker made, kept at the model's size so that Extend and Continue with a new prompt carry it on
 * without the page sending it back: one clip only (a new one replaces it), with where each of its parts begins and
 * whether it has Smooth motion. Also the Create form's clips that go through the continuation engine: from an image,
 * between two images (in-betweens), and with Smooth motion (the frame rate doubled).
 */
import { type ClipRequest, generateClip, modelFrameSize } from '../engine/continuation';
import { KinetoError } from '../engine/errors';
import type { Frames, GenerateParams } from '../engine/types';
import type { LoadedModel } from '../runtime/load-model';
import type { PresetRun } from '../runtime/load-model';
import type { ClipPart } from './protocol';
import { collectFrames, modelsWithEncoder } from './known-frame-runs';
import type { RequestContext } from './request-queue';

let kept: { modelId: string; frames: Frames; parts: ClipPart[]; smoothMotion: boolean } | null = null;

/** Keeps a new clip (not an extension): its first and only part so far. */
export function keepClip(modelId: string, frames: Frames, prompt: string, smoothMotion: boolean): void {
  kept = { modelId, frames, parts: [{ prompt, startFrame: 0 }], smoothMotion };
}

/** Where each part of the kept clip begins. */
export function keptParts(): ClipPart[] {
  return kept?.parts ?? [];
}

/**
 * The frames a clip's model made, at the model's rate: with Smooth motion every other frame (the doubled clip has
 * the model's frames at its even positions, the frames made between them at the odd ones).
 */
export function modelRateFrames(frames: Frames, smoothMotion: boolean): Frames {
  if (!smoothMotion) return frames;
  const rgba = frames.rgba.filter((_, i) => i % 2 === 0);
  return { ...frames, count: rgba.length, rgba };
}

/** What a clip from the Create form is given besides its prompt: its first and last frames, at the model's size. */
export type KnownFrames = { start?: Frames; end?: Frames; smoothMotion: boolean };

/** A clip that starts at an image, ends at one (both: the in-betweens of two keyframes), or has Smooth motion. */
export async function clipWithKnownFrames(model: LoadedModel, run: PresetRun, params: GenerateParams, given: KnownFrames, ctx: RequestContext) {
  const { start, end, smoothMotion } = given;
  const cannot = start && end ? 'make the in-betweens of two pictures' : start ? 'start from an image' : 'end on an image';
  const models = start || end ? await modelsWithEncoder(model, run, cannot) : run.models;
  const request: ClipRequest = { params, doubleFrameRate: smoothMotion };
  if (start) request.start = { kind: 'image', image: start };
  if (end) request.end = end;
  const rgba: Uint8ClampedArray[] = [];
  const result = await generateClip(run.manifest, models, request, collectFrames(rgba, ctx));
  const frames: Frames = { ...modelFrameSize(run.manifest), count: rgba.length, rgba };
  return { frames, smoothMotion, unknownWords: result.unknownWords, truncatedWords: result.truncatedWords };
}

/**
 * The kept clip with `params.frames` new frames (at the model's rate) after it, continued from its last frames with
 * `params.prompt`, with Smooth motion when the kept clip has it; the whole clip, which is kept in its place.
 */
export async function extendKeptClip(model: LoadedModel, run: PresetRun, params: GenerateParams, ctx: RequestContext) {
  const clip = kept;
  if (!clip || clip.modelId !== model.manifest.id) throw new KinetoError('bad-parameter', 'There is no clip of this model to extend: generate one first.');
  const models = await modelsWithEncoder(model, run, 'continue a clip');
  const window = model.manifest.latent.frames;
  const source = modelRateFrames(clip.frames, clip.smoothMotion);
  const last: Frames = { ...source, rgba: source.rgba.slice(-window), count: Math.min(window, source.count) };
  const added: Uint8ClampedArray[] = [];
  const result = await generateClip(run.manifest, models, { params, start: { kind: 'clip', frames: last }, doubleFrameRate: clip.smoothMotion }, collectFrames(added, ctx));
  const rgba = [...clip.frames.rgba, ...added];
  const frames: Frames = { ...clip.frames, count: rgba.length, rgba };
  kept = { ...clip, frames, parts: [...clip.parts, { prompt: params.prompt, startFrame: clip.frames.count }] };
  return { frames, smoothMotion: clip.smoothMotion, unknownWords: result.unknownWords, truncatedWords: result.truncatedWords };
}
