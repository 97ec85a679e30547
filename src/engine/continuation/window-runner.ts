/**
 * Running one window: its known frames placed, the method chosen, its seed derived, the denoising loop run around
 * them, its output frames decoded and handed out, and a report of what it was given and did.
 */
import { CancelledError, KinetoError } from '../errors';
import { decode, type PipelineModels } from '../pipelines/shared';
import { denoiseLatents } from '../pipelines/text-to-video';
import { forKnownFrames } from '../presets';
import type { ConditioningMask, DenoiserModel, Frames, GenerateParams, ModelManifest, Tensor } from '../types';
import { type LatentFrame, splitFrames, windowLatents } from './known-latents';
import type { ReconstructionGuidance } from './replacement';
import { windowSeed } from './seeds';
import { chooseMethod, type KnownFrameMethod, windowCondition } from './window-condition';

/** Where a window's known frame came from: the request's start or end, the window before, the clip being doubled. */
export type KnownFrameSource = 'start' | 'end' | 'previous-window' | 'source';

/** What one window was given and did. */
export type WindowReport = {
  /** `clip`: the clip's own windows; `double-rate`: the frames between, when doubling the frame rate. */
  stage: 'clip' | 'double-rate';
  index: number;
  seed: number;
  /** Latent frames in the window. */
  frames: number;
  /** Each known position, with its source and the frame it is there (in the source's numbering). */
  known: { position: number; from: KnownFrameSource; index: number }[];
  /** The window's pattern among training/masks.py's masks (null: none of them). */
  mask: ConditioningMask | null;
  method: KnownFrameMethod;
  /** The first and last output frame it wrote (null: it only made frames for the doubling pass). */
  wrote: [number, number] | null;
  /** Wall-clock seconds: denoising and decoding. */
  seconds: number;
};

export type ClipProgress = { stage: WindowReport['stage']; window: number; windows: number; step: number; totalSteps: number };

export type ClipHooks = {
  /** Frames as they are made, numbered from 0 in the output. The engine keeps none of them. */
  onFrames(frames: Frames, first: number): void | Promise<void>;
  onWindow?(report: WindowReport): void;
  onProgress?(p: ClipProgress): void | Promise<void>;
  isCancelled?(): boolean;
};

/** A known latent frame at a window position. */
export type Placed = { position: number; latent: LatentFrame };

export type WindowRunner = {
  /** Denoises a window around `placed` (all known: nothing to denoise) and returns its latent frames. */
  run(stage: WindowReport['stage'], index: number, frames: number, placed: Placed[], known: WindowReport['known']): Promise<{ latents: LatentFrame[]; report: WindowReport }>;
  /** Decodes the latents at `outputs` and hands them to `onFrames`; then the report is final. */
  emit(latents: LatentFrame[], outputs: { position: number; frame: number }[], report: WindowReport): Promise<void>;
  readonly reports: WindowReport[];
  readonly words: { unknownWords: string[]; truncatedWords: number };
};

export function createWindowRunner(manifest: ModelManifest, models: PipelineModels, params: GenerateParams,
  hooks: ClipHooks, guidance: ReconstructionGuidance, totalWindows: number): WindowRunner {
  const { channels, height, width } = manifest.latent;
  const reports: WindowReport[] = [];
  const words = { unknownWords: [] as string[], truncatedWords: 0 };
  const checkCancel = () => {
    if (hooks.isCancelled?.()) throw new CancelledError();
  };
  return {
    reports,
    words,
    async run(stage, index, frames, placed, known) {
      checkCancel();
      const t0 = performance.now();
      const isKnown = new Array<boolean>(frames).fill(false);
      for (const p of placed) isKnown[p.position] = true;
      const { method, mask } = chooseMethod(manifest, isKnown);
      const seed = windowSeed(params.seed, stage === 'clip' ? 'windows' : 'doubling', index);
      const window = windowLatents(placed, frames, channels, height, width);
      let latents: Tensor = window;
      if (!isKnown.every(Boolean)) {
        const condition = method === 'none' ? undefined
          : windowCondition(manifest, method, isKnown, window.data, windowSeed(seed, 'replacement', 0), guidance);
        const done = reports.length;
        // A preset with a denoiser of its own for known frames runs it on a conditioned window.
        const own = method === 'masked-conditioning' && manifest.knownFramesDenoiser !== undefined;
        const runModels = own ? { ...models, denoiser: await knownFramesModel(models) } : models;
        const r = await denoiseLatents(own ? forKnownFrames(manifest) : manifest, runModels, { ...params, frames, seed }, {
          isCancelled: hooks.isCancelled,
          onStep: hooks.onProgress && ((s) => hooks.onProgress!({ stage, window: done, windows: totalWindows, step: s.step, totalSteps: s.totalSteps })),
        }, condition);
        latents = r.latents;
        words.unknownWords = r.unknownWords;
        words.truncatedWords = r.truncatedWords;
      }
      const report: WindowReport = { stage, index, seed, frames, known, mask, method, wrote: null, seconds: (performance.now() - t0) / 1000 };
      reports.push(report);
      return { latents: splitFrames(latents), report };
    },
    async emit(latents, outputs, report) {
      checkCancel();
      const t0 = performance.now();
      const picked = windowLatents(outputs.map((o, i) => ({ position: i, latent: latents[o.position]! })), outputs.length, channels, height, width);
      await hooks.onFrames(await decode(manifest, models, picked), outputs[0]!.frame);
      report.wrote = [outputs[0]!.frame, outputs.at(-1)!.frame];
      report.seconds += (performance.now() - t0) / 1000;
      hooks.onWindow?.(report);
    },
  };
}

function knownFramesModel(models: PipelineModels): Promise<DenoiserModel> {
  if (!models.knownFramesDenoiser) throw new KinetoError('internal', 'The manifest names a denoiser for known frames that was not loaded.');
  return models.knownFramesDenoiser();
}
