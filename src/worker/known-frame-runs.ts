/**
 * What every request that runs the continuation engine (src/engine/continuation) needs in the worker: the model's
 * parts with its VAE encoder (known frames go through it), and hooks that gather the frames made and report progress
 * as `step` events counted over all windows, stopping between steps on `cancel`. Used by Extend and Start from an
 * image (kept-clip.ts) and by films' shots (make-shot.ts).
 */
import type { ClipHooks } from '../engine/continuation';
import { KinetoError } from '../engine/errors';
import type { LoadedModel, PresetRun } from '../runtime/load-model';
import { nextMacrotask, type RequestContext } from './request-queue';

/** The preset's models with the VAE encoder; `cannot` ends the sentence that says why a model without one fails. */
export async function modelsWithEncoder(model: LoadedModel, run: PresetRun, cannot: string) {
  const vaeEncoder = await model.vaeEncoder();
  if (!vaeEncoder) throw new KinetoError('bad-parameter', `${model.manifest.name} has no VAE encoder, so it cannot ${cannot}.`);
  return { ...run.models, vaeEncoder };
}

/** Hooks that put each frame made at its index in `into` and report each step as the request's progress. */
export function collectFrames(into: Uint8ClampedArray[], { emit, signal }: RequestContext): ClipHooks {
  return {
    onFrames: (f, first) => f.rgba.forEach((frame, i) => (into[first + i] = frame)),
    onProgress: async (p) => {
      emit({ type: 'step', step: p.window * p.totalSteps + p.step, totalSteps: p.windows * p.totalSteps, timestep: 0, preview: { width: 0, height: 0, frames: [] } });
      await nextMacrotask();
    },
    isCancelled: () => signal.aborted,
  };
}
