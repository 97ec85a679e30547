/**
 * The worker side of the Lab: runs the ordinary pipeline with a `StepRecorder` attached, keeps the records (a few
 * runs, oldest dropped first) and makes the small images the page shows from them: the views of every recorded step at
 * one frame at once, with batched VAE calls. A run's reply already carries those of the page's frame. Runs in the
 * engine worker; DOM-free except OffscreenCanvas for the PNG export.
 */
import { CancelledError, KinetoError } from '../engine/errors';
import { modelFrameSize } from '../engine/frame-size';
import { validateParams } from '../engine/params';
import { decode, manifestBatch, type PipelineModels } from '../engine/pipelines/shared';
import { DEFAULT_RECORD_BUDGET_BYTES, type StepRecord, StepRecorder } from '../engine/recording';
import { runPipeline } from '../engine/pipelines';
import type { Frames, GenerateParams, ModelManifest } from '../engine/types';
import { encodeVideo, videoFileName } from '../video/encode';
import { type ConditioningContext, runConditioning } from './conditioning-run';
import { forwardSample } from './forward';
import { labSound } from './lab-sound';
import { channelTiles, differenceHeat, fitImage, frameOf, grid, type LabImage } from './images';
import type { LabReplies, LabRequest, LabRunSummary, LabStepView, LabToken } from './lab-protocol';

/** What a Lab request needs from the worker. */
export type LabContext = {
  manifest: ModelManifest;
  models: PipelineModels;
  signal: AbortSignal;
  /** The models with the VAE encoder (the Conditioning view's image and clip starts). */
  withEncoder: ConditioningContext['withEncoder'];
  /** Progress for the page (the worker's `stage` and `step` events). */
  onStage(stage: 'encode-text' | 'denoise' | 'decode'): void;
  onStep(step: number, totalSteps: number, timestep: number): Promise<void>;
};

type RunRecord = { summary: LabRunSummary; records: StepRecord[]; shape: number[] };

/** Runs kept at once: a run plus the three of Compare guidance, or two compared runs (≈10 MiB each for Kineto-Shapes). */
const MAX_RUNS = 4;
/**
 * Largest decoder output (float32 RGB) of one batched call when preparing views: Kineto-Shapes' 128×128 images fit
 * ≈170 per call, so the 30 steps × 4 images of a guided run at one frame are a single call.
 */
const DECODE_BATCH_BYTES = 32 * 2 ** 20;
/** Film frame rate: one video frame per step, slow enough to follow. */
const FILM_FPS = 4;

const runs = new Map<number, RunRecord>();
let nextRunId = 1;

export async function handleLab<T extends LabRequest>(req: T, ctx: LabContext): Promise<LabReplies[T['type']]> {
  switch (req.type) {
    case 'lab-run':
      return (await labRun(req.params, req.frame ?? 0, ctx)) as LabReplies[T['type']];
    case 'lab-views':
      return (await labViews(req.runId, req.frame, req.steps, ctx)) as LabReplies[T['type']];
    case 'lab-forward':
      return (await labForward(req.runId, req.timestep, req.frame, ctx)) as LabReplies[T['type']];
    case 'lab-export':
      return (await (req.kind === 'film' ? exportFilm(req.runId, ctx) : exportSheet(req.runId, ctx))) as LabReplies[T['type']];
    case 'lab-conditioning': {
      const given = req.start === 'text' ? null : await finishedFrames(req.runId, ctx);
      const onStep = (step: number, totalSteps: number) => ctx.onStep(step, totalSteps, 0);
      return (await runConditioning(req.params, req.start, given, { ...ctx, onStep })) as LabReplies[T['type']];
    }
    default: {
      const unknown: never = req;
      throw new KinetoError('internal', `Unknown Lab request ${String((unknown as { type: string }).type)}.`);
    }
  }
}

function tokensOf(ctx: LabContext, prompt: string): { tokens: LabToken[]; truncatedWords: number } {
  const enc = ctx.models.tokenizer.encode(prompt);
  const unknown = new Set(enc.unknownWords);
  const texts = enc.tokens ?? enc.ids.map(String);
  return { tokens: texts.map((text, i) => ({ text, id: enc.ids[i]!, unknown: unknown.has(text) })), truncatedWords: enc.truncatedWords };
}

