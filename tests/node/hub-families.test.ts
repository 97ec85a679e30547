/**
 * The two Hub model families end to end in onnxruntime-node, on the tiny fixtures of scripts/make-hub-fixtures.py
 * (real tensor names, dtypes, ranks and symbolic dimensions; random weights):
 * - modelscope-t2v: the video-UNet loop with int64 timesteps, a CLIP tokenizer, guidance as one batch of 2 or as two
 *   calls, and a VAE decoder whose batch is fixed at 1;
 * - sd-turbo: Text2Video-Zero on an image UNet (warp, re-noise, per-frame or batched frames, cross-frame attention).
 * Variants of a fixture are made by editing its manifest in memory (another UNet file, other batch sizes).
 */
import * as ort from 'onnxruntime-node';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diskSource } from '../../src/cli/node-runtime';
import { CancelledError } from '../../src/engine/errors';
import { defaultParams } from '../../src/engine/params';
import { Rng } from '../../src/engine/rng';
import { runPipeline } from '../../src/engine/pipelines';
import type { MotionTrace } from '../../src/engine/pipelines/text2video-zero';
import type { GenerateParams, Tensor } from '../../src/engine/types';
import { type LoadedModel, loadModel } from '../../src/runtime/load-model';
import type { OrtModule } from '../../src/runtime/sessions';
import type { FileSource } from '../../src/weights/file-source';

const HUB = path.resolve(__dirname, '../fixtures/hub');
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const loaded: LoadedModel[] = [];
afterAll(async () => {
  for (const m of loaded) await m.release();
});

/** The fixture folder as a FileSource whose manifest.json goes through `edit` first. */
function editedSource(family: string, edit: (m: Json, dir: string) => void): FileSource {
  const dir = path.join(HUB, family);
  const disk = diskSource(dir);
  return {
    ...disk,
    async readJson(p) {
      const json = await disk.readJson(p);
      if (p === 'manifest.json') edit(json as Json, dir);
      return json;
    },
  };
}

async function load(family: string, edit: (m: Json, dir: string) => void = () => {}): Promise<LoadedModel> {
  const m = await loadModel(ort as unknown as OrtModule, editedSource(family, edit), 'cpu');
  loaded.push(m);
  return m;
}

