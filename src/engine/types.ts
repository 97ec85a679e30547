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

/**
 * One input or output of an ONNX component; a string dimension is symbolic (e.g. "batch"). `role` is what Kineto
 * feeds it (`sample`, `timestep`, `encoder_hidden_states`, `input_ids`; a conditioned denoiser's
 * `CONDITIONING_ROLES`) when the export names it differently; without it the name is the role.
 */
export type TensorSpec = { name: string; dtype: Dtype; shape: (number | string)[]; role?: string };

export const COMPONENT_NAMES = ['text_encoder', 'denoiser', 'vae_decoder', 'vae_encoder'] as const;
export type ComponentName = (typeof COMPONENT_NAMES)[number];

/**
 * The inputs of a denoiser trained with masked conditioning (MCVD, Voleti et al. 2022): `cond_latents`
 * [B, C, F, H, W], the known latent frames (any value elsewhere), and `cond_mask` [B, 1, F, H, W], 1 on known frames.
 * A denoiser declares both or neither (see engine/continuation/).
 */
export const CONDITIONING_ROLES = ['cond_latents', 'cond_mask'] as const;
export type ConditioningRole = (typeof CONDITIONING_ROLES)[number];

/**
 * Which frames of a window are known, by purpose (training/masks.py): none, the first (start from an image), the
 * first k (continue a clip), the first and last (in-betweens of two keyframes), every other one (double the rate).
 */
export const CONDITIONING_MASKS = ['text_to_video', 'image_to_video', 'continue', 'keyframes', 'double_frame_rate'] as const;
export type ConditioningMask = (typeof CONDITIONING_MASKS)[number];

/**
 * The masks a conditioned denoiser takes through its inputs (manifest `conditioning`): ones it was trained on and draws
 * better than the fallback does. Masks outside it use the fallback.
 */
export type ConditioningSpec = {
  masks: ConditioningMask[];
  /** The most known frames a `continue` window was trained with (manifest `continue_max_known`). */
  continueMaxKnown: number;
};

export type ComponentSpec = {
  /** Path relative to the manifest. */
  file: string;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** Size in bytes, for progress and quota checks. */
  bytes: number;
  /** True when `bytes` is an estimate from a public listing: the size is then not checked (the sha256 still is, if given). */
  bytesApproximate?: boolean;
  /**
   * Values for the ONNX file's symbolic dimensions (onnxruntime's `freeDimensionOverrides`), e.g. `{ batch_size: 1 }`:
   * static shapes let WebGPU kernels specialise. A pinned dimension should appear as that number in `inputs` too,
   * because the engine reads batch sizes from there.
   */
  freeDimensionOverrides?: Record<string, number>;
  /** Lower-case hex sha256 of the file; checked before the file reaches onnxruntime. */
  sha256?: string;
  /**
   * ONNX external-data files (weights stored outside the graph, for models over protobuf's 2 GB limit), handed to
   * onnxruntime as `externalData` session options. Manifest key `external_data`.
   */
  externalData?: ExternalDataSpec[];
};

/** One external-data file of a component. */
export type ExternalDataSpec = {
  /**
   * The location exactly as written in the ONNX graph's tensors (`model.onnx_data`), relative to the component
   * file's folder; the file is fetched from there (see `externalDataFile`).
   */
  path: string;
  /** Size in bytes. */
  bytes: number;
  /** Lower-case hex sha256. */
  sha256?: string;
};

export const LATENT_LAYOUTS = ['BCFHW', 'BCHW'] as const;
/** Latent layout the denoiser takes: a video UNet's [B, C, F, H, W], or an image UNet's [B, C, H, W]. */
export type LatentLayout = (typeof LATENT_LAYOUTS)[number];

export const PIPELINE_KINDS = ['text-to-video', 'text2video-zero'] as const;
/**
 * How a clip is made: `text-to-video` denoises all frames jointly with a video UNet (BCFHW); `text2video-zero`
 * makes a video from an image UNet (BCHW) by Khachatryan et al. (2023) — see engine/pipelines/text2video-zero.ts.
 */
export type PipelineKind = (typeof PIPELINE_KINDS)[number];