async function labRun(params: GenerateParams, frame: number, ctx: LabContext): Promise<LabReplies['lab-run']> {
  const { manifest } = ctx;
  if (manifest.pipeline !== 'text-to-video')
    throw new KinetoError('bad-parameter', `The Lab records text-to-video models; ${manifest.name} makes its clips another way (${manifest.pipeline}).`);
  const issues = validateParams(params, manifest);
  if (issues.length > 0) throw new KinetoError(issues[0]!.field === 'prompt' ? 'bad-prompt' : 'bad-parameter', issues.map((i) => i.message).join(' '));
  const { channels, height, width } = manifest.latent;
  const shape = [1, channels, params.frames, height, width];
  const recorder = new StepRecorder(params.steps, channels * params.frames * height * width, params.guidanceScale > 1);
  const t0 = performance.now();
  let stopped = false;
  let sound: LabRunSummary['sound'] = { problem: 'The run stopped before the clip was finished, so it has no sound.' };
  try {
    const { frames } = await runPipeline(manifest, ctx.models, params, {
      preview: 'none',
      recorder,
      isCancelled: () => ctx.signal.aborted,
      onStage: (stage) => ctx.onStage(stage),
      onStep: ({ step, totalSteps, timestep }) => ctx.onStep(step, totalSteps, timestep),
    });
    // The sound Create would give the finished clip, for the Sound strip.
    sound = labSound(frames.rgba, frames.width, frames.height, params, manifest.id);
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
    stopped = true;
  }
  const runId = nextRunId++;
  const summary: LabRunSummary = {
    runId,
    modelId: manifest.id,
    params,
    stopped,
    totalSteps: params.steps,
    recorded: recorder.records.map(({ index, timestep, alpha, sigma }) => ({ index, timestep, alpha, sigma })),
    stride: recorder.plan.stride,
    recordBytes: recorder.bytes,
    budgetBytes: DEFAULT_RECORD_BUDGET_BYTES,
    ...tokensOf(ctx, params.prompt),
    latentSpace: manifest.components.vae_decoder !== undefined,
    shape,
    seconds: 0,
    viewSeconds: 0,
    sound,
  };
  const run: RunRecord = { summary, records: recorder.records, shape };
  runs.set(runId, run);
  for (const id of runs.keys()) if (runs.size > MAX_RUNS) runs.delete(id);
  // Part of finishing the run: the views of every recorded step at the page's frame, so that the Step slider finds
  // them all on the page. Counted in the run's time (`seconds`), and on its own in `viewSeconds`.
  const t1 = performance.now();
  const views = await stepViews(run, recorder.records, Math.min(Math.max(0, frame), params.frames - 1), ctx);
  summary.viewSeconds = (performance.now() - t1) / 1000;
  summary.seconds = (performance.now() - t0) / 1000;
  return { summary, views };
}

function runOf(runId: number, ctx: LabContext): RunRecord {
  const run = runs.get(runId);
  if (!run) throw new KinetoError('bad-parameter', `Lab run ${runId} is no longer kept in memory; run it again.`);
  if (run.summary.modelId !== ctx.manifest.id) throw new KinetoError('bad-parameter', 'That run was recorded with another model; run it again.');
  if (run.records.length === 0) throw new KinetoError('bad-parameter', 'That run stopped before its first step finished, so there is nothing to show.');
  return run;
}

/**
 * Many [C, H, W] model-space images decoded to RGB in as few decoder calls as the model allows: one call over all of
 * them when the VAE's batch is dynamic (its output kept under DECODE_BATCH_BYTES, else in groups), padded to a
 * multiple of a fixed manifest batch. Pixel-space models (no VAE) only convert.
 */
