/**
 * The conditioned path on tests/fixtures/conditioned/ (scripts/make-conditioned-fixture.py): Kineto-Shapes 2's
 * denoiser architecture at a tiny width with random weights, beside the shipped package's other files. The known
 * latents must reach the denoiser's `cond_latents` / `cond_mask` inputs, and the graph must read them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateClip } from '../../../../src/engine/continuation';
import { encodeFrames } from '../../../../src/engine/continuation/known-latents';
import { guideUnknown } from '../../../../src/engine/continuation/replacement';
import { CONDITIONED_GUIDANCE, chooseMethod, windowCondition } from '../../../../src/engine/continuation/window-condition';
import { createScheduler } from '../../../../src/engine/schedulers';
import { defaultParams } from '../../../../src/engine/params';
import type { PipelineModels } from '../../../../src/engine/pipelines/shared';
import type { DenoiserConditioning, DenoiserModel, EncodedText, Frames, Tensor } from '../../../../src/engine/types';
import type { LoadedModel } from '../../../../src/runtime/load-model';
import { loadConditionedModel } from '../../../fixtures/conditioned-model';
import { atModelSize, someFrames, WORLD_LABELS, worldClip } from '../../../fixtures/world-frames';

/** The real denoiser, with every call's known-frame inputs written down. */
function recording(denoiser: DenoiserModel) {
  const calls: { sample: Tensor; conditioning: DenoiserConditioning | undefined }[] = [];
  const model: DenoiserModel = {
    predict(sample: Tensor, timestep: number, text: EncodedText, conditioning?: DenoiserConditioning) {
      calls.push({ sample, conditioning });
      return denoiser.predict(sample, timestep, text, conditioning);
    },
  };
  return { model, calls };
}

let model: LoadedModel;
let models: PipelineModels;
beforeAll(async () => {
  model = await loadConditionedModel();
  models = { ...model.models, vaeEncoder: (await model.vaeEncoder())! };
}, 120_000);
afterAll(() => model.release());

/** World clips at the model's 128 px (the shipped decoder's size; the fixture keeps the shipped VAE). */
const clip = atModelSize(worldClip(WORLD_LABELS[0]!.file), 128);
const params = (frames: number) => ({ ...defaultParams(model.manifest, 'a blue triangle moving up', 9), frames, steps: 3, guidanceScale: 2 });

