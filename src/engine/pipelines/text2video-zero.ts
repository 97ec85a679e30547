/**
 * Text2Video-Zero — Khachatryan, Movsisyan, Tadevosyan, Henschel, Wang, Navasardyan & Shi, "Text2Video-Zero:
 * Text-to-Image Diffusion Models are Zero-Shot Video Generators", ICCV 2023 (arXiv:2303.13439): a video from an
 * image UNet with no training, by giving every frame the same starting latent moved by a global translation.
 *
 * §3.3.1 "Motion dynamics in latent codes", with τ_0 > τ_1 > … the sampler's inference timesteps:
 *   1. x_T¹ ~ N(0, I): one latent for the first frame.
 *   2. Δt sampler steps on it alone (the paper: DDIM backward): x_{τ_a}¹, a = Δt (`warpAfterSteps`).
 *   3.–5. frame k = 0 … m−1 gets the global translation δᵏ = k·δ (δ = `motion`, latent pixels per frame) applied
 *      to that partially denoised latent:  x̃ᵏ = W_{δᵏ}(x_{τ_a}¹).
 *   6. DDPM forward process back to an earlier (noisier) timestep τ_b (`renoiseToStep` b < a; the paper's b = 0,
 *      i.e. back to T), on the variance-preserving latent (Ho et al. 2020, q(x_t | x_s) for t > s):
 *         x_{τ_b}ᵏ = √(ᾱ_{τ_b}/ᾱ_{τ_a}) · x̃ᵏ + √(1 − ᾱ_{τ_b}/ᾱ_{τ_a}) · zᵏ,   zᵏ ~ N(0, I) seeded.
 *      Frame 0 keeps its own trajectory: it resumes from its sample at step b (x_T¹ itself when b = 0, as in the
 *      paper's x_T = [x_T¹, x_T²…]).
 * Then every frame is denoised from step b to the end with the same sampler and prompt. §3.3.2 replaces each
 * self-attention by cross-frame attention to the first frame,
 *         Cross-Frame-Attn(Qᵏ, K^{1:m}, V^{1:m}) = Softmax(Qᵏ (K¹)ᵀ / √c) V¹,
 * which Kineto does by rewriting the UNet at load time (manifest `text2video_zero.cross_frame_attention`,
 * src/onnx/cross-frame-attention.ts). It acts on the frames of one batch, so the frames go through the UNet
 * together (frame 0 first) when its batch is symbolic; a UNet whose batch is fixed at 1 gets one call per frame
 * (and per guidance branch), which works without cross-frame attention.
 *
 * Choices here, beyond the paper:
 * - Any of Kineto's samplers, at any step count: SD-Turbo's 1–4 Euler steps included. The sampler's own sample
 *   (Euler's x0 + σε) is taken to the VP latent x_t with `scaleModelInput` before warping and back after re-noising.
 *   ᾱ at a fractional timestep (Euler Karras) is interpolated through σ, as Euler does.
 * - b > 0 resumes mid-schedule (diffusers' implementation of the paper warps at t0 = 881 and resumes at t1 = 941 of
 *   1000 with 50 steps); a = `steps` warps the fully denoised latent.
 * - The warp is a bilinear translation (exact copy for whole-pixel shifts); positions that come from outside the
 *   latent take the nearest edge value (`fill: 'edge'`, default), wrap around (`'wrap'`) or mirror at the edge
 *   (`'reflect'`, as diffusers' TextToVideoZeroPipeline: x = n, n+1 … read n−1, n−2 …).
 * - Noise draws, in order from one seeded stream: x_T¹, the sampler's own noise in phase 1 (LCM), z¹ … z^{m−1},
 *   then the sampler's noise in phase 2.
 */
import { CancelledError, KinetoError } from '../errors';
import { framesLast } from '../frames';
import { applyGuidancePair } from '../guidance';
import { Rng } from '../rng';
import { createScheduler, type Scheduler } from '../schedulers';
import { alphasCumprod, interpIndex, sigmasFromAlphasCumprod } from '../schedulers/schedule';
import type { EncodedText, GenerateParams, ModelManifest, Motion, SchedulerConfig, Tensor, WarpFill } from '../types';
import {
  decode, disposeTexts, encodeBranches, makePreview, manifestBatch, type PipelineHooks, type PipelineModels,
  type PipelineResult,
} from './shared';

/** What the motion step did, for tests and for debugging a model (latents as the engine holds them). */
export type MotionTrace = {
  /** a: steps taken on the first frame before the warp; b: the step every frame resumes from. */
  warpAfterSteps: number;
  resumeStep: number;
  motion: Motion;
  /** The first frame's latent after a steps as the VP x_t the UNet sees, [C, H, W]. */
  anchor: Tensor;
  /** `anchor` translated by k·δ for frame k = 0 … F−1, before re-noising, [F, C, H, W]. */
  warped: Tensor;
  /** What each frame resumes from at step b, in the sampler's sample space, [F, C, H, W]. */
  resumed: Tensor;
};

