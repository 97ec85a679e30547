/**
 * A `make-shot` request: one shot of a film, or one window of Live, through the continuation engine
 * (src/engine/continuation) on the model in use — from text, from an image (frame 0) or after a clip's last frames, in
 * as many windows as its length needs, with the frames between when Smooth motion asks for them. Progress goes out as
 * `step` events counted over all windows; a `cancel` stops it between steps.
 */
import { generateClip, modelFrameSize } from '../engine/continuation';
import { CancelledError } from '../engine/errors';
import type { Frames } from '../engine/types';
import { readyModel } from './model-host';
import type { Request, Results } from './protocol';
import { collectFrames, modelsWithEncoder } from './known-frame-runs';
import type { RequestContext } from './request-queue';

export async function makeShot(req: Extract<Request, { type: 'make-shot' }>, ctx: RequestContext): Promise<Results['make-shot']> {
  const { emit, signal } = ctx;
  const { model } = await readyModel(ctx);
  const run = await model.forPreset(req.params.preset);
  if (run.notice) emit({ type: 'notice', message: run.notice });
  const { start } = req;
  const models = start.kind === 'text' ? run.models : await modelsWithEncoder(model, run, 'continue a shot or start from a picture: start this shot with a cut');
  const rgba: Uint8ClampedArray[] = [];
  const result = await generateClip(run.manifest, models, {
    params: req.params,
    start: start.kind === 'image' ? { kind: 'image', image: start.image } : start.kind === 'clip' ? { kind: 'clip', frames: start.frames } : undefined,
    doubleFrameRate: req.smoothMotion === true,
  }, collectFrames(rgba, ctx));
  if (signal.aborted) throw new CancelledError();
  const { width, height } = modelFrameSize(run.manifest);
  const frames: Frames = { width, height, count: rgba.length, rgba };
  return { frames, methods: [...new Set(result.windows.map((w) => w.method))] };
}
