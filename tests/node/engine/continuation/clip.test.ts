/**
 * Long clips, Extend, Start from an image, in-betweens and double frame rate on denoisers that have no known-frame
 * inputs: Kineto-Shapes' Fast student (the shipped Fast preset without its denoiser for known frames) and the
 * ModelScope stand-in, i.e. the training-free fallback (replacement with gradient-free reconstruction guidance); and
 * continuing on the shipped Fast preset as it is, whose windows with known frames run its conditioned student.
 * Continuity is measured with the evaluation's object detector on ground-truth world clips, against the same prompt
 * and seed without known frames.
 */
import * as ort from 'onnxruntime-node';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diskSource, loadModelFromDisk } from '../../../../src/cli/node-runtime';
import { doubleFrameRate, generateClip, inBetween, modelFrameSize, startFromImage, type WindowReport } from '../../../../src/engine/continuation';
import { defaultParams } from '../../../../src/engine/params';
import { generateFrames } from '../../../../src/engine/pipelines/text-to-video';
import type { Frames, GenerateParams } from '../../../../src/engine/types';
import { objectCentres } from '../../../../src/eval/detector';
import { type LoadedModel, loadModel, type PresetRun } from '../../../../src/runtime/load-model';
import type { OrtModule } from '../../../../src/runtime/sessions';
import { atModelSize, atWorldSize, promptFor, psnr, someFrames, WORLD_LABELS, worldClip } from '../../../fixtures/world-frames';

let model: LoadedModel;
let fast: PresetRun;
/** The Fast preset with no denoiser for known frames: its student was trained without conditioning. */
let fallback: PresetRun;
/** The shipped model's frame width (128: the world's 64 px, drawn at twice the size). */
let size: number;
beforeAll(async () => {
  model = await loadModelFromDisk();
  const run = await model.forPreset('fast');
  fast = { ...run, models: { ...run.models, vaeEncoder: (await model.vaeEncoder())! } };
  const { knownFramesDenoiser: _k, conditioning: _c, ...plain } = fast.manifest;
  fallback = { ...fast, manifest: plain };
  size = modelFrameSize(fast.manifest).width;
}, 120_000);
/** A ground-truth world clip at the model's size, as the model takes images; frames it made as the detector sees them. */
const given = (clip: Frames) => atModelSize(clip, size);
const seen = (rgba: Uint8ClampedArray[]) => atWorldSize(rgba, size);
afterAll(() => model.release());

const params = (prompt: string, seed: number, frames: number): GenerateParams => ({ ...defaultParams(fast.manifest, prompt, seed, fast.preset), frames });

/** Runs a clip and keeps what it streams (the engine itself keeps nothing). */
async function collect(run: (hooks: { onFrames(f: Frames, first: number): void }) => Promise<{ windows: WindowReport[]; keptLatentFrames: number }>) {
  const frames: Uint8ClampedArray[] = [];
  const firsts: number[] = [];
  const result = await run({ onFrames: (f, first) => { firsts.push(first); frames.push(...f.rgba); } });
  return { ...result, frames, firsts };
}

const distance = (a: { x: number; y: number } | null, b: { x: number; y: number } | null) => (a && b ? Math.hypot(a.x - b.x, a.y - b.y) : Infinity);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const TRANSLATING = WORLD_LABELS.filter((l) => ['left', 'right', 'up', 'down', 'up-left', 'down-left'].includes(l.motion)).slice(0, 8);

