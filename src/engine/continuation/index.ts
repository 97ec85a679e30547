/**
 * Known frames: long clips, Extend, Start from an image, in-betweens and double frame rate (issue 17). The worker and
 * the CLI call these; each streams its frames through `hooks.onFrames` and reports every window.
 *
 *   generateClip(manifest, models, request, hooks)   any combination (clip.ts `ClipRequest`)
 *   continueClip(…, params, previous, hooks)         `params.frames` new frames after the last frames of `previous`
 *   startFromImage(…, params, image, hooks)           `params.frames` frames, the first of them `image`
 *   inBetween(…, params, first, last, hooks)          `params.frames` frames from `first` to `last`, both included
 *   doubleFrameRate(…, params, clip, hooks)           the frames between a clip's frames (2 × as many, 2 × the fps)
 *
 * `models` must include `vaeEncoder` (runtime: `LoadedModel.vaeEncoder()`) whenever frames are given.
 */
import type { PipelineModels } from '../pipelines/shared';
import type { Frames, GenerateParams, ModelManifest } from '../types';
import { type ClipResult, generateClip } from './clip';
import type { ClipHooks } from './window-runner';

export { DEFAULT_RECONSTRUCTION_GUIDANCE, doubleFrameRate, generateClip, MAX_CLIP_SECONDS, maxClipFrames } from './clip';
export type { ClipRequest, ClipResult } from './clip';
export type { ClipHooks, ClipProgress, KnownFrameSource, WindowReport } from './window-runner';
export type { KnownFrameMethod } from './window-condition';
export { guidanceFor, KNOWN_FRAME_METHODS } from './window-condition';
export { encoderFrameSize, modelFrameSize } from '../frame-size';
export { chooseMethod } from './window-condition';
export { planModelClip } from './windows';
export type { ClipStart, KnownSource, WindowPlan } from './windows';

export function continueClip(manifest: ModelManifest, models: PipelineModels, params: GenerateParams, previous: Frames,
  hooks: ClipHooks): Promise<ClipResult> {
  return generateClip(manifest, models, { params, start: { kind: 'clip', frames: previous } }, hooks);
}

export function startFromImage(manifest: ModelManifest, models: PipelineModels, params: GenerateParams, image: Frames,
  hooks: ClipHooks): Promise<ClipResult> {
  return generateClip(manifest, models, { params, start: { kind: 'image', image } }, hooks);
}

export function inBetween(manifest: ModelManifest, models: PipelineModels, params: GenerateParams, first: Frames,
  last: Frames, hooks: ClipHooks): Promise<ClipResult> {
  return generateClip(manifest, models, { params, start: { kind: 'image', image: first }, end: last }, hooks);
}
