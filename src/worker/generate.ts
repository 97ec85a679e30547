/**
 * A `generate` request: the pipeline on the model in use (the continuation engine for Extend, a first or last image
 * and Smooth motion: kept-clip.ts), then its file: the sound (when asked), the video, its poster and the clip's facts
 * (clip-file.ts). A WebGPU failure mid-run moves the model to the CPU and runs again.
 */
import { KinetoError } from '../engine/errors';
import { validateParams } from '../engine/params';
import { runPipeline } from '../engine/pipelines';
import { encodeClipFile } from './clip-file';
import { clipWithKnownFrames, extendKeptClip, keepClip, keptParts } from './kept-clip';
import { moveToCpuAfter, readyModel } from './model-host';
import type { Request, Results } from './protocol';
import { nextMacrotask, type RequestContext } from './request-queue';

export async function generate(req: Extract<Request, { type: 'generate' }>, ctx: RequestContext): Promise<Results['generate']> {
  const { emit, signal } = ctx;
  const { model, backend } = await readyModel(ctx);
  const issues = validateParams(req.params, model.manifest);
  if (issues.length > 0) throw new KinetoError(issues[0]!.field === 'prompt' ? 'bad-prompt' : 'bad-parameter', issues.map((i) => i.message).join(' '));
  const t0 = performance.now();
  // The speed preset's denoiser (loaded on first use; another preset, with a notice, when the model lacks this one).
  const run = await model.forPreset(req.params.preset);
  if (run.notice) emit({ type: 'notice', message: run.notice });
  const modelStart = model.clock.seconds;
  const { startImage: start, endImage: end, smoothMotion = false } = req;
  let result;
  try {
    result = req.extend ? await extendKeptClip(model, run, req.params, ctx)
      : start || end || smoothMotion ? await clipWithKnownFrames(model, run, req.params, { start, end, smoothMotion }, ctx)
      : await runPipeline(run.manifest, run.models, req.params, {
      isCancelled: () => signal.aborted,
      onStage: (stage) => emit({ type: 'stage', stage }),
      onStep: async ({ step, totalSteps, timestep, preview }) => {
        const frames = preview ? { width: preview.width, height: preview.height, frames: preview.rgba } : { width: 0, height: 0, frames: [] };
        emit({ type: 'step', step, totalSteps, timestep, preview: frames });
        await nextMacrotask();
      },
      preview: req.preview,
    });
  } catch (e) {
    // A WebGPU failure mid-run (device lost, out of memory): reload on WASM and run again, with a message.
    if (await moveToCpuAfter(ctx, e)) return generate(req, ctx);
    throw e;
  }
  // Smooth motion: twice the frames at twice the fps (a clip from the plain pipeline has none).
  const smooth = 'smoothMotion' in result && result.smoothMotion;
  if (!req.extend) keepClip(model.manifest.id, result.frames, req.params.prompt, smooth);
  const modelSeconds = model.clock.seconds - modelStart;
  const clip = await encodeClipFile({
    frames: result.frames, params: req.params, smoothMotion: smooth, container: req.container, sound: req.sound, tags: req.tags,
    manifestSha256: req.manifestSha256, unknownWords: result.unknownWords, startedAt: t0, modelSeconds,
  }, model.manifest, backend.backend, ctx);
  if (result.truncatedWords > 0) emit({ type: 'notice', message: `The prompt was too long: the last ${result.truncatedWords} words were ignored.` });
  return { ...clip, parts: keptParts() };
}