/** A continued clip's first new frame has the object near where the clip's own next frame has it. */
async function continuesNearKnownFrames(run: PresetRun, method: string) {
    const continued: number[] = [];
    const fromText: number[] = [];
    for (const [i, l] of TRANSLATING.entries()) {
      const truth = worldClip(l.file);
      const p = params(promptFor(l), 100 + i, 8);
      const cont = await collect((h) => generateClip(run.manifest, run.models, { params: p, start: { kind: 'clip', frames: given(someFrames(truth, 0, 8)) } }, h));
      expect(cont.windows.map((w) => [w.method, w.mask])).toEqual([[method, 'continue']]);
      const text = await collect((h) => generateClip(run.manifest, run.models, { params: p }, h));
      // Where the object is in the clip's own next frame (frame 8), against the first frame each run made.
      const at = (made: Uint8ClampedArray) => objectCentres([...truth.rgba.slice(0, 9), ...seen([made])], 64, 64);
      const c = at(cont.frames[0]!);
      continued.push(distance(c[8]!, c[9]!));
      const t = at(text.frames[0]!);
      fromText.push(distance(t[8]!, t[9]!));
    }
    console.log(`${method}: first new frame's object to the clip's own next frame (px): continued ${continued.map((d) => d.toFixed(1)).join(' ')} (median ${median(continued).toFixed(1)}); from text alone ${fromText.map((d) => d.toFixed(1)).join(' ')} (median ${median(fromText).toFixed(1)})`);
    expect(median(continued)).toBeLessThan(4);
    expect(median(fromText)).toBeGreaterThan(8);
    expect(continued.filter((d, i) => d < fromText[i]!).length).toBeGreaterThanOrEqual(7);
}

describe('the fallback on Kineto-Shapes\' Fast student (no known-frame inputs)', () => {
  it('continues a clip: its first new frame has the object near where the known frames left it', () => continuesNearKnownFrames(fallback, 'replacement'));

  it('a long clip from text: the first window is the one-window clip of its seed, seeds differ, memory stays a window', async () => {
    const p = params('a small red circle moving right on a black background', 5, 13 * 8);
    const long = await collect((h) => generateClip(fallback.manifest, fallback.models, { params: p }, h));
    expect(long.frames).toHaveLength(104);
    expect(long.windows).toHaveLength(9);
    expect(long.firsts).toEqual([0, 16, 28, 40, 52, 64, 76, 88, 100]);
    expect(long.keptLatentFrames).toBeLessThanOrEqual(16);
    expect(new Set(long.windows.map((w) => w.seed)).size).toBe(9);
    expect(long.windows.map((w) => w.method)).toEqual(['none', ...new Array(8).fill('replacement')]);
    const one = await generateFrames(fallback.manifest, fallback.models, { ...p, frames: 16 });
    expect(long.frames.slice(0, 16)).toEqual(one.frames.rgba);
    // The seam between windows is no jump: the object moves about as much across it as inside a window.
    const c = objectCentres(seen(long.frames.slice(10, 22)), 64, 64);
    const steps = c.slice(1).map((v, i) => distance(c[i]!, v));
    console.log(`object steps around the seam at frame 16 (px): ${steps.map((d) => d.toFixed(1)).join(' ')}`);
    expect(steps[5]).toBeLessThan(Math.max(4, 3 * median(steps)));
  });

  it('starts from an image: frame 0 is the image, frame 1 has its object beside it', async () => {
    const l = TRANSLATING[1]!;
    const truth = someFrames(worldClip(l.file), 0, 1);
    const image = given(truth);
    const out = await collect((h) => startFromImage(fallback.manifest, fallback.models, params(promptFor(l), 3, 16), image, h));
    expect(out.frames).toHaveLength(16);
    expect(out.windows[0]).toMatchObject({ method: 'replacement', mask: 'image_to_video', known: [{ position: 0, from: 'start', index: 0 }] });
    // The image itself, not the autoencoder's copy of it; frame 1 is the model's.
    expect(out.frames[0]).toEqual(image.rgba[0]);
    expect(out.frames[0]).not.toBe(image.rgba[0]);
    expect(psnr(out.frames[1]!, image.rgba[0]!)).toBeLessThan(60);
    const c = objectCentres([truth.rgba[0]!, ...seen(out.frames.slice(0, 2))], 64, 64);
    expect(distance(c[0]!, c[2]!)).toBeLessThan(4);
  });

  it('in-betweens: from one keyframe to the other, the object passing near the middle halfway', async () => {
    const l = TRANSLATING[2]!;
    const truth = worldClip(l.file);
    const big = given(truth);
    const out = await collect((h) => inBetween(fallback.manifest, fallback.models, params(promptFor(l), 4, 16), someFrames(big, 0, 1), someFrames(big, 15, 16), h));
    expect(out.windows[0]).toMatchObject({ method: 'replacement', mask: 'keyframes' });
    // The keyframes come back as given; the frames between are the model's.
    expect(out.frames[0]).toEqual(big.rgba[0]);
    expect(out.frames[15]).toEqual(big.rgba[15]);
    expect(out.frames.slice(1, 15).some((f, i) => psnr(f, big.rgba[i + 1]!) < 60)).toBe(true);
    const c = objectCentres([...truth.rgba, ...seen(out.frames)], 64, 64);
    const gap = distance(c[0]!, c[15]!);
    console.log(`in-betweens: keyframes ${gap.toFixed(1)} px apart; frame 8 made ${distance(c[8]!, c[16 + 8]!).toFixed(1)} px from the truth`);
    expect(distance(c[8]!, c[16 + 8]!)).toBeLessThan(gap / 2);
  });

  it('doubles the frame rate: the clip\'s frames at even positions, the frames between halfway', async () => {
    const l = TRANSLATING[3]!;
    const truth = worldClip(l.file);
    const out = await collect((h) => doubleFrameRate(fallback.manifest, fallback.models, params(promptFor(l), 6, 16), given(truth), h));
    expect(out.frames).toHaveLength(32);
    expect(out.windows.map((w) => [w.stage, w.mask])).toEqual([['double-rate', 'double_frame_rate'], ['double-rate', 'double_frame_rate'], ['double-rate', 'double_frame_rate']]);
    expect(out.keptLatentFrames).toBeLessThanOrEqual(8);
    const made = seen(out.frames);
    for (let i = 0; i < 16; i++) expect(psnr(made[2 * i]!, truth.rgba[i]!)).toBeGreaterThan(26);
    const c = objectCentres(made, 64, 64);
    const off = Array.from({ length: 15 }, (_, i) => {
      const [a, b] = [c[2 * i], c[2 * i + 2]];
      return a && b ? distance(c[2 * i + 1]!, { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }) : Infinity;
    });
    console.log(`doubled: in-betweens off the midpoint of their neighbours (px) ${off.map((d) => d.toFixed(1)).join(' ')}`);
    expect(median(off)).toBeLessThan(2);
  });
});

