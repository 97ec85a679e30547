/**
 * What the pipelines share: the models they run, their hooks and result, text encodings for the guidance branches,
 * and decoding latents to frames (the final clip and each step's preview). Pure: models come in as the engine's
 * types, nothing here knows about onnxruntime, the DOM or React.
 *
 * Batch sizes come from the manifest's input shapes (`manifestBatch`): a VAE decoder whose batch is fixed at 1
 * decodes one frame per call.
 */
import { KinetoError } from '../errors';
import { framesFirst, latentToRgb, rgbTensorToFrames } from '../frames';
import type { StepRecordSink } from '../recording';
import type {
  ComponentSpec, DenoiserModel, EncodedText, Frames, ModelManifest, Tensor, TextEncoderModel, TextTokenizer,
  VaeDecoderModel, VaeEncoderModel,
} from '../types';

export type PipelineModels = {
  tokenizer: TextTokenizer;
  textEncoder: TextEncoderModel;
  denoiser: DenoiserModel;
  /** Absent when the model denoises pixels directly. */
  vaeDecoder?: VaeDecoderModel;
  /** Only for known frames from images (engine/continuation/); opened on first use (`LoadedModel.vaeEncoder`). */
  vaeEncoder?: VaeEncoderModel;
  /** The denoiser of the manifest's `knownFramesDenoiser` (windows with known frames), opened on first use. */
  knownFramesDenoiser?: () => Promise<DenoiserModel>;
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
