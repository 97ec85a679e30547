/**
 * The worker side of the Lab in Node on onnxruntime-node: a recorded run's summary, the images of one (step, frame)
 * and the forward process, for the repo's latent model and for a pixel-space model without a VAE (the repo's text
 * encoder with tests/fixtures/pixel/denoiser.onnx, a stand-in denoiser predicting ε = 0.5·x).
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR, loadModelFromDisk } from '../../src/cli/node-runtime';
import { defaultParams } from '../../src/engine/params';
import { handleLab, type LabContext } from '../../src/lab/lab-worker';
import type { LoadedModel } from '../../src/runtime/load-model';

let shapes: LoadedModel;
let pixel: LoadedModel;
let pixelDir: string;

/** Kineto-Shapes' manifest turned into a pixel model: 3 channels of 8×8, ε-prediction, no VAE, no preview map. */
async function makePixelModel(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kineto-pixel-'));
  const m = JSON.parse(await readFile(path.join(DEFAULT_MODEL_DIR, 'manifest.json'), 'utf8'));
  const denoiser = await readFile(path.resolve(import.meta.dirname, '../fixtures/pixel/denoiser.onnx'));
  await writeFile(path.join(dir, 'denoiser.onnx'), denoiser);
  for (const f of ['tokenizer.json', 'text_encoder.onnx']) await copyFile(path.join(DEFAULT_MODEL_DIR, f), path.join(dir, f));
  delete m.components.vae_decoder;
  delete m.preview;
  delete m.presets;
  delete m.variants;
  m.id = 'pixel-test';
  m.components.denoiser = {
    file: 'denoiser.onnx', bytes: denoiser.byteLength,
    inputs: [
      { name: 'sample', dtype: 'float32', shape: ['batch', 3, 'frames', 8, 8] },
      { name: 'timestep', dtype: 'float32', shape: ['batch'] },
      { name: 'encoder_hidden_states', dtype: 'float32', shape: ['batch', 16, 128] },
    ],
    outputs: [{ name: 'out_sample', dtype: 'float32', shape: ['batch', 3, 'frames', 8, 8] }],
  };
  m.latent = { ...m.latent, channels: 3, height: 8, width: 8, vae_scale_factor: 1 };
  m.scheduler.prediction_type = 'epsilon';
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(m));
  return dir;
}

beforeAll(async () => {
  const all = await loadModelFromDisk();
  shapes = { ...all, ...(await all.forPreset('quality')) };
  pixelDir = await makePixelModel();
  pixel = await loadModelFromDisk(pixelDir);
}, 120_000);
afterAll(async () => {
  await shapes?.release();
  await pixel?.release();
  if (pixelDir) await rm(pixelDir, { recursive: true, force: true });
});

function context(model: LoadedModel, stages: string[] = []): LabContext {
  return {
    manifest: model.manifest, models: model.models, signal: new AbortController().signal,
    onStage: (s) => void stages.push(s),
    onStep: async () => {},
  };
}

describe('Lab worker', () => {
  it('records a run and serves one step as small decoded images, and the forward process', async () => {
    const stages: string[] = [];
    const ctx = context(shapes, stages);
    const params = { ...defaultParams(shapes.manifest, 'a red circle moving left on a black background', 5, 'quality'), steps: 3, frames: 4 };
    const run = await handleLab({ type: 'lab-run', params }, ctx);
    expect(stages).toEqual(['encode-text', 'denoise', 'decode']);
    expect(run).toMatchObject({ stopped: false, totalSteps: 3, stride: 1, latentSpace: true, shape: [1, 4, 4, 16, 16] });
    expect(run.recordBytes).toBe(4 * 4 * 16 * 16 * 4 * 5 * 3);
    expect(run.tokens.map((t) => t.text).filter((t) => !t.startsWith('['))).toEqual(['a', 'red', 'circle', 'moving', 'left', 'on', 'a', 'black', 'background']);
    expect(run.tokens.every((t) => !t.unknown)).toBe(true);
    expect(new Set(run.tokens.filter((t) => t.text === 'a').map((t) => t.id)).size).toBe(1);

    const v = await handleLab({ type: 'lab-view', runId: run.runId, step: 1, frame: 2 }, ctx);
    expect(v).toMatchObject({ step: 1, frame: 2, timestep: run.recorded[1]!.timestep });
    expect([v.x0.width, v.x0.height, v.xt.width]).toEqual([64, 64, 64]);
    expect([v.xtChannels.width, v.xtChannels.height]).toEqual([4 * 16 + 3, 16]);
    expect(v.guidance?.difference.width).toBe(16);
    expect(v.guidance!.peak).toBeGreaterThan(0);
    // Guidance 3 pushes past the prompt's own prediction: the guided x̂0 differs from both branches.
    expect(Array.from(v.x0.rgba)).not.toEqual(Array.from(v.guidance!.cond.rgba));

    const unknown = await handleLab({ type: 'lab-run', params: { ...params, prompt: 'a red dodecahedron' } }, ctx);
    expect(unknown.tokens.find((t) => t.unknown)).toBeDefined();

    const clean = await handleLab({ type: 'lab-forward', runId: run.runId, timestep: 0, frame: 0 }, ctx);
    const noisy = await handleLab({ type: 'lab-forward', runId: run.runId, timestep: 999, frame: 0 }, ctx);
    expect(clean.alpha).toBeGreaterThan(0.99);
    expect(noisy.alpha).toBeLessThan(0.01);
    const last = await handleLab({ type: 'lab-view', runId: run.runId, step: 2, frame: 0 }, ctx);
    const diff = (a: Uint8ClampedArray, b: Uint8ClampedArray) => a.reduce((s, x, i) => s + Math.abs(x - b[i]!), 0) / a.length;
    expect(diff(clean.image.rgba, last.x0.rgba)).toBeLessThan(diff(noisy.image.rgba, last.x0.rgba));
  });

  it('works for a model without a VAE (pixel space) and refuses unknown runs by name', async () => {
    const ctx = context(pixel);
    const params = { ...defaultParams(pixel.manifest, 'a blue square', 1, null), scheduler: 'ddim' as const, steps: 2, frames: 4, guidanceScale: 2 };
    const run = await handleLab({ type: 'lab-run', params }, ctx);
    expect(run).toMatchObject({ latentSpace: false, shape: [1, 3, 4, 8, 8] });
    const v = await handleLab({ type: 'lab-view', runId: run.runId, step: 0, frame: 3 }, ctx);
    expect([v.x0.width, v.xt.width, v.xtChannels.width]).toEqual([8, 8, 3 * 8 + 2]);
    const f = await handleLab({ type: 'lab-forward', runId: run.runId, timestep: 500, frame: 1 }, ctx);
    expect(f.image.width).toBe(8);
    await expect(handleLab({ type: 'lab-view', runId: 9999, step: 0, frame: 0 }, ctx)).rejects.toThrow(/Lab run 9999 is no longer kept/);
    await expect(handleLab({ type: 'lab-view', runId: run.runId, step: 0, frame: 0 }, context(shapes))).rejects.toThrow(/another model/);
  });
});
