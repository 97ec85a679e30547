/**
 * A `generate` request: the pipeline on the model in use (the continuation engine for Extend, a first or last image
 * and Smooth motion: kept-clip.ts), then the sound (when asked), the video and its poster, and the clip's facts. A
 * WebGPU failure mid-run moves the model to the CPU and runs again.
 */
import { containerOfMimeType } from '../engine/clip-facts';
import { KinetoError } from '../engine/errors';
import { validateParams } from '../engine/params';
import { runPipeline } from '../engine/pipelines';
import { encodeVideo, NoSound, videoFileName } from '../video/encode';
import { makePoster } from '../video/poster';
import { type ClipFoley, clipFoley, soundFacts } from './clip-sound';
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
  const fps = smooth ? 2 * req.params.fps : req.params.fps;
  if (!req.extend) keepClip(model.manifest.id, result.frames, req.params.prompt, smooth);
  const modelSeconds = model.clock.seconds - modelStart;
  emit({ type: 'stage', stage: 'encode-video' });
  const tEnc = performance.now();
  const size = req.params.outputSize;
  const { frames } = result;
  // Made by the encoder once it has an audio encoder for it (encodeVideo's `audio`).
  const sound: { made: ClipFoley | null } = { made: null };
  const audio = () => {
    const made = (sound.made = clipFoley(frames.rgba, frames.width, frames.height, { fps, seed: req.params.seed }, model.manifest.id));
    if ('skipped' in made) throw new NoSound(made.skipped);
    return made.foley.pcm;
  };
  const video = await encodeVideo(frames.rgba, frames.width, frames.height, {
    fps,
    container: req.container,
    outputWidth: size,
    outputHeight: size,
    onFrame: (frame, totalFrames) => emit({ type: 'frame', frame, totalFrames }),
    signal,
    tags: req.tags,
    audio: req.sound ? audio : undefined,
  });
  if (video.audioSkipped) emit({ type: 'notice', message: video.audioSkipped });
  if (result.truncatedWords > 0) emit({ type: 'notice', message: `The prompt was too long: the last ${result.truncatedWords} words were ignored.` });
  // The Library's poster, from the frames in hand: a few ms here instead of decoding the video on the page.
  const tPoster = performance.now();
  const poster = await makePoster(frames.rgba, frames.width, frames.height, video.width, video.height);
  const now = performance.now();
  const { manifest } = model;
  // The container the muxer actually wrote, trusting its MIME type over what was asked.
  const container = containerOfMimeType(video.mimeType, req.container);
  return {
    facts: {
      params: req.params,
      model: { id: manifest.id, name: manifest.name, manifestSha256: req.manifestSha256 },
      backend: backend.backend,
      container,
      mimeType: video.mimeType,
      codec: video.codec,
      width: video.width,
      height: video.height,
      frameCount: video.frameCount,
      fileName: videoFileName(req.params.seed, req.params.prompt, container),
      size: video.blob.size,
      unknownWords: result.unknownWords,
      timings: { totalSeconds: (now - t0) / 1000, modelSeconds, encodeSeconds: (now - tEnc) / 1000, posterSeconds: (now - tPoster) / 1000 },
      ...soundFacts(sound.made, video),
      ...(smooth ? { smoothMotion: true } : {}),
    },
    video: video.blob,
    poster,
    parts: keptParts(),
  };
}
