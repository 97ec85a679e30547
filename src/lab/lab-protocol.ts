/**
 * The Lab's messages across the worker boundary (included in worker/protocol.ts). The record of a run stays in the
 * worker; the page gets the small RGBA images its views show (every recorded step of one frame per reply), moved
 * (transferred), not copied.
 */
import type { WindowPlan, WindowReport } from '../engine/continuation';
import type { GenerateParams } from '../engine/types';
import type { ConditioningStart } from './conditioning';
import type { LabImage } from './images';
import type { LabNoSound, LabSound } from './lab-sound';

export type { LabImage, LabNoSound, LabSound };

/** A token of the prompt with its id; `unknown` when the vocabulary does not know it. */
export type LabToken = { text: string; id: number; unknown: boolean };

/** The scalars of one recorded step (index counts from 0). */
export type LabStepScalars = { index: number; timestep: number; alpha: number; sigma: number };

/** What the page keeps of a Lab run: settings, tokens and per-step scalars; never the tensors. */
export type LabRunSummary = {
  runId: number;
  modelId: string;
  params: GenerateParams;
  /** True when the run was cancelled: `recorded` then holds the steps done before it stopped. */
  stopped: boolean;
  totalSteps: number;
  recorded: LabStepScalars[];
  /** Every `stride`-th step was kept (1 = every step) so that the record fits `budgetBytes`. */
  stride: number;
  recordBytes: number;
  budgetBytes: number;
  tokens: LabToken[];
  truncatedWords: number;
  /** False for a model that denoises pixels (no VAE). */
  latentSpace: boolean;
  /** Latent (or pixel) tensor shape [1, C, F, H, W]. */
  shape: number[];
  /** Wall time of the run in the worker, including preparing the views it is returned with (`viewSeconds`). */
  seconds: number;
  /** The part of `seconds` spent making the views of every recorded step at the requested frame. */
  viewSeconds: number;
  /** The finished clip's sound (its events and level), or why there is none (a stopped run has no finished clip). */
  sound: LabSound | LabNoSound;
};

/** One (step, frame) of a run as the Step-by-step and Guidance views show it. */
export type LabStepView = {
  runId: number;
  step: number;
  frame: number;
  timestep: number;
  alpha: number;
  sigma: number;
  /** x_t decoded (what the model saw), its raw channels in false colour, ε̂ channels in false colour, x̂0 decoded. */
  xt: LabImage;
  xtChannels: LabImage;
  eps: LabImage;
  x0: LabImage;
  /** With guidance: x̂0 without and with the prompt, decoded, and their difference as a heat map scaled to its peak. */
  guidance: { uncond: LabImage; cond: LabImage; difference: LabImage; peak: number } | null;
};

/** A continuation run for the Conditioning view: its plan, what each window was given and did, and the strip. */
export type LabConditioning = {
  start: ConditioningStart;
  params: GenerateParams;
  plan: WindowPlan[];
  /** The engine's report of each window that ran (fewer than the plan's when stopped). */
  windows: WindowReport[];
  /** The strip: the frames of the clip continued (start `clip`: `givenFrames` of them), then the new frames. */
  frames: LabImage[];
  givenFrames: number;
  stopped: boolean;
  seconds: number;
};

export const LAB_EXPORTS = ['film', 'sheet'] as const;
/** `film`: MP4, one video frame per recorded step (x̂0 of all frames as a grid); `sheet`: PNG, steps × frames. */
export type LabExportKind = (typeof LAB_EXPORTS)[number];

export type LabRequest =
  /** Records a run and returns with the views of all its recorded steps at `frame` (default 0, clamped to the run). */
  | { type: 'lab-run'; params: GenerateParams; frame?: number }
  /** The views of the recorded steps `steps` (step indices; all when omitted) of `runId` at `frame`. */
  | { type: 'lab-views'; runId: number; frame: number; steps?: number[] }
  /** The last recorded x̂0 of `runId` noised to training timestep `timestep` (q(x_t|x_0), no denoiser call). */
  | { type: 'lab-forward'; runId: number; timestep: number; frame: number }
  | { type: 'lab-export'; runId: number; kind: LabExportKind }
  /**
   * A continuation of `params.frames` frames (the Conditioning view) from `start`; `runId`: the run whose finished
   * frames an `image` or `clip` start takes. Stopped, it answers with the windows made.
   */
  | { type: 'lab-conditioning'; params: GenerateParams; start: ConditioningStart; runId?: number };

export type LabReplies = {
  'lab-run': { summary: LabRunSummary; views: LabStepView[] };
  'lab-views': { runId: number; frame: number; views: LabStepView[]; seconds: number };
  'lab-forward': { runId: number; timestep: number; alpha: number; sigma: number; image: LabImage };
  'lab-export': { blob: Blob; fileName: string; frameCount: number };
  'lab-conditioning': LabConditioning;
};