describe('masked conditioning on a conditioned denoiser', () => {
  it('is chosen for the masks the manifest lists, the fallback for other patterns', () => {
    const known = (ones: number[]) => Array.from({ length: 16 }, (_, i) => ones.includes(i));
    expect(chooseMethod(model.manifest, known([0, 1, 2, 3]))).toEqual({ method: 'masked-conditioning', mask: 'continue' });
    expect(chooseMethod(model.manifest, known([0, 15]))).toEqual({ method: 'masked-conditioning', mask: 'keyframes' });
    // Twelve known frames: more than continue_max_known (8).
    expect(chooseMethod(model.manifest, known(Array.from({ length: 12 }, (_, i) => i)))).toEqual({ method: 'replacement', mask: 'continue' });
    expect(chooseMethod(model.manifest, known([0, 1, 2, 3, 15]))).toEqual({ method: 'replacement', mask: null });
  });

  it('hands the known latents and the mask to the denoiser at every call, in both guidance branches', async () => {
    const { model: denoiser, calls } = recording(models.denoiser);
    const previous = someFrames(clip, 0, 8);
    const result = await generateClip(model.manifest, { ...models, denoiser }, { params: params(12), start: { kind: 'clip', frames: previous } }, { onFrames: () => {} });
    expect(result.windows.map((w) => [w.method, w.mask, w.frames])).toEqual([['masked-conditioning', 'continue', 16]]);
    expect(calls).toHaveLength(3);
    const given = await encodeFrames(model.manifest, models, someFrames(clip, 4, 8));
    const plane = 16 * 16;
    for (const { sample, conditioning } of calls) {
      expect(sample.shape).toEqual([2, 4, 16, 16, 16]);
      expect(conditioning!.latents.shape).toEqual([2, 4, 16, 16, 16]);
      expect(conditioning!.mask.shape).toEqual([2, 1, 16, 16, 16]);
      for (let b = 0; b < 2; b++)
        for (let f = 0; f < 16; f++) {
          const m = conditioning!.mask.data.subarray((b * 16 + f) * plane, (b * 16 + f + 1) * plane);
          expect(m.every((v) => v === (f < 4 ? 1 : 0))).toBe(true);
          for (let c = 0; c < 4; c++) {
            const got = conditioning!.latents.data.subarray(((b * 4 + c) * 16 + f) * plane, ((b * 4 + c) * 16 + f + 1) * plane);
            if (f < 4) expect(got).toEqual(given[f]!.subarray(c * plane, (c + 1) * plane));
            else expect(got.every((v) => v === 0)).toBe(true);
          }
        }
    }
  });

  it('guides the frames beside the known ones gently, and the fallback with the guidance it is given', () => {
    const known = Array.from({ length: 16 }, (_, i) => i < 4);
    const n = 4 * 16 * 256;
    const wave = (k: number) => new Float32Array(n).map((_, i) => Math.sin(k * i));
    const [latents, out, input] = [wave(0.3), wave(0.7), wave(1.1)];
    const scheduler = createScheduler('ddim', model.manifest.scheduler, 3);
    const shape = { channels: 4, frames: 16, plane: 256 };
    const own = { weight: 0.4, decay: 0.9 };
    const guided = (method: 'masked-conditioning' | 'replacement') => windowCondition(model.manifest, method, known, latents, 1, own).guide(out, input, 1, scheduler);
    const expected = (g: typeof own) => guideUnknown(out, input, model.manifest.scheduler.predictionType, scheduler.levels[1]!, known, latents, shape, g);
    expect(guided('masked-conditioning')).toEqual(expected(CONDITIONED_GUIDANCE));
    expect(guided('masked-conditioning')).not.toEqual(out);
    expect(guided('replacement')).toEqual(expected(own));
  });

  it('the ONNX graph reads them: other known frames, other output for the same noisy sample', async () => {
    const text = await model.models.textEncoder.encode([model.models.tokenizer.encode('a blue triangle').ids]);
    const sample = { data: new Float32Array(4 * 16 * 256).map((_, i) => Math.sin(i)), shape: [1, 4, 16, 16, 16] };
    const mask = { data: new Float32Array(16 * 256).fill(1, 0, 4 * 256), shape: [1, 1, 16, 16, 16] };
    const withKnown = async (frames: Frames) => {
      const latents = new Float32Array(4 * 16 * 256);
      (await encodeFrames(model.manifest, models, frames)).forEach((l, f) => {
        for (let c = 0; c < 4; c++) latents.set(l.subarray(c * 256, (c + 1) * 256), (c * 16 + f) * 256);
      });
      return (await models.denoiser.predict(sample, 500, text, { latents: { data: latents, shape: sample.shape }, mask })).data;
    };
    const a = await withKnown(someFrames(clip, 0, 4));
    const b = await withKnown(someFrames(atModelSize(worldClip(WORLD_LABELS[1]!.file), 128), 0, 4));
    const none = (await models.denoiser.predict(sample, 500, text)).data;
    text.dispose();
    const diff = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + Math.abs(v - y[i]!), 0) / x.length;
    expect(diff(a, b)).toBeGreaterThan(1e-3);
    expect(diff(a, none)).toBeGreaterThan(1e-3);
  });

  it('a clip from text runs on it too, told that no frame is known', async () => {
    const { model: denoiser, calls } = recording(models.denoiser);
    const result = await generateClip(model.manifest, { ...models, denoiser }, { params: params(16) }, { onFrames: () => {} });
    expect(result.windows[0]!.method).toBe('none');
    expect(calls.every((c) => c.conditioning === undefined)).toBe(true);
  });
});