async function decodeMany(ctx: LabContext, images: Float32Array[], c: number, h: number, w: number): Promise<LabImage[]> {
  const spec = ctx.manifest.components.vae_decoder;
  const fixed = spec ? manifestBatch(spec) : null;
  const s = spec ? modelFrameSize(ctx.manifest).width / ctx.manifest.latent.width : 1;
  let group = Math.max(1, Math.floor(DECODE_BATCH_BYTES / (3 * h * s * w * s * 4)));
  if (fixed !== null) group = Math.max(fixed, group - (group % fixed));
  const plane = h * w;
  const out: LabImage[] = [];
  for (let i = 0; i < images.length; i += group) {
    const part = images.slice(i, i + group);
    const n = fixed !== null ? Math.ceil(part.length / fixed) * fixed : part.length;
    // [1, C, n, H, W]: the layout `decode` takes (frames of a clip), so the engine's own decode path is used.
    const data = new Float32Array(c * n * plane);
    part.forEach((img, j) => {
      for (let ci = 0; ci < c; ci++) data.set(img.subarray(ci * plane, (ci + 1) * plane), (ci * n + j) * plane);
    });
    const frames = await decode(ctx.manifest, ctx.models, { data, shape: [1, c, n, h, w] });
    for (let j = 0; j < part.length; j++)
      out.push(fitImage({ width: frames.width, height: frames.height, rgba: frames.rgba[j] as Uint8ClampedArray<ArrayBuffer> }));
  }
  return out;
}

/**
 * The views of `records` at `frame`, all decoded together: x_t, x̂0 and (with guidance) both branches of every step
 * go through the VAE as one batch, instead of one decoder call per image.
 */
async function stepViews(run: RunRecord, records: readonly StepRecord[], frame: number, ctx: LabContext): Promise<LabStepView[]> {
  const [, c, frames, h, w] = run.shape as [number, number, number, number, number];
  if (!Number.isInteger(frame) || frame < 0 || frame >= frames)
    throw new KinetoError('bad-parameter', `Frame ${frame} is outside 0…${frames - 1} for this run.`);
  const slices: Float32Array[] = [];
  for (const r of records) {
    slices.push(frameOf(r.xt, run.shape, frame).data, frameOf(r.x0, run.shape, frame).data);
    if (r.branches) slices.push(frameOf(r.branches.uncond, run.shape, frame).data, frameOf(r.branches.cond, run.shape, frame).data);
  }
  const decoded = await decodeMany(ctx, slices, c, h, w);
  let k = 0;
  return records.map((r): LabStepView => {
    const xtData = slices[k]!;
    const xt = decoded[k++]!;
    const x0 = decoded[k++]!;
    let guidance: LabStepView['guidance'] = null;
    if (r.branches) {
      const u = slices[k]!;
      const cnd = slices[k + 1]!;
      let peak = 1e-6;
      for (let p = 0; p < h * w; p++) {
        let sum = 0;
        for (let ci = 0; ci < c; ci++) sum += (cnd[ci * h * w + p]! - u[ci * h * w + p]!) ** 2;
        peak = Math.max(peak, Math.sqrt(sum));
      }
      guidance = { uncond: decoded[k]!, cond: decoded[k + 1]!, difference: differenceHeat(cnd, u, c, h, w, 1 / peak), peak };
      k += 2;
    }
    return {
      runId: run.summary.runId, step: r.index, frame, timestep: r.timestep, alpha: r.alpha, sigma: r.sigma,
      xt,
      xtChannels: channelTiles(xtData, c, h, w),
      eps: channelTiles(frameOf(r.eps, run.shape, frame).data, c, h, w),
      x0,
      guidance,
    };
  });
}

/** The views of the recorded steps `steps` (all when omitted; unknown indices are skipped) at `frame`. */
async function labViews(runId: number, frame: number, steps: readonly number[] | undefined, ctx: LabContext): Promise<LabReplies['lab-views']> {
  const run = runOf(runId, ctx);
  const t0 = performance.now();
  const wanted = steps ? new Set(steps) : null;
  const views = await stepViews(run, wanted ? run.records.filter((r) => wanted.has(r.index)) : run.records, frame, ctx);
  return { runId, frame, views, seconds: (performance.now() - t0) / 1000 };
}

