/**
 * What Live asks of the model in use: whether it can carry a video on from window to window at all, the schedule's
 * window shape at its frame rate (live-clock.ts), and each window's settings. Pure.
 */
import { defaultOverlap } from '../engine/continuation/windows';
import { defaultParams } from '../engine/params';
import { defaultPreset } from '../engine/presets';
import type { GenerateParams, ModelManifest } from '../engine/types';
import type { ModelStatus } from '../store/engine-slice';
import type { LiveConfig } from './live-clock';

/**
 * Seconds of frames Live keeps made ahead of playback: two windows, so that one slow window (a garbage collection,
 * the recording being encoded in the same worker) drains the buffer without stalling it. A prompt edit does not wait
 * for them: it cuts in at the earliest seam (live-clock.ts).
 */
const AHEAD_WINDOWS = 2;

/** Why Live cannot run on `model` (a sentence with what to do), or null when it can. */
export function liveProblem(model: ModelStatus): string | null {
  if (model.status === 'loading') return 'The model is still loading: Live starts once it is ready.';
  if (model.status !== 'ready') return 'No model is loaded: load one in Create (Model), then press Start.';
  const m = model.manifest;
  if (m.pipeline !== 'text-to-video')
    return `${m.name} makes video from an image model, so it cannot continue a video from one window to the next. Live needs a video model (pipeline "text-to-video"): load another in Create.`;
  if (!m.components.vae_encoder)
    return `${m.name} has no VAE encoder, so it cannot continue a video from one window to the next (the last frames of each window are encoded for the next). Live needs a model that ships one: load another in Create.`;
  return null;
}

/**
 * The schedule's shape on `manifest`: each window knows the last quarter of the model's window (4 of 16 frames) and
 * makes the rest, at the model's fps; Smooth motion makes the frames between too (twice the frames at twice the rate).
 */
export function liveConfig(manifest: ModelManifest): LiveConfig {
  const window = manifest.latent.frames;
  const knownFrames = defaultOverlap(window);
  const base = { fps: manifest.defaults.fps, newFrames: window - knownFrames };
  return { base, smooth: { fps: 2 * base.fps, newFrames: 2 * base.newFrames }, knownFrames, aheadSeconds: AHEAD_WINDOWS * base.newFrames / base.fps };
}

/**
 * The settings every window of a session shares: the model's fastest preset (Fast where it has one; Live is about
 * keeping ahead of playback, so the Create form's Speed does not apply) with its defaults. Each window sets its own
 * prompt, seed and frames.
 */
export function liveParams(manifest: ModelManifest): GenerateParams {
  return defaultParams(manifest, '', 0, defaultPreset(manifest));
}
