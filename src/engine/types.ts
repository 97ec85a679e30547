/**
 * Kineto's model contract and engine types. A model package is a folder with `manifest.json` (parsed by
 * `manifest.ts`), a tokenizer file and ONNX components; names follow diffusers' `model_index.json` and
 * `scheduler_config.json` so that Hub exports can be described by the same contract.
 */

export const SCHEDULER_KINDS = ['ddim', 'euler', 'euler-karras', 'dpm-solver++', 'lcm'] as const;
/** Sampler the user picks; `euler-karras` is Euler with Karras et al. (2022) sigmas. */
export type SchedulerKind = (typeof SCHEDULER_KINDS)[number];

export const BETA_SCHEDULES = ['linear', 'scaled_linear', 'squaredcos_cap_v2'] as const;
export type BetaSchedule = (typeof BETA_SCHEDULES)[number];
export const PREDICTION_TYPES = ['epsilon', 'v_prediction', 'sample'] as const;
export type PredictionType = (typeof PREDICTION_TYPES)[number];
export const TIMESTEP_SPACINGS = ['leading', 'trailing', 'linspace'] as const;
export type TimestepSpacing = (typeof TIMESTEP_SPACINGS)[number];

/** Training noise schedule, as in diffusers' scheduler_config.json (camelCase here). */
export type SchedulerConfig = {
  numTrainTimesteps: number;
  betaSchedule: BetaSchedule;
  betaStart: number;
  betaEnd: number;
  predictionType: PredictionType;
  timestepSpacing: TimestepSpacing;
  /** Added to every inference timestep (diffusers' `steps_offset`, 1 for SD 1.x). */
  stepsOffset: number;
  /** DDIM: ᾱ used after the last step; true → 1 (diffusers' `set_alpha_to_one`). */
  setAlphaToOne: boolean;
};

export const DTYPES = ['float32', 'float16', 'int64', 'int32'] as const;
export type Dtype = (typeof DTYPES)[number];

/** One input or output of an ONNX component; a string dimension is symbolic (e.g. "batch"). */
export type TensorSpec = { name: string; dtype: Dtype; shape: (number | string)[] };

export const COMPONENT_NAMES = ['text_encoder', 'denoiser', 'vae_decoder'] as const;
export type ComponentName = (typeof COMPONENT_NAMES)[number];

export type ComponentSpec = {
  /** Path relative to the manifest. */
  file: string;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** Size in bytes, for progress and quota checks. */
  bytes: number;
  /** Lower-case hex sha256 of the file; checked before the file reaches onnxruntime. */
  sha256?: string;
};

export type LatentSpec = {
  /** Latent tensor layout: video UNets use [B, C, F, H, W]. */
  layout: 'BCFHW';
  channels: number;
  /** Default and maximum number of latent frames. */
  frames: number;
  framesMultipleOf: number;
  height: number;
  width: number;
  /** Pixels per latent pixel along each side. */
  vaeScaleFactor: number;
  /** Latents are divided by this before decoding (diffusers' `vae.config.scaling_factor`). */
  scalingFactor: number;
};

export type Defaults = {
  steps: number;
  guidanceScale: number;
  frames: number;
  fps: number;
  scheduler: SchedulerKind;
  outputSize: number;
  negativePrompt: string;
};

export type TokenizerSpec = {
  kind: 'word-level' | 'clip';
  file: string;
  maxLength: number;
  padId: number;
  /** Id of the unknown-word token; words mapped to it are reported to the user. */
  unknownId?: number;
};

/** A validated model manifest. */
export type ModelManifest = {
  format: 'kineto-model/1';
  id: string;
  name: string;
  description: string;
  license: string;
  pipeline: 'text-to-video';
  tokenizer: TokenizerSpec;
  components: { text_encoder: ComponentSpec; denoiser: ComponentSpec; vae_decoder?: ComponentSpec };
  latent: LatentSpec;
  scheduler: SchedulerConfig;
  defaults: Defaults;
  /** Linear latent → RGB map (weights [channels][3], bias [3]) for cheap previews. */
  preview?: { latentRgb: { weights: number[][]; bias: number[] } };
  /** Words the tokenizer knows (word-level models), shown as hints. */
  vocabulary?: string[];
};

/** A dense float tensor as the engine sees it: data plus shape, never an onnxruntime object. */
export type Tensor = { data: Float32Array; shape: number[] };

/**
 * Text encoder output [B, L, D], opaque to the engine: the runtime may keep it on the GPU and hand it
 * straight back to the denoiser at every step.
 */
export type EncodedText = { readonly shape: readonly number[]; dispose(): void };

/** What the engine needs from a text encoder: token ids, one row per prompt → hidden states. */
export type TextEncoderModel = {
  encode(ids: number[][]): Promise<EncodedText>;
};

/**
 * What the engine needs from a denoiser. `sample` is [B, C, F, H, W]; the denoiser returns the model output
 * (ε, v or x0 per the scheduler config). Implementations may keep data on the GPU between calls.
 */
export type DenoiserModel = {
  predict(sample: Tensor, timestep: number, text: EncodedText): Promise<Tensor>;
};

/** Latent frames [N, C, h, w] → RGB frames [N, 3, H, W] in [-1, 1]. */
export type VaeDecoderModel = {
  decode(latents: Tensor): Promise<Tensor>;
};

/** A tokenizer as the engine sees it. */
export type TextTokenizer = {
  /** ids padded/truncated to `maxLength`, the words the vocabulary does not know, how many tokens were cut. */
  encode(text: string): { ids: number[]; unknownWords: string[]; truncatedWords: number };
  readonly maxLength: number;
};

/** Everything the user sets for one clip. */
export type GenerateParams = {
  prompt: string;
  negativePrompt: string;
  seed: number;
  steps: number;
  guidanceScale: number;
  frames: number;
  fps: number;
  scheduler: SchedulerKind;
  /** Output side in pixels (square). */
  outputSize: number;
};

/** RGBA frames at the model's native resolution. */
export type Frames = { width: number; height: number; count: number; rgba: Uint8ClampedArray[] };