export type LatentSpec = {
  /** Latent tensor layout: video UNets use [B, C, F, H, W]; image UNets (text2video-zero) use [B, C, H, W]. */
  layout: LatentLayout;
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
  /** `clip`: byte-level BPE with <|startoftext|> … <|endoftext|> around the tokens; truncation keeps the end token. */
  kind: 'word-level' | 'clip';
  file: string;
  /** Full https URL of the tokenizer file when it is published elsewhere than the model's files (manifest `url`). */
  url?: string;
  maxLength: number;
  padId: number;
  /** Id of the unknown-word token; words mapped to it are reported to the user. */
  unknownId?: number;
};

/** What a device needs to run a model; checked before any download by `assessModel` (engine/requirements.ts). */
export type Requirements = {
  webgpu: boolean;
  /** The WebGPU adapter must offer `shader-f16` (fp16 models on the ORT-web WebGPU EP). */
  shaderF16: boolean;
  /**
   * Memory the model needs while it runs, in GiB (weights plus activations). Without it Kineto estimates it from the
   * file sizes (`estimateMemoryGb`). Compared with `navigator.deviceMemory` where the browser reports it.
   */
  memoryGb?: number;
  /**
   * The largest single GPU buffer the model allocates (a weight or an activation such as an attention matrix), in
   * MiB; compared with the WebGPU adapter's `maxBufferSize` and `maxStorageBufferBindingSize`. Manifest key
   * `largest_buffer_mb`.
   */
  largestBufferMb?: number;
};

export const WEIGHT_VARIANTS = ['fp16', 'fp32', 'int8'] as const;
/**
 * Alternative weight files of one component (manifest `variants`): `fp16` needs WebGPU with `shader-f16`, `fp32`
 * runs anywhere, `int8` (quantized) suits the CPU (WASM). Picked per device by `pickVariants` (engine/variants.ts).
 */
export type WeightVariant = (typeof WEIGHT_VARIANTS)[number];

export const WARP_FILLS = ['edge', 'wrap', 'reflect'] as const;
/**
 * What a warp shows where content moved away: the nearest edge value, the content from the other side, or the
 * content mirrored at the edge (edge pixel repeated, then inwards: diffusers' Text2Video-Zero warp, grid_sample
 * with reflection padding).
 */
export type WarpFill = (typeof WARP_FILLS)[number];

/** Global translation per frame in latent pixels (Text2Video-Zero's δ): frame k is shifted by k·(dx, dy). */
export type Motion = { dx: number; dy: number };

/** Text2Video-Zero settings (manifest `text2video_zero`), see engine/pipelines/text2video-zero.ts. */
export type Text2VideoZeroSpec = {
  motion: Motion;
  /** Δt: denoising steps taken on the shared first-frame latent before it is warped (≥ 1). */
  warpAfterSteps: number;
  /** Step index the warped latents are re-noised back to and all frames resume from (0 = x_T, as in the paper). */
  renoiseToStep: number;
  fill: WarpFill;
  /**
   * Rewrite the UNet's self-attention to cross-frame attention at load time (src/onnx/cross-frame-attention.ts). It
   * acts across the frames of one batch, so it only has an effect when the denoiser's batch is not fixed at 1.
   */
  crossFrameAttention: boolean;
};

export const PRESET_NAMES = ['fast', 'quality'] as const;
/**
 * A speed preset (manifest `presets`): `fast` is a few-step model (e.g. a distilled student with guidance folded in,
 * sampled with LCM), `quality` the full sampler with classifier-free guidance. Shown as the Speed choice.
 */
export type PresetName = (typeof PRESET_NAMES)[number];

/** One preset's sampler settings and, optionally, its own denoiser weights. */
export type Preset = {
  scheduler: SchedulerKind;
  steps: number;
  /** 1 runs no unconditional branch at all (guidance folded into the model, or none). */
  guidanceScale: number;
  /**
   * The denoiser this preset runs (manifest `presets.<name>.denoiser`: fields over `components.denoiser`'s, e.g. only
   * `file`, `bytes`, `sha256`); absent: `components.denoiser`.
   */
  denoiser?: ComponentSpec;
  /** The preset denoiser's weight variants, when it offers several (picked like `variants`). */
  denoiserVariants?: Partial<Record<WeightVariant, ComponentSpec>>;
  /**
   * A second denoiser for windows with known frames (manifest `presets.<name>.known_frames_denoiser`, its own
   * tensors, `CONDITIONING_ROLES` among them), so a preset keeps a text-to-video denoiser that scores better from
   * text alone (Kineto-Shapes' Fast student) and continues with a conditioned one.
   */
  knownFramesDenoiser?: ComponentSpec;
  /** The known-frames denoiser's weight variants, when it offers several (picked like `denoiserVariants`). */
  knownFramesDenoiserVariants?: Partial<Record<WeightVariant, ComponentSpec>>;
};