export type Text2VideoZeroHooks = PipelineHooks & { onMotion?(trace: MotionTrace): void };

/**
 * Translates a [C, H, W] latent by (dx, dy) latent pixels: out(x, y) = in(x − dx, y − dy), so positive dx moves
 * content right and positive dy moves it down. Bilinear between the four neighbours; whole-pixel shifts copy
 * values exactly. Samples from outside the latent come from the nearest edge ('edge'), the other side ('wrap') or
 * the mirror image at the edge ('reflect', period 2n: n → n−1, −1 → 0).
 */
export function translateLatent(latent: Float32Array, shape: readonly [number, number, number], dx: number, dy: number,
  fill: WarpFill): Float32Array {
  const [c, h, w] = shape;
  if (latent.length !== c * h * w) throw new RangeError(`Latent has ${latent.length} values, shape [${c}, ${h}, ${w}] needs ${c * h * w}.`);
  const index = (i: number, n: number) => {
    if (fill === 'edge') return Math.min(n - 1, Math.max(0, i));
    if (fill === 'wrap') return ((i % n) + n) % n;
    const j = ((i % (2 * n)) + 2 * n) % (2 * n);
    return j < n ? j : 2 * n - 1 - j;
  };
  const out = new Float32Array(latent.length);
  for (let y = 0; y < h; y++) {
    const sy = y - dy;
    const y0 = Math.floor(sy);
    const wy = sy - y0; // weight of row y0 + 1: 0 for whole-pixel shifts
    const r0 = index(y0, h) * w;
    const r1 = index(y0 + 1, h) * w;
    for (let x = 0; x < w; x++) {
      const sx = x - dx;
      const x0 = Math.floor(sx);
      const wx = sx - x0;
      const c0 = index(x0, w);
      const c1 = index(x0 + 1, w);
      for (let ch = 0; ch < c; ch++) {
        const base = ch * h * w;
        const top = latent[base + r0 + c0]! * (1 - wx) + (wx === 0 ? 0 : latent[base + r0 + c1]! * wx);
        const bottom = wy === 0 ? 0 : latent[base + r1 + c0]! * (1 - wx) + (wx === 0 ? 0 : latent[base + r1 + c1]! * wx);
        out[base + y * w + x] = top * (1 - wy) + bottom * wy;
      }
    }
  }
  return out;
}

/** ᾱ at a (possibly fractional) training timestep: exact at integers, through σ in between (as Euler's σ's). */
function alphaBarAt(config: SchedulerConfig): (t: number) => number {
  const ac = alphasCumprod(config);
  const sigmas = sigmasFromAlphasCumprod(ac);
  return (t) => (Number.isInteger(t) && ac[t] !== undefined ? ac[t]! : 1 / (1 + interpIndex(t, sigmas) ** 2));
}

/** Sampler sample → VP x_t at a step (Euler: 1/√(σ²+1); DDPM-style samplers: 1); 1 after the last step. */
function vpScale(s: Scheduler, stepIndex: number): number {
  return stepIndex < s.timesteps.length ? s.scaleModelInput(Float32Array.of(1), stepIndex)[0]! : 1;
}

