/**
 * The text-to-video denoising loop: tokenize → encode text → seeded noise → N scheduler steps with
 * classifier-free guidance → decode. Pure: models come in as the engine's types, nothing here knows about
 * onnxruntime, the DOM or React. Cancellation is checked before every model call, so it takes effect within
 * one denoising step.
 *
 * Batch sizes come from the manifest's input shapes: a denoiser whose `sample` batch is fixed at 1 runs guidance
 * as two calls per step (unconditional, then conditional, each with its own text encoding) instead of one batch of
 * 2; a VAE decoder whose batch is fixed at 1 decodes one frame per call.
 */
import { CancelledError, KinetoError } from './errors';
import { framesFirst, latentToRgb, rgbTensorToFrames } from './frames';
import { applyGuidance, applyGuidancePair } from './guidance';
import type { StepRecordSink } from './recording';
import { Rng } from './rng';
import { createScheduler } from './schedulers';
import { predictEps, predictX0 } from './schedulers/schedule';
import type {
  ComponentSpec, DenoiserModel, EncodedText, Frames, GenerateParams, ModelManifest, Tensor, TextEncoderModel,
  TextTokenizer, VaeDecoderModel,
} from './types';

export type PipelineModels = {
  tokenizer: TextTokenizer;
  textEncoder: TextEncoderModel;
  denoiser: DenoiserModel;
  /** Absent when the model denoises pixels directly. */
  vaeDecoder?: VaeDecoderModel;
};

/** How each step's preview is made: decode x̂0 with the VAE, the manifest's linear latent→RGB map, or none. */
export const PREVIEW_MODES = ['decode', 'latent-rgb', 'none'] as const;
export type PreviewMode = (typeof PREVIEW_MODES)[number];

export type PipelineStage = 'encode-text' | 'denoise' | 'decode';

export type StepInfo = {
  step: number;
  totalSteps: number;
  timestep: number;
  /** The model's current estimate of the clean clip, as frames (only when a preview mode is on). */
  preview: Frames | null;
};

export type PipelineHooks = {
  onStage?(stage: PipelineStage): void;
  onStep?(info: StepInfo): void | Promise<void>;
  /** Polled before every model call; true stops the run with CancelledError. */
  isCancelled?(): boolean;
  preview?: PreviewMode;
  /** The Lab's recorder: for the steps it wants, x_t, ε̂, x̂0 and each guidance branch's x̂0 (engine/recording.ts). */
  recorder?: StepRecordSink;
};

export type PipelineResult = {
  frames: Frames;
  unknownWords: string[];
  truncatedWords: number;
  /** Final latents [1, C, F, H, W] (for tests and evaluation). */
  latents: Tensor;
};

/**
 * The batch size a component input's manifest shape fixes (its first dimension as a number), or null when that
 * dimension is symbolic (any batch). `role` is the tensor's role (its name unless the manifest gives a `role`);
 * without it, the first input.
 */
export function manifestBatch(c: ComponentSpec, role?: string): number | null {
  const t = role === undefined ? c.inputs[0] : c.inputs.find((s) => (s.role ?? s.name) === role);
  const d = t?.shape[0];
  return typeof d === 'number' ? d : null;
}

/**
 * Text encodings for the guidance branches: one batch [negative; prompt] for a denoiser that takes both at once, or
 * one encoding per branch when guidance runs as separate calls (`split`). Dispose with `disposeTexts`.
 */
export async function encodeBranches(models: PipelineModels, rows: number[][], split: boolean): Promise<EncodedText[]> {
  if (!split) return [await models.textEncoder.encode(rows)];
  const out: EncodedText[] = [];
  try {
    for (const row of rows) out.push(await models.textEncoder.encode([row]));
  } catch (e) {
    disposeTexts(out);
    throw e;
  }
  return out;
}

export function disposeTexts(texts: EncodedText[]): void {
  for (const t of texts) t.dispose();
}

/** Whether guidance must run as two calls: the denoiser's batch is fixed at 1 and there are two branches. */
function splitGuidance(manifest: ModelManifest, branches: number): boolean {
  const fixed = manifestBatch(manifest.components.denoiser, 'sample');
  if (fixed === null || fixed === branches) return false;
  if (fixed === 1) return true;
  throw new KinetoError('bad-manifest', `The denoiser takes a batch of ${fixed} (manifest "sample" shape) but this run needs ${branches}.`);
}