describe('the fallback on the ModelScope stand-in (no VAE encoder, window of 8, decoder batch 1)', () => {
  let stand: LoadedModel;
  beforeAll(async () => {
    stand = await loadModel(ort as unknown as OrtModule, diskSource(path.resolve(__dirname, '../../../fixtures/hub/modelscope-t2v')), 'cpu');
  }, 120_000);
  afterAll(() => stand.release());

  it('makes a clip longer than its window, each window continuing the last', async () => {
    const p = { ...defaultParams(stand.manifest, 'a cat', 1), frames: 20, steps: 2 };
    const out = await collect((h) => generateClip(stand.manifest, stand.models, { params: p }, h));
    expect(out.frames).toHaveLength(20);
    expect(out.windows.map((w) => [w.frames, w.method, w.mask])).toEqual([[8, 'none', 'text_to_video'], [8, 'replacement', 'continue'], [8, 'replacement', 'continue']]);
    expect(out.keptLatentFrames).toBeLessThanOrEqual(8);
  });

  it('cannot take an image without an encoder, and says what it can do instead, before making anything', async () => {
    const p = { ...defaultParams(stand.manifest, 'a cat', 1), frames: 8, steps: 2 };
    const image = { width: 64, height: 64, count: 1, rgba: [new Uint8ClampedArray(64 * 64 * 4)] };
    let made = 0;
    await expect(startFromImage(stand.manifest, stand.models, p, image, { onFrames: () => void made++ }))
      .rejects.toThrow(/ships no VAE encoder, so it cannot start from an image .* it can still make a long clip from text/);
    expect(made).toBe(0);
  });
});

describe('the shipped Fast preset (its conditioned student for known frames)', () => {
  it('continues a clip by masked conditioning: its first new frame has the object near where the known frames left it', () => continuesNearKnownFrames(fast, 'masked-conditioning'));
});