export async function generateText2VideoZero(manifest: ModelManifest, models: PipelineModels, params: GenerateParams,
  hooks: Text2VideoZeroHooks = {}): Promise<PipelineResult> {
  const spec = manifest.text2videoZero;
  if (manifest.pipeline !== 'text2video-zero' || !spec) throw new KinetoError('bad-manifest', 'This model is not a text2video-zero model.');
  const { channels: C, height: H, width: W } = manifest.latent;
  const F = params.frames;
  const plane = C * H * W;
  const motion = params.motion ?? spec.motion;
  const a = spec.warpAfterSteps;
  const b = spec.renoiseToStep;
  if (params.steps < a)
    throw new KinetoError('bad-parameter', `This model warps the first frame after ${a} steps, so it needs at least ${a} steps (got ${params.steps}).`);
  const fixed = manifestBatch(manifest.components.denoiser, 'sample');
  if (fixed !== null && fixed !== 1)
    throw new KinetoError('bad-manifest', `text2video-zero runs the UNet on 1 frame or on all frames at once; the manifest fixes its batch at ${fixed}.`);
  const framesPerCall = fixed ?? F;
  const checkCancel = () => {
    if (hooks.isCancelled?.()) throw new CancelledError();
  };

  // Text: one encoding per guidance branch (branches always run as separate calls, so that frame 0 is batch item 0
  // of every call — what cross-frame attention attends to), at batch 1 for phase 1 and at framesPerCall for phase 2.
  hooks.onStage?.('encode-text');
  const cond = models.tokenizer.encode(params.prompt);
  const guided = params.guidanceScale > 1;
  const rows = guided ? [models.tokenizer.encode(params.negativePrompt).ids, cond.ids] : [cond.ids];
  checkCancel();
  const single = await encodeBranches(models, rows, true);
  const texts: { single: EncodedText[]; perCall: EncodedText[] } = { single, perCall: single };
  try {
    if (framesPerCall > 1) {
      texts.perCall = [];
      for (const row of rows) texts.perCall.push(await models.textEncoder.encode(new Array<number[]>(framesPerCall).fill(row)));
    }

    const totalSteps = a + (params.steps - b);
    let stepsDone = 0;
    const rng = new Rng(params.seed);
    const noise = (n: number) => rng.gaussian(n);

    /** One sampler step on `frames` frames held as [frames, C, H, W], guidance included. */
    const step = async (s: Scheduler, i: number, x: Float32Array, frames: number): Promise<Float32Array> => {
      const t = s.timesteps[i]!;
      const input = s.scaleModelInput(x, i);
      const chunk = Math.min(frames, framesPerCall);
      const branchText = chunk === 1 ? texts.single : texts.perCall;
      const outputs = rows.map(() => new Float32Array(x.length));
      for (let f = 0; f < frames; f += chunk) {
        for (let br = 0; br < rows.length; br++) {
          checkCancel();
          const part = { data: input.slice(f * plane, (f + chunk) * plane), shape: [chunk, C, H, W] };
          outputs[br]!.set((await models.denoiser.predict(part, t, branchText[br]!)).data, f * plane);
        }
      }
      const modelOutput = guided ? applyGuidancePair(outputs[0]!, outputs[1]!, params.guidanceScale) : outputs[0]!;
      const { prevSample, predOriginal } = s.step(modelOutput, i, x, noise);
      stepsDone++;
      if (hooks.onStep) {
        const x0 = framesLast({ data: predOriginal, shape: [frames, C, H, W] });
        const preview = await makePreview(hooks.preview ?? 'latent-rgb', manifest, models, x0, checkCancel);
        await hooks.onStep({ step: stepsDone, totalSteps, timestep: t, preview });
      }
      return prevSample;
    };

    // 1.–2. The first frame alone for a steps; its sample at step b is kept (frame 0 resumes from there).
    hooks.onStage?.('denoise');
    const first = createScheduler(params.scheduler, manifest.scheduler, params.steps);
    let x = rng.gaussian(plane);
    if (first.initNoiseSigma !== 1) for (let i = 0; i < plane; i++) x[i]! *= first.initNoiseSigma;
    let resumeFrame0 = x.slice();
    for (let i = 0; i < a; i++) {
      x = await step(first, i, x, 1);
      if (i + 1 === b) resumeFrame0 = x.slice();
    }

    // 3.–5. Warp the VP latent x_{τ_a} by k·δ for every frame.
    const alphaBar = alphaBarAt(manifest.scheduler);
    const all = createScheduler(params.scheduler, manifest.scheduler, params.steps, { firstStep: b });
    const toVp = vpScale(first, a);
    const anchor = x.map((v) => v * toVp);
    const warped = new Float32Array(F * plane);
    for (let k = 0; k < F; k++) warped.set(k === 0 ? anchor : translateLatent(anchor, [C, H, W], k * motion.dx, k * motion.dy, spec.fill), k * plane);

    // 6. DDPM forward from τ_a back to τ_b for frames 1…F−1; frame 0 resumes from its own sample at step b.
    const abA = a < params.steps ? alphaBar(first.timesteps[a]!) : 1;
    const ratio = alphaBar(all.timesteps[b]!) / abA;
    const keep = Math.sqrt(ratio);
    const fresh = Math.sqrt(1 - ratio);
    const fromVp = 1 / vpScale(all, b);
    const resumed = new Float32Array(F * plane);
    resumed.set(resumeFrame0);
    for (let k = 1; k < F; k++) {
      const z = rng.gaussian(plane);
      for (let i = 0; i < plane; i++) resumed[k * plane + i] = (keep * warped[k * plane + i]! + fresh * z[i]!) * fromVp;
    }
    hooks.onMotion?.({
      warpAfterSteps: a, resumeStep: b, motion,
      anchor: { data: anchor, shape: [C, H, W] }, warped: { data: warped, shape: [F, C, H, W] },
      resumed: { data: resumed.slice(), shape: [F, C, H, W] },
    });

    // Every frame from step b to the end.
    let frames: Float32Array = resumed;
    for (let i = b; i < params.steps; i++) frames = await step(all, i, frames, F);

    checkCancel();
    hooks.onStage?.('decode');
    const latents = framesLast({ data: frames, shape: [F, C, H, W] });
    const out = await decode(manifest, models, latents);
    return { frames: out, unknownWords: cond.unknownWords, truncatedWords: cond.truncatedWords, latents };
  } finally {
    disposeTexts(texts.perCall === texts.single ? texts.single : [...texts.single, ...texts.perCall]);
  }
}
