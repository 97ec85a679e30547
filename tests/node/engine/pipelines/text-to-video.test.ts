/**
 * The full pipeline on the repo's model (public/models/kineto-shapes) in Node: reproducible by seed, and equal
 * to a hand-written DDIM + guidance loop that calls onnxruntime directly.
 */
import * as ort from 'onnxruntime-node';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR, loadModelFromDisk } from '../../../../src/cli/node-runtime';
import { CancelledError } from '../../../../src/engine/errors';
import { defaultParams } from '../../../../src/engine/params';
import { generateFrames } from '../../../../src/engine/pipelines/text-to-video';
import { Rng } from '../../../../src/engine/rng';
import type { LoadedModel, PresetRun } from '../../../../src/runtime/load-model';

let model: LoadedModel;
/** The Quality preset (the shipped 30-step guided denoiser, `denoiser.onnx`), which the reference loop below runs. */
let quality: PresetRun;
beforeAll(async () => {
  model = await loadModelFromDisk();
  quality = await model.forPreset('quality');
}, 120_000);
afterAll(() => model.release());

const params = (seed: number, over = {}) => ({ ...defaultParams(quality.manifest, 'a red circle moving left on a black background', seed, 'quality'), steps: 4, ...over });

function meanAbsDiff(a: Uint8ClampedArray[], b: Uint8ClampedArray[]): number {
  let s = 0;
  let n = 0;
  a.forEach((fa, i) => fa.forEach((v, j) => { s += Math.abs(v - b[i]![j]!); n++; }));
  return s / n;
}

describe('pipeline on the repo model', () => {
  it('gives identical frames for the same seed and different frames for another seed', async () => {
    const a = await generateFrames(quality.manifest, quality.models, params(11));
    const b = await generateFrames(quality.manifest, quality.models, params(11));
    const c = await generateFrames(quality.manifest, quality.models, params(12));
    expect(a.frames.count).toBe(16);
    expect(a.frames.width).toBe(128);
    expect(meanAbsDiff(a.frames.rgba, b.frames.rgba)).toBe(0);
    expect(meanAbsDiff(a.frames.rgba, c.frames.rgba)).toBeGreaterThan(0.1);
    const latentDiff = a.latents.data.reduce((s, v, i) => s + Math.abs(v - c.latents.data[i]!), 0) / a.latents.data.length;
    expect(latentDiff).toBeGreaterThan(0.1);
  });

  it('matches a direct onnxruntime DDIM + CFG loop step by step', async () => {
    const steps = 3;
    const g = 3;
    const recorded: Float32Array[] = [];
    const res = await generateFrames(quality.manifest, quality.models, params(5, { steps, guidanceScale: g }), {
      preview: 'none',
      onStep: () => {},
    });
    // Reference: ᾱ from the cosine schedule, trailing timesteps, v-prediction DDIM (η = 0), written out here.
    const T = 1000;
    const f = (t: number) => Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
    const ac: number[] = [];
    let prod = 1;
    for (let i = 0; i < T; i++) { prod *= 1 - Math.min(1 - f((i + 1) / T) / f(i / T), 0.999); ac.push(prod); }
    const ts = Array.from({ length: steps }, (_, i) => Math.round(T - (i * T) / steps) - 1);
    const dir = DEFAULT_MODEL_DIR;
    const te = await ort.InferenceSession.create(readFileSync(path.join(dir, 'text_encoder.onnx')));
    const den = await ort.InferenceSession.create(readFileSync(path.join(dir, 'denoiser.onnx')));
    const ids = [model.models.tokenizer.encode('').ids, model.models.tokenizer.encode(params(5).prompt).ids];
    const text = (await te.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.flat().map(BigInt)), [2, 16]) })).last_hidden_state!;
    const shape = [1, 4, 16, 16, 16];
    const n = 4 * 16 * 16 * 16;
    let x = new Rng(5).gaussian(n);
    // A conditioned denoiser (Kineto-Shapes 2) makes a clip from text with no frame known: zero latents and mask.
    const nothingKnown: Record<string, ort.Tensor> = den.inputNames.includes('cond_mask')
      ? { cond_latents: new ort.Tensor('float32', new Float32Array(2 * n), [2, ...shape.slice(1)]), cond_mask: new ort.Tensor('float32', new Float32Array(2 * n / 4), [2, 1, 16, 16, 16]) }
      : {};
    for (let i = 0; i < steps; i++) {
      const t = ts[i]!;
      const both = new Float32Array(2 * n); both.set(x); both.set(x, n);
      const out = (await den.run({ sample: new ort.Tensor('float32', both, [2, ...shape.slice(1)]), timestep: new ort.Tensor('float32', Float32Array.of(t, t), [2]), encoder_hidden_states: text, ...nothingKnown })).out_sample!.data as Float32Array;
      const a = ac[t]!;
      const aPrev = i + 1 < steps ? ac[ts[i + 1]!]! : 1;
      const next = new Float32Array(n);
      for (let k = 0; k < n; k++) {
        const v = out[k]! + g * (out[n + k]! - out[k]!);
        const x0 = Math.sqrt(a) * x[k]! - Math.sqrt(1 - a) * v;
        const eps = Math.sqrt(a) * v + Math.sqrt(1 - a) * x[k]!;
        next[k] = Math.sqrt(aPrev) * x0 + Math.sqrt(1 - aPrev) * eps;
      }
      x = next;
      recorded.push(x);
    }
    let maxDiff = 0;
    for (let k = 0; k < n; k++) maxDiff = Math.max(maxDiff, Math.abs(x[k]! - res.latents.data[k]!));
    expect(maxDiff).toBeLessThan(1e-4);
    await te.release();
    await den.release();
  });

  it('stops within one step when cancelled', async () => {
    let calls = 0;
    const denoiser = quality.models.denoiser;
    const counting = { ...quality.models, denoiser: { predict: (...a: Parameters<typeof denoiser.predict>) => { calls++; return denoiser.predict(...a); } } };
    let steps = 0;
    await expect(generateFrames(quality.manifest, counting, params(1, { steps: 10 }), {
      preview: 'none',
      onStep: () => { steps++; },
      isCancelled: () => steps >= 2,
    })).rejects.toBeInstanceOf(CancelledError);
    expect(calls).toBe(2);
  });

  it('reports words the vocabulary does not know', async () => {
    const r = await generateFrames(quality.manifest, quality.models, params(1, { prompt: 'a red zeppelin moving left', steps: 1 }));
    expect(r.unknownWords).toEqual(['zeppelin']);
  });
});
