/**
 * A `make-shot` request: one shot of a film through the continuation engine (src/engine/continuation) on the model in
 * use — from text, from an image (frame 0) or after a clip's last frames, in as many windows as its length needs.
 * Progress goes out as `step` events counted over all windows; a `cancel` stops it between steps.
 */
import { CancelledError, KinetoError } from '../engine/errors';
import { generateClip } from '../engine/continuation';
import type { Frames } from '../engine/types';
import { readyModel } from './model-host';
import type { Request, Results } from './protocol';
import { nextMacrotask, type RequestContext } from './request-queue';

export async function makeShot(req: Extract<Request, { type: 'make-shot' }>, ctx: RequestContext): Promise<Results['make-shot']> {
  const { emit, signal } = ctx;
  const { model } = await readyModel(ctx);
  const run = await model.forPreset(req.params.preset);
  if (run.notice) emit({ type: 'notice', message: run.notice });
  const { start } = req;
  const models = { ...run.models };
  if (start.kind !== 'text') {
    const encoder = await model.vaeEncoder();
    if (!encoder) throw new KinetoError('bad-parameter', `${model.manifest.name} has no VAE encoder, so it cannot continue a shot or start from a picture: start this shot with a cut.`);
    models.vaeEncoder = encoder;
  }
  const rgba: Uint8ClampedArray[] = [];
  let size = { width: 0, height: 0 };
  const result = await generateClip(run.manifest, models, {
    params: req.params,
    start: start.kind === 'image' ? { kind: 'image', image: start.image } : start.kind === 'clip' ? { kind: 'clip', frames: start.frames } : undefined,
  }, {
    onFrames: (f, first) => {
      size = { width: f.width, height: f.height };
      f.rgba.forEach((frame, i) => (rgba[first + i] = frame));
    },
    onProgress: async (p) => {
      emit({ type: 'step', step: p.window * p.totalSteps + p.step, totalSteps: p.windows * p.totalSteps, timestep: 0, preview: { width: 0, height: 0, frames: [] } });
      await nextMacrotask();
    },
    isCancelled: () => signal.aborted,
  });
  if (signal.aborted) throw new CancelledError();
  const frames: Frames = { ...size, count: rgba.length, rgba };
  return { frames, methods: [...new Set(result.windows.map((w) => w.method))] };
}
