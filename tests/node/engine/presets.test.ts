/**
 * Speed presets on the repo model in Node (onnxruntime-node). Until the distilled student ships, the Fast preset's
 * denoiser is a copy of the shipped denoiser under its own file name, so these tests exercise the wiring: its own
 * file and session, LCM with guidance 1 (one denoiser call of batch 1 per step), determinism per seed, the lazy
 * switch to Quality, and the fallback with a notice when a preset's file is missing.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR, loadModelFromDisk } from '../../../src/cli/node-runtime';
import { defaultParams } from '../../../src/engine/params';
import { runPipeline } from '../../../src/engine/pipelines';
import type { DenoiserModel, GenerateParams } from '../../../src/engine/types';
import type { LoadedModel } from '../../../src/runtime/load-model';

const PROMPT = 'a blue square moving right on a white background';
const FILES = ['tokenizer.json', 'text_encoder.onnx', 'denoiser.onnx', 'vae_decoder.onnx'];

/** A model folder whose Fast preset runs `denoiser-fast.onnx` (a copy of the shipped denoiser) with LCM, 4 steps, no guidance. */
async function presetModelDir(opts: { fastFile?: boolean } = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kineto-presets-'));
  for (const f of FILES) await copyFile(path.join(DEFAULT_MODEL_DIR, f), path.join(dir, f));
  const manifest = JSON.parse(await readFile(path.join(DEFAULT_MODEL_DIR, 'manifest.json'), 'utf8'));
  const base = manifest.components.denoiser;
  if (opts.fastFile !== false) await copyFile(path.join(DEFAULT_MODEL_DIR, base.file), path.join(dir, 'denoiser-fast.onnx'));
  manifest.presets = {
    fast: { denoiser: { file: 'denoiser-fast.onnx', bytes: base.bytes, sha256: base.sha256 }, scheduler: 'lcm', steps: 4, guidance_scale: 1 },
    quality: { scheduler: 'ddim', steps: 30, guidance_scale: 3 },
  };
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

/** The denoiser with its calls recorded (batch size of each). */
function counting(d: DenoiserModel): { denoiser: DenoiserModel; batches: number[] } {
  const batches: number[] = [];
  return { batches, denoiser: { predict: (s, t, e) => (batches.push(s.shape[0]!), d.predict(s, t, e)) } };
}

let dir: string;
let model: LoadedModel;
beforeAll(async () => {
  dir = await presetModelDir();
  model = await loadModelFromDisk(dir);
}, 120_000);
afterAll(async () => {
  await model?.release();
  await rm(dir, { recursive: true, force: true });
});

const fastParams = (seed: number): GenerateParams => ({ ...defaultParams(model.manifest, PROMPT, seed), frames: 8 });

describe('speed presets (Node)', () => {
  it('loads Fast by default: its own file, LCM, 4 steps, guidance 1', () => {
    expect(model.preset).toBe('fast');
    expect(model.notice).toBeNull();
    expect(fastParams(1)).toMatchObject({ preset: 'fast', scheduler: 'lcm', steps: 4, guidanceScale: 1 });
  });

  it('runs Fast with one unconditional-free denoiser call per step, deterministically per seed', async () => {
    const run = await model.forPreset('fast');
    expect(run.manifest.components.denoiser.file).toBe('denoiser-fast.onnx');
    const { denoiser, batches } = counting(run.models.denoiser);
    const a = await runPipeline(run.manifest, { ...run.models, denoiser }, fastParams(7), { preview: 'none' });
    expect(batches).toEqual([1, 1, 1, 1]);
    const b = await runPipeline(run.manifest, run.models, fastParams(7), { preview: 'none' });
    const c = await runPipeline(run.manifest, run.models, fastParams(8), { preview: 'none' });
    expect(a.frames.count).toBe(8);
    const bytes = (r: typeof a) => Buffer.concat(r.frames.rgba.map((f) => new Uint8Array(f.buffer, f.byteOffset, f.byteLength)));
    expect(bytes(a).equals(bytes(b))).toBe(true);
    expect(bytes(a).equals(bytes(c))).toBe(false);
  });

  it('switches to Quality on demand: the base denoiser, guided (batch 2)', async () => {
    const run = await model.forPreset('quality');
    expect(run.preset).toBe('quality');
    expect(run.manifest.components.denoiser.file).toBe('denoiser.onnx');
    expect(run.models.denoiser).not.toBe(model.models.denoiser);
    const { denoiser, batches } = counting(run.models.denoiser);
    const params = { ...defaultParams(model.manifest, PROMPT, 3, 'quality'), steps: 2, frames: 4 };
    expect(params).toMatchObject({ scheduler: 'ddim', guidanceScale: 3 });
    await runPipeline(run.manifest, { ...run.models, denoiser }, params, { preview: 'none' });
    expect(batches).toEqual([2, 2]);
    // The session is made once and kept.
    expect((await model.forPreset('quality')).models.denoiser).toBe(run.models.denoiser);
  });

  it('falls back to the other preset with a notice when the Fast file is missing', async () => {
    const broken = await presetModelDir({ fastFile: false });
    const m = await loadModelFromDisk(broken);
    try {
      expect(m.preset).toBe('quality');
      expect(m.notice).toMatch(/^The Fast preset could not be loaded \(denoiser-fast\.onnx was not found in .*\); using Quality instead\.$/);
      const run = await m.forPreset('fast');
      expect(run.preset).toBe('quality');
      expect(run.notice).toContain('using Quality instead');
    } finally {
      await m.release();
      await rm(broken, { recursive: true, force: true });
    }
  });
});
