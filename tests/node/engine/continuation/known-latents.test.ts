/** The shipped VAE encoder: world frames go through it and the shipped decoder and come back close. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelFromDisk } from '../../../../src/cli/node-runtime';
import { encodeFrames, windowLatents } from '../../../../src/engine/continuation/known-latents';
import { KinetoError } from '../../../../src/engine/errors';
import { modelFrameSize } from '../../../../src/engine/frame-size';
import { decode } from '../../../../src/engine/pipelines/shared';
import type { LoadedModel } from '../../../../src/runtime/load-model';
import { atModelSize, atWorldSize, psnr, someFrames, WORLD_LABELS, worldClip } from '../../../fixtures/world-frames';

let model: LoadedModel;
beforeAll(async () => {
  model = await loadModelFromDisk();
}, 120_000);
afterAll(() => model.release());

describe('encodeFrames on Kineto-Shapes', () => {
  it('round-trips world frames through vae_encoder.onnx and vae_decoder.onnx above 28 dB (at the world\'s 64 px)', async () => {
    const vaeEncoder = (await model.vaeEncoder())!;
    const models = { ...model.models, vaeEncoder };
    const { channels, height, width } = model.manifest.latent;
    const size = modelFrameSize(model.manifest).width;
    expect(size).toBe(128); // the decoder draws twice the world's size; frames reach the encoder box-averaged down
    const scores: number[] = [];
    for (const l of WORLD_LABELS.slice(0, 8)) {
      const clip = someFrames(worldClip(l.file), 0, 4);
      const latents = await encodeFrames(model.manifest, models, atModelSize(clip, size));
      expect(latents).toHaveLength(4);
      expect(latents[0]!.length).toBe(channels * height * width);
      const back = await decode(model.manifest, models, windowLatents(latents.map((latent, position) => ({ position, latent })), 4, channels, height, width));
      expect(back.width).toBe(size);
      const seen = atWorldSize(back.rgba, size);
      clip.rgba.forEach((f, i) => scores.push(psnr(f, seen[i]!)));
    }
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    console.log(`VAE round trip on ${scores.length} world frames: mean PSNR ${mean.toFixed(1)} dB, lowest ${Math.min(...scores).toFixed(1)} dB`);
    expect(mean).toBeGreaterThan(28);
  });

  it('is opened once, on first use', async () => {
    expect(await model.vaeEncoder()).toBe(await model.vaeEncoder());
  });

  it('refuses frames of another size by naming both sizes', async () => {
    const models = { ...model.models, vaeEncoder: (await model.vaeEncoder())! };
    const small = { width: 32, height: 32, count: 1, rgba: [new Uint8ClampedArray(32 * 32 * 4)] };
    await expect(encodeFrames(model.manifest, models, small)).rejects.toThrow(/takes frames of 128×128; these are 32×32/);
    await expect(encodeFrames(model.manifest, models, small)).rejects.toBeInstanceOf(KinetoError);
  });
});
