/**
 * Times one denoising step of a loaded model — the denoiser call(s) a clip at the model's default settings makes
 * per step — for the Auto backend choice (engine/backend-choice.ts). Runs on seeded noise and the empty prompt.
 */
import { defaultParams } from '../engine/params';
import { disposeTexts, encodeBranches, manifestBatch } from '../engine/pipelines/shared';
import { Rng } from '../engine/rng';
import type { LoadedModel } from './load-model';

/**
 * Milliseconds of one step. This is the first denoiser call of the session: on WebGPU it includes compiling the
 * shaders, so a GPU only slightly faster than WASM in steady state can lose — a cost of one step, not of a clip.
 */
export async function timeDenoiserStep(model: LoadedModel): Promise<number> {
  const { manifest, models } = await model.forPreset();
  const params = defaultParams(manifest, '', 0, model.preset);
  const guided = params.guidanceScale > 1;
  const ids = models.tokenizer.encode('').ids;
  const split = guided && manifestBatch(manifest.components.denoiser, 'sample') === 1;
  const texts = await encodeBranches(models, guided ? [ids, ids] : [ids], split);
  try {
    const { channels, height, width } = manifest.latent;
    const one = [1, channels, params.frames, height, width];
    const noise = new Rng(0).gaussian(one.reduce((a, b) => a * b, 1));
    const calls = split ? texts.map((text) => ({ batch: 1, text })) : [{ batch: guided ? 2 : 1, text: texts[0]! }];
    const inputs = calls.map((c) => ({ data: c.batch === 1 ? noise : Float32Array.from({ length: noise.length * c.batch }, (_, i) => noise[i % noise.length]!), shape: [c.batch, ...one.slice(1)] }));
    const t0 = performance.now();
    for (const [i, c] of calls.entries()) await models.denoiser.predict(inputs[i]!, manifest.scheduler.numTrainTimesteps - 1, c.text);
    return performance.now() - t0;
  } finally {
    disposeTexts(texts);
  }
}
