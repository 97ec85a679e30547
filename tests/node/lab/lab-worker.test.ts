/**
 * The worker side of the Lab in Node on onnxruntime-node: a recorded run's summary with the views of all its steps
 * (made with one batched VAE call), the views of another frame, and the forward process, for the repo's latent model and for a pixel-space model without a VAE (the repo's text
 * encoder with tests/fixtures/pixel/denoiser.onnx, a stand-in denoiser predicting ε = 0.5·x); and the Conditioning
 * view's continuation: its plan, the engine's report of each window and the strip, from text and after a run's clip.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR, loadModelFromDisk } from '../../../src/cli/node-runtime';
import { defaultParams } from '../../../src/engine/params';
import { handleLab, type LabContext } from '../../../src/lab/lab-worker';
import type { LoadedModel } from '../../../src/runtime/load-model';

let shapes: LoadedModel;
let pixel: LoadedModel;
let pixelDir: string;

/** Kineto-Shapes' manifest turned into a pixel model: 3 channels of 8×8, ε-prediction, no VAE, no preview map. */
async function makePixelModel(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kineto-pixel-'));
  const m = JSON.parse(await readFile(path.join(DEFAULT_MODEL_DIR, 'manifest.json'), 'utf8'));
  const denoiser = await readFile(path.resolve(import.meta.dirname, '../../fixtures/pixel/denoiser.onnx'));
  await writeFile(path.join(dir, 'denoiser.onnx'), denoiser);
  for (const f of ['tokenizer.json', 'text_encoder.onnx']) await copyFile(path.join(DEFAULT_MODEL_DIR, f), path.join(dir, f));
  delete m.components.vae_decoder;
  delete m.components.vae_encoder;
  delete m.preview;
  delete m.presets;
  delete m.variants;
  delete m.conditioning;
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
    withEncoder: async () => ({ ...model.models, vaeEncoder: (await model.vaeEncoder()) ?? undefined }),
    onStage: (s) => void stages.push(s),
    onStep: async () => {},
  };
}

