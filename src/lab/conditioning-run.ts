/**
 * The worker side of the Conditioning view: a short continuation through the continuation engine
 * (src/engine/continuation), from the prompt alone, from an image or after a clip, with its plan, the engine's report
 * of every window (what it was given, its mask, method and seed) and the strip of frames the view draws. A Stop
 * keeps the windows made so far.
 */
import { type ClipRequest, generateClip, type WindowReport } from '../engine/continuation';
import { CancelledError, KinetoError } from '../engine/errors';
import type { PipelineModels } from '../engine/pipelines/shared';
import type { Frames, GenerateParams, ModelManifest } from '../engine/types';
import { conditioningPlan, type ConditioningStart } from './conditioning';
import { fitImage, type LabImage } from './images';
import type { LabConditioning } from './lab-protocol';

export type ConditioningContext = {
  manifest: ModelManifest;
  models: PipelineModels;
  signal: AbortSignal;
  /** The models with the VAE encoder (given frames go through it); `cannot` ends the sentence when there is none. */
  withEncoder(cannot: string): Promise<PipelineModels>;
  onStep(step: number, totalSteps: number): Promise<void>;
};

/** `params.frames` frames from `start`; `given`: the Lab run's finished frames (for an `image` or `clip` start). */
export async function runConditioning(params: GenerateParams, start: ConditioningStart, given: Frames | null, ctx: ConditioningContext): Promise<LabConditioning> {
  const t0 = performance.now();
  const { manifest } = ctx;
  const image = (rgba: Uint8ClampedArray, f: Frames): LabImage => fitImage({ width: f.width, height: f.height, rgba: rgba as Uint8ClampedArray<ArrayBuffer> });
  const givenFrames = start === 'clip' && given ? given.count : 0;
  const strip: LabImage[] = start === 'clip' && given ? given.rgba.map((f) => image(f, given)) : [];
  let request: ClipRequest = { params };
  if (start !== 'text') {
    if (!given) throw new KinetoError('bad-parameter', 'Press Run first: this start takes the frames of the Lab’s run.');
    request = start === 'image' ? { params, start: { kind: 'image', image: { ...given, count: 1, rgba: given.rgba.slice(0, 1) } } } : { params, start: { kind: 'clip', frames: given } };
  }
  const models = start === 'text' ? ctx.models : await ctx.withEncoder(start === 'image' ? 'start from an image' : 'continue a clip');
  const windows: WindowReport[] = [];
  let stopped = false;
  try {
    await generateClip(manifest, models, request, {
      onFrames: (f, first) => f.rgba.forEach((rgba, i) => (strip[givenFrames + first + i] = image(rgba, f))),
      onWindow: (report) => windows.push(report),
      onProgress: (p) => ctx.onStep(p.window * p.totalSteps + p.step, p.windows * p.totalSteps),
      isCancelled: () => ctx.signal.aborted,
    });
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
    stopped = true;
  }
  const plan = conditioningPlan(manifest.latent, params.frames, { start, givenFrames });
  return { start, params, plan, windows, frames: strip, givenFrames, stopped, seconds: (performance.now() - t0) / 1000 };
}
