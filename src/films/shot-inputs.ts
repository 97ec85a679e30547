/**
 * What the engine is given to make one shot of a film, the same in the app (worker-film-engine.ts) and the CLI
 * (cli/storyboard-engine.ts): the sampler settings with the shot's prompt, seed, frames and the film's fps, and for a
 * continuing shot the last window of the shot before — all the continuation engine conditions on.
 */
import type { Frames, GenerateParams, ModelManifest } from '../engine/types';
import type { ShotRequest } from './film-engine';

/** `base` (sampler settings) made into shot `request`'s parameters. */
export function shotParams(base: GenerateParams, request: ShotRequest): GenerateParams {
  return { ...base, prompt: request.prompt, seed: request.seed, frames: request.frames, fps: request.fps };
}

/** The frames of the shot before that a continuing shot is given: its last window's worth. */
export function continuedFrames(previous: Frames, manifest: ModelManifest): Frames {
  const rgba = previous.rgba.slice(-manifest.latent.frames);
  return { ...previous, count: rgba.length, rgba };
}
