/**
 * src/worker/kept-clip.ts on real models: the Create form's clips through the continuation engine — in-betweens
 * refused by a model without a VAE encoder, with what it cannot do named; Smooth motion (twice the frames) on it
 * all the same; and Extend of a Smooth-motion clip on Kineto-Shapes, which makes the new part smooth too.
 */
import * as ort from 'onnxruntime-node';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diskSource, loadModelFromDisk } from '../../../src/cli/node-runtime';
import { defaultParams } from '../../../src/engine/params';
import type { Frames } from '../../../src/engine/types';
import { type LoadedModel, loadModel } from '../../../src/runtime/load-model';
import type { OrtModule } from '../../../src/runtime/sessions';
import { clipWithKnownFrames, extendKeptClip, keepClip, keptParts } from '../../../src/worker/kept-clip';
import type { RequestContext } from '../../../src/worker/request-queue';

const ctx = (): RequestContext => ({ id: 1, signal: new AbortController().signal, emit: () => {} });
const white = (side: number): Frames => ({ width: side, height: side, count: 1, rgba: [new Uint8ClampedArray(side * side * 4).fill(255)] });

describe('on the ModelScope stand-in (no VAE encoder)', () => {
  let stand: LoadedModel;
  beforeAll(async () => {
    stand = await loadModel(ort as unknown as OrtModule, diskSource(path.resolve(__dirname, '../../fixtures/hub/modelscope-t2v')), 'cpu');
  }, 120_000);
  afterAll(() => stand.release());

  it('refuses the in-betweens of two pictures, naming the model and what it lacks', async () => {
    const run = await stand.forPreset();
    const params = { ...defaultParams(stand.manifest, 'a cat', 1), frames: 8, steps: 2 };
    await expect(clipWithKnownFrames(stand, run, params, { start: white(64), end: white(64), smoothMotion: false }, ctx()))
      .rejects.toThrow(`${stand.manifest.name} has no VAE encoder, so it cannot make the in-betweens of two pictures.`);
  });

  it('makes Smooth motion from text all the same: twice the frames', async () => {
    const run = await stand.forPreset();
    const params = { ...defaultParams(stand.manifest, 'a cat', 1), frames: 8, steps: 2 };
    const clip = await clipWithKnownFrames(stand, run, params, { smoothMotion: true }, ctx());
    expect(clip.smoothMotion).toBe(true);
    expect(clip.frames.count).toBe(16);
    expect(clip.frames.rgba.every((f) => f.length === clip.frames.width * clip.frames.height * 4)).toBe(true);
  });
});

describe('on Kineto-Shapes', () => {
  let model: LoadedModel;
  beforeAll(async () => {
    model = await loadModelFromDisk();
  }, 120_000);
  afterAll(() => model.release());

  it("extends a Smooth-motion clip with a smooth part: twice the new frames, after the clip's own", async () => {
    const run = await model.forPreset('fast');
    const params = { ...defaultParams(run.manifest, 'a red circle moving right', 3, run.preset), frames: 8 };
    const first = await clipWithKnownFrames(model, run, params, { smoothMotion: true }, ctx());
    expect(first.frames.count).toBe(16);
    keepClip(model.manifest.id, first.frames, params.prompt, true);
    const extended = await extendKeptClip(model, run, params, ctx());
    expect(extended.smoothMotion).toBe(true);
    expect(extended.frames.count).toBe(32);
    expect(extended.frames.rgba.slice(0, 16)).toEqual(first.frames.rgba);
    expect(keptParts()).toEqual([{ prompt: params.prompt, startFrame: 0 }, { prompt: params.prompt, startFrame: 16 }]);
  }, 120_000);
});