/** Points a component at another file of the fixture, with its real size and sha256. */
function useFile(m: Json, dir: string, component: string, file: string): void {
  const bytes = readFileSync(path.join(dir, file));
  Object.assign(m.components[component], { file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
}

/** Sets the first (batch) dimension of every input and output of a component, and drops a batch_size override. */
function setBatch(m: Json, component: string, batch: number | string): void {
  const c = m.components[component];
  for (const t of [...c.inputs, ...c.outputs]) if (t.shape.length > 1) t.shape[0] = batch;
  if (c.free_dimension_overrides) delete c.free_dimension_overrides.batch_size;
}

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
const maxAbs = (a: Float32Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const sameFrames = (a: Uint8ClampedArray[], b: Uint8ClampedArray[]) => a.length === b.length && a.every((f, i) => f.every((v, j) => v === b[i]![j]));

/** Frame k of latents [1, C, F, H, W] as [C·H·W]. */
function frameOf(latents: Tensor, k: number): Float32Array {
  const [, c, f, h, w] = latents.shape as [number, number, number, number, number];
  const out = new Float32Array(c * h * w);
  for (let ci = 0; ci < c; ci++) out.set(latents.data.subarray((ci * f + k) * h * w, (ci * f + k + 1) * h * w), ci * h * w);
  return out;
}

/** Records every denoiser call's batch size and every VAE call's input shape. */
function spy(model: LoadedModel) {
  const calls = { denoiser: [] as number[], vae: [] as number[][], text: [] as number[] };
  const { denoiser, vaeDecoder, textEncoder } = model.models;
  const models = {
    ...model.models,
    denoiser: { predict: (s: Tensor, t: number, e: Parameters<typeof denoiser.predict>[2]) => (calls.denoiser.push(s.shape[0]!), denoiser.predict(s, t, e)) },
    textEncoder: { encode: (ids: number[][]) => (calls.text.push(ids.length), textEncoder.encode(ids)) },
    vaeDecoder: { decode: (l: Tensor) => (calls.vae.push([...l.shape]), vaeDecoder!.decode(l)) },
  };
  return { models, calls };
}

// ---------------------------------------------------------------------------------------------------------------

describe('modelscope-t2v (video UNet, CLIP tokenizer, int64 timesteps)', () => {
  const params = (model: LoadedModel, over: Partial<GenerateParams> = {}): GenerateParams =>
    ({ ...defaultParams(model.manifest, 'a red cat running on the beach', 7), steps: 3, frames: 4, ...over });

  it('makes the requested frames at 8× the latent size, the same for a seed and different for another', async () => {
    const model = await load('modelscope-t2v');
    const a = await runPipeline(model.manifest, model.models, params(model));
    const b = await runPipeline(model.manifest, model.models, params(model));
    const c = await runPipeline(model.manifest, model.models, params(model, { seed: 8 }));
    expect([a.frames.count, a.frames.width, a.frames.height]).toEqual([4, 64, 64]);
    expect(a.latents.shape).toEqual([1, 4, 4, 8, 8]);
    expect(sameFrames(a.frames.rgba, b.frames.rgba)).toBe(true);
    expect(maxAbsDiff(a.latents.data, b.latents.data)).toBe(0);
    expect(maxAbsDiff(a.latents.data, c.latents.data)).toBeGreaterThan(0.1);
    expect(a.unknownWords).toEqual([]);
  });

  it('runs guidance as two calls when the denoiser batch is 1, with the same result as one batch of 2', async () => {
    const batched = await load('modelscope-t2v');
    const single = await load('modelscope-t2v', (m) => setBatch(m, 'denoiser', 1));
    const a = spy(batched);
    const b = spy(single);
    const p = params(batched, { guidanceScale: 5, negativePrompt: 'a dog' });
    const ra = await runPipeline(batched.manifest, a.models, p);
    const rb = await runPipeline(single.manifest, b.models, p);
    expect(a.calls.denoiser).toEqual([2, 2, 2]); // one batch [uncond; cond] per step
    expect(b.calls.denoiser).toEqual([1, 1, 1, 1, 1, 1]); // uncond, cond per step
    expect(a.calls.text).toEqual([2]);
    expect(b.calls.text).toEqual([1, 1]); // an encoding per branch
    // equal up to float32 rounding (batched and single convolutions sum in different orders; guidance 5 amplifies)
    expect(maxAbsDiff(ra.latents.data, rb.latents.data) / maxAbs(ra.latents.data)).toBeLessThan(1e-5);
    // Guidance matters here: unguided latents are far from guided ones, so the check above compares real CFG.
    const unguided = await runPipeline(batched.manifest, batched.models, { ...p, guidanceScale: 1 });
    expect(maxAbsDiff(ra.latents.data, unguided.latents.data)).toBeGreaterThan(0.01);
  });

  it('decodes one frame per VAE call because the manifest fixes the decoder batch at 1', async () => {
    const model = await load('modelscope-t2v');
    const s = spy(model);
    await runPipeline(model.manifest, s.models, params(model, { steps: 1 }));
    expect(s.calls.vae).toEqual([[1, 4, 8, 8], [1, 4, 8, 8], [1, 4, 8, 8], [1, 4, 8, 8]]);
    // The ONNX file really has batch 1: a manifest claiming any batch makes the engine send all 4 frames, and fail.
    const wrong = await load('modelscope-t2v', (m) => setBatch(m, 'vae_decoder', 'batch'));
    await expect(runPipeline(wrong.manifest, wrong.models, params(wrong, { steps: 1 }))).rejects.toThrow(/latent_sample/);
  });

  it('feeds and reads float16 tensors when the manifest declares them (fp16-I/O decoder)', async () => {
    const fp32 = await load('modelscope-t2v');
    const fp16 = await load('modelscope-t2v', (m, dir) => {
      useFile(m, dir, 'vae_decoder', 'vae_decoder/model-fp16io.onnx');
      m.components.vae_decoder.inputs[0].dtype = 'float16';
      m.components.vae_decoder.outputs[0].dtype = 'float16';
    });
    const a = await runPipeline(fp32.manifest, fp32.models, params(fp32, { steps: 1 }));
    const b = await runPipeline(fp16.manifest, fp16.models, params(fp16, { steps: 1 }));
    expect(maxAbsDiff(a.latents.data, b.latents.data)).toBe(0);
    let worst = 0;
    a.frames.rgba.forEach((f, i) => f.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b.frames.rgba[i]![j]!)))));
    expect(worst).toBeLessThanOrEqual(2); // half precision at the decoder's input and output only
    // declared float32 for the float16 file: onnxruntime refuses, so the dtype really reaches the session
    const wrong = await load('modelscope-t2v', (m, dir) => useFile(m, dir, 'vae_decoder', 'vae_decoder/model-fp16io.onnx'));
    await expect(runPipeline(wrong.manifest, wrong.models, params(wrong, { steps: 1 }))).rejects.toThrow(/type|float16|tensor\(float16\)/i);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('sd-turbo (Text2Video-Zero on an image UNet)', () => {
  const params = (model: LoadedModel, over: Partial<GenerateParams> = {}): GenerateParams =>
    ({ ...defaultParams(model.manifest, 'a red cat on the beach', 3), steps: 2, frames: 4, ...over });

  it('makes the requested frames, the same for a seed and different for another, one UNet call per frame', async () => {
    const model = await load('sd-turbo');
    const s = spy(model);
    const a = await runPipeline(model.manifest, s.models, params(model));
    const b = await runPipeline(model.manifest, model.models, params(model));
    const c = await runPipeline(model.manifest, model.models, params(model, { seed: 4 }));
    expect([a.frames.count, a.frames.width, a.frames.height]).toEqual([4, 64, 64]);
    expect(a.latents.shape).toEqual([1, 4, 4, 8, 8]);
    expect(sameFrames(a.frames.rgba, b.frames.rgba)).toBe(true);
    expect(maxAbsDiff(a.latents.data, c.latents.data)).toBeGreaterThan(0.1);
    // warp after 1 step, resume at 0: 1 call for frame 0, then 2 steps × 4 frames, all at batch 1; VAE per frame
    expect(s.calls.denoiser).toEqual(new Array(1 + 2 * 4).fill(1));
    expect(s.calls.vae).toHaveLength(4);
    // frames differ from each other (shifted content plus fresh noise), yet not wildly: same prompt and anchor
    expect(maxAbsDiff(frameOf(a.latents, 0), frameOf(a.latents, 1))).toBeGreaterThan(0.01);
  });

  it('warps frame 0 by k·δ and re-noises it exactly as the DDPM forward process says (zero UNet)', async () => {
    // conv_out = 0, so ε̂ ≡ 0 and Euler leaves samples unchanged: every latent can be predicted from the seed alone.
    const model = await load('sd-turbo', (m, dir) => useFile(m, dir, 'denoiser', 'unet/model-zero.onnx'));
    const seed = 11;
    const F = 4;
    const motion = { dx: 2, dy: -1 };
    let trace: MotionTrace | undefined;
    const r = await runPipeline(model.manifest, model.models, params(model, { seed, frames: F, steps: 4, motion }), {
      onMotion: (t) => (trace = t),
    });
    const [C, H, W] = [4, 8, 8];
    const plane = C * H * W;

    // Reference numbers from the published formulas, written out here (scaled_linear β, SD's 1000 steps).
    const ac: number[] = [];
    let prod = 1;
    for (let i = 0; i < 1000; i++) {
      const sb = Math.sqrt(0.00085) + ((Math.sqrt(0.012) - Math.sqrt(0.00085)) * i) / 999;
      prod *= 1 - sb * sb;
      ac.push(prod);
    }
    const sigma = (t: number) => Math.sqrt((1 - ac[t]!) / ac[t]!);
    // trailing spacing, 4 steps: timesteps 999, 749, 499, 249; warp after 1 step (at 749), resume at step 0 (999)
    const stream = new Rng(seed).gaussian(F * plane); // x_T of frame 0, then z¹, z², z³ (Euler draws no noise)
    const xT = stream.subarray(0, plane).map((v) => v * sigma(999));
    const toVp = (t: number) => 1 / Math.sqrt(sigma(t) ** 2 + 1);
    /** Independent whole-pixel shift with edge fill: out(x, y) = in(clamp(x − dx), clamp(y − dy)). */
    const shift = (a: Float32Array, dx: number, dy: number) => {
      const out = new Float32Array(a.length);
      const cl = (v: number, n: number) => Math.min(n - 1, Math.max(0, v));
      for (let ch = 0; ch < C; ch++)
        for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) out[ch * H * W + y * W + x] = a[ch * H * W + cl(y - dy, H) * W + cl(x - dx, W)]!;
      return out;
    };

    expect(trace).toBeDefined();
    const t = trace!;
    expect([t.warpAfterSteps, t.resumeStep]).toEqual([1, 0]);
    // anchor: x_T after one Euler step at ε̂ = 0 (unchanged), as the VP latent of timestep 749
    const anchorRef = xT.map((v) => v * toVp(749));
    expect(maxAbsDiff(t.anchor.data, anchorRef)).toBeLessThan(1e-5);
    for (let k = 0; k < F; k++) {
      const warpedK = t.warped.data.subarray(k * plane, (k + 1) * plane);
      // exactly the anchor moved by k·δ — and for k ≥ 1 really moved
      expect(maxAbsDiff(warpedK, shift(t.anchor.data, k * motion.dx, k * motion.dy))).toBe(0);
      if (k > 0) expect(maxAbsDiff(warpedK, t.anchor.data)).toBeGreaterThan(0.1);
    }
    // final latents = what each frame resumed from (ε̂ = 0): frame 0 is x_T itself, frame k the re-noised warp
    expect(maxAbsDiff(frameOf(r.latents, 0), xT)).toBeLessThan(1e-5);
    const ratio = ac[999]! / ac[749]!;
    for (let k = 1; k < F; k++) {
      const z = stream.subarray(k * plane, (k + 1) * plane);
      const expected = shift(anchorRef, k * motion.dx, k * motion.dy).map((v, i) => (Math.sqrt(ratio) * v + Math.sqrt(1 - ratio) * z[i]!) / toVp(999));
      expect(maxAbsDiff(frameOf(r.latents, k), expected)).toBeLessThan(1e-4);
    }
  });

  it('batches all frames when the UNet batch is symbolic, with the same result as one call per frame', async () => {
    const perFrame = await load('sd-turbo');
    const batched = await load('sd-turbo', (m) => setBatch(m, 'denoiser', 'batch_size'));
    const s = spy(batched);
    const p = params(perFrame, { guidanceScale: 3, steps: 3 });
    const ra = await runPipeline(perFrame.manifest, perFrame.models, p);
    const rb = await runPipeline(batched.manifest, s.models, p);
    // phase 1: 1 frame × 2 branches; phase 2 (3 steps): all 4 frames per call × 2 branches
    expect(s.calls.denoiser).toEqual([1, 1, 4, 4, 4, 4, 4, 4]);
    expect(maxAbsDiff(ra.latents.data, rb.latents.data)).toBeLessThan(1e-5);
  });

  it('runs with cross-frame attention: frame 0 unchanged, later frames attend to it; load-time rewrite = reference', async () => {
    const symbolic = (m: Json) => setBatch(m, 'denoiser', 'batch_size');
    const plain = await load('sd-turbo', symbolic);
    const reference = await load('sd-turbo', (m, dir) => { symbolic(m); useFile(m, dir, 'denoiser', 'unet/model-cfa.onnx'); });
    const rewritten = await load('sd-turbo', (m) => { symbolic(m); m.text2video_zero.cross_frame_attention = true; });
    const p = params(plain, { steps: 3 });
    const rp = await runPipeline(plain.manifest, plain.models, p);
    const rr = await runPipeline(reference.manifest, reference.models, p);
    const rw = await runPipeline(rewritten.manifest, rewritten.models, p);
    expect(maxAbsDiff(frameOf(rr.latents, 0), frameOf(rp.latents, 0))).toBeLessThan(1e-5);
    for (let k = 1; k < 4; k++) expect(maxAbsDiff(frameOf(rr.latents, k), frameOf(rp.latents, k))).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(rw.latents.data, rr.latents.data)).toBeLessThan(1e-4);
  });

  it('stops with CancelledError between UNet calls', async () => {
    const model = await load('sd-turbo');
    let steps = 0;
    await expect(runPipeline(model.manifest, model.models, params(model, { steps: 4 }), {
      preview: 'none', onStep: () => { steps++; }, isCancelled: () => steps >= 2,
    })).rejects.toBeInstanceOf(CancelledError);
    expect(steps).toBe(2);
  });
});