export async function generateFrames(manifest: ModelManifest, models: PipelineModels, params: GenerateParams,
  hooks: PipelineHooks = {}): Promise<PipelineResult> {
  const { latent } = manifest;
  const checkCancel = () => {
    if (hooks.isCancelled?.()) throw new CancelledError();
  };

  // 1. Text. With guidance the batch is [negative prompt; prompt], as in diffusers; a denoiser with a batch of 1
  //    gets the two branches in separate calls, each with its own encoding.
  hooks.onStage?.('encode-text');
  const cond = models.tokenizer.encode(params.prompt);
  if (cond.ids.length === 0) throw new KinetoError('bad-prompt', 'The prompt produced no tokens.');
  const guided = params.guidanceScale > 1;
  const rows = guided ? [models.tokenizer.encode(params.negativePrompt).ids, cond.ids] : [cond.ids];
  const split = splitGuidance(manifest, rows.length);
  checkCancel();
  const texts = await encodeBranches(models, rows, split);

  try {
    // 2. Seeded initial noise, drawn in JS so every backend starts from the same numbers.
    const shape = [1, latent.channels, params.frames, latent.height, latent.width];
    const size = shape.reduce((a, b) => a * b, 1);
    const scheduler = createScheduler(params.scheduler, manifest.scheduler, params.steps);
    const rng = new Rng(params.seed);
    let x = rng.gaussian(size);
    if (scheduler.initNoiseSigma !== 1) for (let i = 0; i < size; i++) x[i]! *= scheduler.initNoiseSigma;

    // 3. Denoising loop.
    hooks.onStage?.('denoise');
    const noise = (n: number) => rng.gaussian(n);
    for (let i = 0; i < scheduler.timesteps.length; i++) {
      checkCancel();
      const t = scheduler.timesteps[i]!;
      const input = scheduler.scaleModelInput(x, i);
      let modelOutput: Float32Array;
      let branches: [Float32Array, Float32Array] | null = null;
      if (split) {
        const one = { data: input, shape };
        const uncond = (await models.denoiser.predict(one, t, texts[0]!)).data;
        checkCancel();
        const conditional = (await models.denoiser.predict(one, t, texts[1]!)).data;
        modelOutput = applyGuidancePair(uncond, conditional, params.guidanceScale);
        branches = [uncond, conditional];
      } else {
        const batched = guided ? concat(input, input) : input;
        const out = await models.denoiser.predict({ data: batched, shape: [guided ? 2 : 1, ...shape.slice(1)] }, t, texts[0]!);
        modelOutput = guided ? applyGuidance(out.data, params.guidanceScale) : out.data;
        if (guided) branches = [out.data.subarray(0, size), out.data.subarray(size)];
      }
      const { prevSample, predOriginal } = scheduler.step(modelOutput, i, x, noise);
      if (hooks.recorder?.wants(i)) {
        // In the model's own terms: its input is the VP x_t = α·x0 + σ·ε at this step's level.
        const level = scheduler.levels[i]!;
        const type = manifest.scheduler.predictionType;
        hooks.recorder.add({
          index: i, timestep: t, alpha: level.alpha, sigma: level.sigma, xt: input, x0: predOriginal,
          eps: predictEps(type, modelOutput, input, level),
          branches: branches && { uncond: predictX0(type, branches[0], input, level), cond: predictX0(type, branches[1], input, level) },
        });
      }
      x = prevSample;
      if (hooks.onStep) {
        const preview = await makePreview(hooks.preview ?? 'latent-rgb', manifest, models, { data: predOriginal, shape }, checkCancel);
        await hooks.onStep({ step: i + 1, totalSteps: scheduler.timesteps.length, timestep: t, preview });
      }
    }

    // 4. Decode every frame.
    checkCancel();
    hooks.onStage?.('decode');
    const finalLatents = { data: x, shape };
    const frames = await decode(manifest, models, finalLatents);
    return { frames, unknownWords: cond.unknownWords, truncatedWords: cond.truncatedWords, latents: finalLatents };
  } finally {
    disposeTexts(texts);
  }
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Latents [1, C, F, H, W] → RGBA frames through the VAE decoder (or directly when latents are pixels). A decoder
 * whose manifest batch is fixed (1 for most SD-style exports) gets that many frames per call.
 */
export async function decode(manifest: ModelManifest, models: PipelineModels, latents: Tensor): Promise<Frames> {
  const perFrame = framesFirst(latents, 1 / manifest.latent.scalingFactor);
  const vae = models.vaeDecoder;
  const spec = manifest.components.vae_decoder;
  if (!vae) return rgbTensorToFrames(perFrame);
  const [f, c, h, w] = perFrame.shape as [number, number, number, number];
  const chunk = (spec && manifestBatch(spec)) ?? f;
  if (chunk === f) return rgbTensorToFrames(await vae.decode(perFrame));
  if (f % chunk !== 0) throw new KinetoError('bad-manifest', `The VAE decoder takes ${chunk} frames per call (manifest shape); ${f} frames cannot be split evenly.`);
  const plane = c * h * w;
  const parts: Tensor[] = [];
  for (let i = 0; i < f; i += chunk)
    parts.push(await vae.decode({ data: perFrame.data.slice(i * plane, (i + chunk) * plane), shape: [chunk, c, h, w] }));
  const outPlane = parts[0]!.data.length / chunk;
  const data = new Float32Array(f * outPlane);
  parts.forEach((p, i) => data.set(p.data, i * chunk * outPlane));
  return rgbTensorToFrames({ data, shape: [f, ...parts[0]!.shape.slice(1)] });
}

/** The step preview: x̂0 [1, C, F, H, W] as frames, by the chosen mode (decode falls back when no linear map). */
export async function makePreview(mode: PreviewMode, manifest: ModelManifest, models: PipelineModels, x0: Tensor,
  checkCancel: () => void): Promise<Frames | null> {
  if (mode === 'none') return null;
  if (mode === 'decode' || !manifest.preview) {
    checkCancel();
    return decode(manifest, models, x0);
  }
  const { weights, bias } = manifest.preview.latentRgb;
  return rgbTensorToFrames(latentToRgb(framesFirst(x0, 1), weights, bias));
}
