/**
 * The text-to-video denoising loop: tokenize → encode text → seeded noise → N scheduler steps with
 * classifier-free guidance → decode. Pure: models come in as the engine's types, nothing here knows about
 * onnxruntime, the DOM or React. Cancellation is checked before every model call, so it takes effect within
 * one denoising step.
 *
 * Batch sizes come from the manifest's input shapes: a denoiser whose `sample` batch is fixed at 1 runs guidance
 * as two calls per step (unconditional, then conditional, each with its own text encoding) instead of one batch of
 * 2. The helpers both pipelines use (text encodings, decoding, previews) are in `shared.ts`.
 */
import { CancelledError, KinetoError } from '../errors';
import { applyGuidance, applyGuidancePair } from '../guidance';
import { Rng } from '../rng';
import { createScheduler } from '../schedulers';
import { predictEps, predictX0 } from '../schedulers/schedule';
import type { WindowCondition } from '../continuation/window-condition';
import type { GenerateParams, ModelManifest } from '../types';
import {
  decode, disposeTexts, encodeBranches, makePreview, manifestBatch, type PipelineHooks, type PipelineModels,
  type PipelineResult,
} from './shared';

/** Whether guidance must run as two calls: the denoiser's batch is fixed at 1 and there are two branches. */
function splitGuidance(manifest: ModelManifest, branches: number): boolean {
  const fixed = manifestBatch(manifest.components.denoiser, 'sample');
  if (fixed === null || fixed === branches) return false;
  if (fixed === 1) return true;
  throw new KinetoError('bad-manifest', `The denoiser takes a batch of ${fixed} (manifest "sample" shape) but this run needs ${branches}.`);
}

export async function generateFrames(manifest: ModelManifest, models: PipelineModels, params: GenerateParams,
  hooks: PipelineHooks = {}): Promise<PipelineResult> {
  const result = await denoiseLatents(manifest, models, params, hooks);
  // 4. Decode every frame.
  if (hooks.isCancelled?.()) throw new CancelledError();
  hooks.onStage?.('decode');
  return { ...result, frames: await decode(manifest, models, result.latents) };
}

/** A clip's (or a window's) final latents [1, C, F, H, W], before decoding, and what the tokenizer reported. */
export type DenoisedLatents = Omit<PipelineResult, 'frames'>;

/**
 * Steps 1–3 of `generateFrames`. `known`: the window's known frames and how they are taken (a run of windows,
 * engine/continuation/): put back into the sample before each call, fed to a conditioned denoiser, guiding the
 * model output.
 */
export async function denoiseLatents(manifest: ModelManifest, models: PipelineModels, params: GenerateParams,
  hooks: PipelineHooks = {}, known?: WindowCondition): Promise<DenoisedLatents> {
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
      if (known) x = known.prepare(x, i, scheduler);
      const input = scheduler.scaleModelInput(x, i);
      let modelOutput: Float32Array;
      let branches: [Float32Array, Float32Array] | null = null;
      if (split) {
        const one = { data: input, shape };
        const uncond = (await models.denoiser.predict(one, t, texts[0]!, known?.conditioning(1))).data;
        checkCancel();
        const conditional = (await models.denoiser.predict(one, t, texts[1]!, known?.conditioning(1))).data;
        modelOutput = applyGuidancePair(uncond, conditional, params.guidanceScale);
        branches = [uncond, conditional];
      } else {
        const batched = guided ? concat(input, input) : input;
        const out = await models.denoiser.predict({ data: batched, shape: [guided ? 2 : 1, ...shape.slice(1)] }, t, texts[0]!, known?.conditioning(guided ? 2 : 1));
        modelOutput = guided ? applyGuidance(out.data, params.guidanceScale) : out.data;
        if (guided) branches = [out.data.subarray(0, size), out.data.subarray(size)];
      }
      if (known) modelOutput = known.guide(modelOutput, input, i, scheduler);
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

    if (known) x = known.finish(x);
    return { unknownWords: cond.unknownWords, truncatedWords: cond.truncatedWords, latents: { data: x, shape } };
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