describe('Lab worker', () => {
  it('records a run and serves one step as small decoded images, and the forward process', async () => {
    const stages: string[] = [];
    const ctx = context(shapes, stages);
    const params = { ...defaultParams(shapes.manifest, 'a red circle moving left on a black background', 5, 'quality'), steps: 3, frames: 4 };
    const { summary: run, views } = await handleLab({ type: 'lab-run', params }, ctx);
    expect(views.map((v) => [v.step, v.frame])).toEqual([[0, 0], [1, 0], [2, 0]]);
    expect(run.viewSeconds).toBeGreaterThan(0);
    expect(run.seconds).toBeGreaterThan(run.viewSeconds);
    expect(stages).toEqual(['encode-text', 'denoise', 'decode']);
    expect(run).toMatchObject({ stopped: false, totalSteps: 3, stride: 1, latentSpace: true, shape: [1, 4, 4, 16, 16] });
    expect(run.recordBytes).toBe(4 * 4 * 16 * 16 * 4 * 5 * 3);
    expect(run.tokens.map((t) => t.text).filter((t) => !t.startsWith('['))).toEqual(['a', 'red', 'circle', 'moving', 'left', 'on', 'a', 'black', 'background']);
    expect(run.tokens.every((t) => !t.unknown)).toBe(true);
    expect(new Set(run.tokens.filter((t) => t.text === 'a').map((t) => t.id)).size).toBe(1);

    const [v] = (await handleLab({ type: 'lab-views', runId: run.runId, frame: 2, steps: [1] }, ctx)).views;
    if (!v) throw new Error('no view');
    expect(v).toMatchObject({ step: 1, frame: 2, timestep: run.recorded[1]!.timestep });
    expect([v.x0.width, v.x0.height, v.xt.width]).toEqual([128, 128, 128]);
    expect([v.xtChannels.width, v.xtChannels.height]).toEqual([4 * 16 + 3, 16]);
    expect(v.guidance?.difference.width).toBe(16);
    expect(v.guidance!.peak).toBeGreaterThan(0);
    // Guidance 3 pushes past the prompt's own prediction: the guided x̂0 differs from both branches.
    expect(Array.from(v.x0.rgba)).not.toEqual(Array.from(v.guidance!.cond.rgba));

    const { summary: unknown } = await handleLab({ type: 'lab-run', params: { ...params, prompt: 'a red dodecahedron' } }, ctx);
    expect(unknown.tokens.find((t) => t.unknown)).toBeDefined();

    const clean = await handleLab({ type: 'lab-forward', runId: run.runId, timestep: 0, frame: 0 }, ctx);
    const noisy = await handleLab({ type: 'lab-forward', runId: run.runId, timestep: 999, frame: 0 }, ctx);
    expect(clean.alpha).toBeGreaterThan(0.99);
    expect(noisy.alpha).toBeLessThan(0.01);
    const last = views[2]!;
    const diff = (a: Uint8ClampedArray, b: Uint8ClampedArray) => a.reduce((s, x, i) => s + Math.abs(x - b[i]!), 0) / a.length;
    expect(diff(clean.image.rgba, last.x0.rgba)).toBeLessThan(diff(noisy.image.rgba, last.x0.rgba));
  });

  it('works for a model without a VAE (pixel space) and refuses unknown runs by name', async () => {
    const ctx = context(pixel);
    const params = { ...defaultParams(pixel.manifest, 'a blue square', 1, null), scheduler: 'ddim' as const, steps: 2, frames: 4, guidanceScale: 2 };
    const { summary: run, views } = await handleLab({ type: 'lab-run', params, frame: 3 }, ctx);
    expect(run).toMatchObject({ latentSpace: false, shape: [1, 3, 4, 8, 8] });
    expect(views.map((x) => [x.step, x.frame])).toEqual([[0, 3], [1, 3]]);
    const v = views[0]!;
    expect([v.x0.width, v.xt.width, v.xtChannels.width]).toEqual([8, 8, 3 * 8 + 2]);
    const f = await handleLab({ type: 'lab-forward', runId: run.runId, timestep: 500, frame: 1 }, ctx);
    expect(f.image.width).toBe(8);
    await expect(handleLab({ type: 'lab-views', runId: 9999, frame: 0 }, ctx)).rejects.toThrow(/Lab run 9999 is no longer kept/);
    await expect(handleLab({ type: 'lab-views', runId: run.runId, frame: 0 }, context(shapes))).rejects.toThrow(/another model/);
    await expect(handleLab({ type: 'lab-views', runId: run.runId, frame: 4 }, ctx)).rejects.toThrow(/Frame 4 is outside 0…3/);
  });

  it('prepares the views of every step with one batched VAE call, the same pixels as decoding each step alone', async () => {
    const batches: number[] = [];
    const vae = shapes.models.vaeDecoder!;
    const counted = { ...shapes.models, vaeDecoder: { decode: (t: Parameters<typeof vae.decode>[0]) => (batches.push(t.shape[0]!), vae.decode(t)) } };
    const ctx = { ...context(shapes), models: counted };
    const params = { ...defaultParams(shapes.manifest, 'a green square moving up', 9, 'quality'), steps: 4, frames: 4 };
    const { summary: run, views } = await handleLab({ type: 'lab-run', params, frame: 1 }, ctx);
    // The run's own decode of its 4 frames, then one call for x_t, x̂0 and both guidance branches of all 4 steps.
    expect(batches).toEqual([4, 4 * 4]);
    expect(views.map((v) => [v.step, v.frame])).toEqual([[0, 1], [1, 1], [2, 1], [3, 1]]);

    batches.length = 0;
    const alone = (await handleLab({ type: 'lab-views', runId: run.runId, frame: 1, steps: [2] }, ctx)).views;
    expect(batches).toEqual([4]);
    expect(alone.map((v) => v.step)).toEqual([2]);
    const pixels = (v: (typeof views)[number]) => [v.xt, v.x0, v.guidance!.cond, v.guidance!.uncond, v.xtChannels, v.eps].map((i) => Array.from(i.rgba));
    expect(pixels(alone[0]!)).toEqual(pixels(views[2]!));

    // A decoder whose manifest fixes the batch at 3: 16 images go as 6 calls of 3 (the last padded), same pixels.
    const spec = shapes.manifest.components.vae_decoder!;
    const fixed = { ...shapes.manifest, components: { ...shapes.manifest.components, vae_decoder: { ...spec, inputs: [{ ...spec.inputs[0]!, shape: [3, 4, 16, 16] }] } } };
    batches.length = 0;
    const chunked = (await handleLab({ type: 'lab-views', runId: run.runId, frame: 1 }, { ...ctx, manifest: fixed })).views;
    expect(batches).toEqual([3, 3, 3, 3, 3, 3]);
    expect(chunked.map(pixels)).toEqual(views.map(pixels));
  });

  it('continues for the Conditioning view: the plan, what each window was given, and the strip of frames', async () => {
    const ctx = context(shapes);
    const params = { ...defaultParams(shapes.manifest, 'a red circle moving right on a black background', 3, 'quality'), steps: 2, frames: 32 };
    // From text: window 1 makes 16 frames, windows 2 and 3 are each given the last 4 of the one before.
    const text = await handleLab({ type: 'lab-conditioning', params, start: 'text' }, ctx);
    expect(text.plan.map((p) => [p.frames, p.known.length, p.outputs.length])).toEqual([[16, 0, 16], [16, 4, 12], [8, 4, 4]]);
    expect(text.windows.map((w) => [w.method, w.mask, w.known.map((k) => `${k.from}:${k.index}`).join(' ')])).toEqual([
      ['none', 'text_to_video', ''],
      ['masked-conditioning', 'continue', 'previous-window:12 previous-window:13 previous-window:14 previous-window:15'],
      ['masked-conditioning', 'continue', 'previous-window:12 previous-window:13 previous-window:14 previous-window:15'],
    ]);
    expect(text).toMatchObject({ start: 'text', givenFrames: 0, stopped: false });
    expect(text.frames).toHaveLength(32);
    expect(text.frames.every((f) => f.width === 128 && f.rgba.length === 128 * 128 * 4)).toBe(true);

    // After a run's clip: its 4 frames lead the strip, and window 1 is given all of them.
    const { summary: run } = await handleLab({ type: 'lab-run', params: { ...params, frames: 4 } }, ctx);
    const after = await handleLab({ type: 'lab-conditioning', params: { ...params, frames: 12 }, start: 'clip', runId: run.runId }, ctx);
    expect(after.givenFrames).toBe(4);
    expect(after.frames).toHaveLength(4 + 12);
    expect(after.windows.map((w) => [w.frames, w.known.map((k) => `${k.from}:${k.index}`).join(' '), w.wrote])).toEqual([[16, 'start:0 start:1 start:2 start:3', [0, 11]]]);
    // The strip's given frames are the run's finished frames (its last x̂0, decoded).
    const { views: [last] } = await handleLab({ type: 'lab-views', runId: run.runId, frame: 3, steps: [1] }, ctx);
    const diff = after.frames[3]!.rgba.reduce((sum, v, i) => sum + Math.abs(v - last!.x0.rgba[i]!), 0) / after.frames[3]!.rgba.length;
    expect(diff).toBeLessThan(1);
    await expect(handleLab({ type: 'lab-conditioning', params, start: 'image' }, ctx)).rejects.toThrow(/Press Run first/);
  });
});