/** A validated model manifest. */
export type ModelManifest = {
  format: 'kineto-model/1';
  id: string;
  name: string;
  description: string;
  license: string;
  /** Where the licence text is (shown with the licence before any download). */
  licenseUrl?: string;
  /** A sentence to show before any download, e.g. a non-commercial restriction. */
  licenseNotice?: string;
  /**
   * Base URL (https, ending in `/`) the component files are published under, e.g. a Hub repo's `…/resolve/main/`;
   * absent when the files sit beside the manifest. Paths in `file` stay relative to it.
   */
  baseUrl?: string;
  pipeline: PipelineKind;
  requirements?: Requirements;
  /**
   * Components offered in several weight variants (manifest `components.<name>.variants`), each variant a complete
   * spec. `components` then holds the variant used when none is picked (fp32 when offered); `pickVariants` replaces
   * it with the one that suits the device and drops this field.
   */
  variants?: Partial<Record<ComponentName, Partial<Record<WeightVariant, ComponentSpec>>>>;
  /** Speed presets the model offers (see `resolvePreset` in engine/presets.ts); absent: only `defaults`. */
  presets?: Partial<Record<PresetName, Preset>>;
  /** Present (with defaults filled in) when `pipeline` is `text2video-zero`. */
  text2videoZero?: Text2VideoZeroSpec;
  tokenizer: TokenizerSpec;
  /**
   * `vae_encoder` (RGB frames [N, 3, H, W] in [-1, 1] → latents [N, C, h, w], before `scalingFactor`) turns images and
   * a clip's last frames into known latents; it is loaded on first use (`LoadedModel.vaeEncoder`), not with the model.
   */
  components: { text_encoder: ComponentSpec; denoiser: ComponentSpec; vae_decoder?: ComponentSpec; vae_encoder?: ComponentSpec };
  /** Present when a denoiser declares `CONDITIONING_ROLES`: the masks it was trained on. */
  conditioning?: ConditioningSpec;
  /** The preset's `knownFramesDenoiser`, set by `withPresetDenoiser`: windows with known frames run it. */
  knownFramesDenoiser?: ComponentSpec;
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
  /** `conditioning` only for a denoiser that declares `CONDITIONING_ROLES`, with the batch of `sample`. */
  predict(sample: Tensor, timestep: number, text: EncodedText, conditioning?: DenoiserConditioning): Promise<Tensor>;
};

/** Known frames for a conditioned denoiser: `latents` [B, C, F, H, W] (scaled like `sample`), `mask` [B, 1, F, H, W]. */
export type DenoiserConditioning = { latents: Tensor; mask: Tensor };

/** Latent frames [N, C, h, w] → RGB frames [N, 3, H, W] in [-1, 1]. */
export type VaeDecoderModel = {
  decode(latents: Tensor): Promise<Tensor>;
};

/** RGB frames [N, 3, H, W] in [-1, 1] → latent frames [N, C, h, w] (the encoder's output, before `scalingFactor`). */
export type VaeEncoderModel = {
  encode(frames: Tensor): Promise<Tensor>;
};

/** A tokenizer as the engine sees it. */
export type TextTokenizer = {
  /**
   * ids padded/truncated to `maxLength`, the words the vocabulary does not know, how many tokens were cut, and (where
   * the tokenizer can say) the text of each kept id before padding, for the Lab's token list.
   */
  encode(text: string): { ids: number[]; unknownWords: string[]; truncatedWords: number; tokens?: string[] };
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
  /** The speed preset whose denoiser runs (its sampler settings are already in the fields above); absent: the default. */
  preset?: PresetName;
  /** text2video-zero models only: overrides the manifest's motion for this clip. */
  motion?: Motion;
};

/** RGBA frames at the model's native resolution. */
export type Frames = { width: number; height: number; count: number; rgba: Uint8ClampedArray[] };