/** The finished frames of run `runId` (its last x̂0 decoded, at the model's size). */
async function finishedFrames(runId: number | undefined, ctx: LabContext): Promise<Frames> {
  if (runId === undefined) throw new KinetoError('bad-parameter', 'Press Run first: this start takes the frames of the Lab’s run.');
  const run = runOf(runId, ctx);
  if (run.summary.stopped) throw new KinetoError('bad-parameter', 'That run stopped before its clip was finished: run it to the end first.');
  return decode(ctx.manifest, ctx.models, { data: run.records.at(-1)!.x0, shape: run.shape });
}

async function labForward(runId: number, timestep: number, frame: number, ctx: LabContext): Promise<LabReplies['lab-forward']> {
  const run = runOf(runId, ctx);
  const x0 = run.records[run.records.length - 1]!.x0;
  // One frame only: the same seed as the run, so t = T looks like the run's own starting noise.
  const one = frameOf(x0, run.shape, frame);
  const { xt, alpha, sigma } = forwardSample(ctx.manifest.scheduler, one.data, timestep, run.summary.params.seed);
  const [, c, , h, w] = run.shape as [number, number, number, number, number];
  const [image] = await decodeMany(ctx, [xt], c, h, w);
  return { runId, timestep, alpha, sigma, image: image! };
}

/** x̂0 of every frame at each recorded step, decoded: [step][frame]. */
async function decodedSteps(run: RunRecord, ctx: LabContext): Promise<{ width: number; height: number; steps: Uint8ClampedArray[][] }> {
  const steps: Uint8ClampedArray[][] = [];
  let width = 0;
  let height = 0;
  for (const r of run.records) {
    if (ctx.signal.aborted) throw new CancelledError();
    const f = await decode(ctx.manifest, ctx.models, { data: r.x0, shape: run.shape });
    ({ width, height } = f);
    steps.push(f.rgba);
  }
  return { width, height, steps };
}

async function exportFilm(runId: number, ctx: LabContext): Promise<LabReplies['lab-export']> {
  const run = runOf(runId, ctx);
  const { width, height, steps } = await decodedSteps(run, ctx);
  const cols = Math.ceil(Math.sqrt(run.shape[2]!));
  const grids = steps.map((frames) => grid(frames, width, height, cols));
  const g = grids[0]!;
  const scale = Math.max(1, Math.floor(512 / Math.max(g.width, g.height)));
  const video = await encodeVideo(grids.map((x) => x.rgba), g.width, g.height, {
    fps: FILM_FPS, container: 'mp4', outputWidth: g.width * scale, outputHeight: g.height * scale, signal: ctx.signal,
  });
  const p = run.summary.params;
  return { blob: video.blob, fileName: videoFileName(p.seed, `denoising film ${p.prompt}`, 'mp4'), frameCount: video.frameCount };
}

async function exportSheet(runId: number, ctx: LabContext): Promise<LabReplies['lab-export']> {
  const run = runOf(runId, ctx);
  const { width, height, steps } = await decodedSteps(run, ctx);
  const cols = run.shape[2]!;
  const sheet = grid(steps.flat(), width, height, cols);
  const canvas = new OffscreenCanvas(sheet.width, sheet.height);
  canvas.getContext('2d')!.putImageData(new ImageData(sheet.rgba, sheet.width, sheet.height), 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  const p = run.summary.params;
  return { blob, fileName: videoFileName(p.seed, `contact sheet ${p.prompt}`, 'png'), frameCount: steps.length };
}

/** The buffers of a Lab reply's images, to transfer instead of copy (the worker keeps no reference to them). */
export function labTransferables(data: unknown): Transferable[] {
  const out: Transferable[] = [];
  const walk = (v: unknown): void => {
    if (v instanceof Uint8ClampedArray) out.push(v.buffer as ArrayBuffer);
    else if (v && typeof v === 'object' && !(v instanceof Blob)) for (const x of Object.values(v)) walk(x);
  };
  walk(data);
  return out;
}
