/**
 * The text-to-video denoising loop: tokenize → encode text → seeded noise → N scheduler steps with
 * classifier-free guidance → decode. Pure: models come in as the engine's types, nothing here knows about
 * onnxruntime, the DOM or React. Cancellation is checked before every model call, so it takes effect within
 * one denoising step.
 */
import { CancelledError, KinetoError } from './errors';
import { framesFirst, latentToRgb, rgbTensorToFrames } from './frames';
import { applyGuidance } from './guidance';
import { Rng } from './rng';
import { createScheduler } from './schedulers';
import type {
  DenoiserModel, EncodedText, Frames, GenerateParams, ModelManifest, Tensor, TextEncoderModel, TextTokenizer,
  VaeDecoderModel,
} from './types';

export type PipelineModels = {
  tokenizer: TextTokenizer;
  textEncoder: TextEncoderModel;
  denoiser: DenoiserModel;
  /** Absent when the model denoises pixels directly. */
  vaeDecoder?: VaeDecoderModel;
};

/** How each step's preview is made: decode x̂0 with the VAE, the manifest's linear latent→RGB map, or none. */
export type PreviewMode = 'decode' | 'latent-rgb' | 'none';

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
};

export type PipelineResult = {
  frames: Frames;
  unknownWords: string[];
  truncatedWords: number;
  /** Final latents [1, C, F, H, W] (for tests and evaluation). */
  latents: Tensor;
};

export async function generateFrames(manifest: ModelManifest, models: PipelineModels, params: GenerateParams,
  hooks: PipelineHooks = {}): Promise<PipelineResult> {
  const { latent } = manifest;
  const checkCancel = () => {
    if (hooks.isCancelled?.()) throw new CancelledError();
  };

  // 1. Text. With guidance the batch is [negative prompt; prompt], as in diffusers.
  hooks.onStage?.('encode-text');
  const cond = models.tokenizer.encode(params.prompt);
  if (cond.ids.length === 0) throw new KinetoError('bad-prompt', 'The prompt produced no tokens.');
  const guided = params.guidanceScale > 1;
  const rows = guided ? [models.tokenizer.encode(params.negativePrompt).ids, cond.ids] : [cond.ids];
  checkCancel();
  const text: EncodedText = await models.textEncoder.encode(rows);

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
      const batched = guided ? concat(input, input) : input;
      const out = await models.denoiser.predict({ data: batched, shape: [guided ? 2 : 1, ...shape.slice(1)] }, t, text);
      const modelOutput = guided ? applyGuidance(out.data, params.guidanceScale) : out.data;
      const { prevSample, predOriginal } = scheduler.step(modelOutput, i, x, noise);
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
    text.dispose();
  }
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Latents [1, C, F, H, W] → RGBA frames through the VAE decoder (or directly when latents are pixels). */
export async function decode(manifest: ModelManifest, models: PipelineModels, latents: Tensor): Promise<Frames> {
  const perFrame = framesFirst(latents, 1 / manifest.latent.scalingFactor);
  if (!models.vaeDecoder) return rgbTensorToFrames(perFrame);
  return rgbTensorToFrames(await models.vaeDecoder.decode(perFrame));
}

async function makePreview(mode: PreviewMode, manifest: ModelManifest, models: PipelineModels, x0: Tensor,
  checkCancel: () => void): Promise<Frames | null> {
  if (mode === 'none') return null;
  if (mode === 'decode' || !manifest.preview) {
    checkCancel();
    return decode(manifest, models, x0);
  }
  const { weights, bias } = manifest.preview.latentRgb;
  return rgbTensorToFrames(latentToRgb(framesFirst(x0, 1), weights, bias));
}
