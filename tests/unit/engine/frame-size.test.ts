import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KinetoError } from '../../../src/engine/errors';
import { decoderScale, encoderFrameSize, modelFrameSize } from '../../../src/engine/frame-size';
import { enlargeFrames, shrinkFrames } from '../../../src/engine/frames';
import { parseManifest } from '../../../src/engine/manifest';
import type { Frames } from '../../../src/engine/types';

const shipped = JSON.parse(readFileSync('public/models/kineto-shapes/manifest.json', 'utf8'));
const withDecoderOutput = (shape: (number | string)[]) => {
  const m = structuredClone(shipped);
  m.components.vae_decoder.outputs[0].shape = shape;
  return m;
};

describe('a model\'s frame sizes', () => {
  it('Kineto-Shapes makes 128-px frames from latents of 64-px ones: the encoder reads 64', () => {
    const m = parseManifest(shipped);
    expect(encoderFrameSize(m)).toEqual({ width: 64, height: 64 });
    expect(modelFrameSize(m)).toEqual({ width: 128, height: 128 });
    expect(decoderScale(m.components.vae_decoder!, m.latent)).toBe(2);
  });

  it('a decoder of the encoder\'s size, or one with named dimensions, draws at scale 1', () => {
    expect(modelFrameSize(parseManifest(withDecoderOutput(['batch', 3, 64, 64])))).toEqual({ width: 64, height: 64 });
    expect(modelFrameSize(parseManifest(withDecoderOutput(['batch', 3, 'height', 'width'])))).toEqual({ width: 64, height: 64 });
  });

  it('refuses a decoder output that is not one whole multiple on both sides, naming the field and the sizes', () => {
    for (const shape of [['batch', 3, 96, 96], ['batch', 3, 128, 64], ['batch', 3, 32, 32]]) {
      let error: unknown;
      try {
        parseManifest(withDecoderOutput(shape));
      } catch (e) {
        error = e;
      }
      expect(error, String(shape)).toBeInstanceOf(KinetoError);
      expect((error as KinetoError).code).toBe('bad-manifest');
      expect((error as KinetoError).message).toMatch(/^Invalid model manifest: "components\.vae_decoder\.outputs\[0\]\.shape" must draw one whole multiple of 64×64.*it draws \d+×\d+/);
    }
  });
});

describe('shrinkFrames and enlargeFrames', () => {
  const frames: Frames = {
    width: 4, height: 2, count: 1,
    rgba: [Uint8ClampedArray.from([
      0, 0, 0, 255, 10, 20, 30, 255, /* | */ 100, 100, 100, 255, 101, 101, 101, 255,
      20, 40, 60, 255, 31, 60, 90, 255, /* | */ 200, 0, 0, 255, 0, 200, 0, 255,
    ])],
  };

  it('averages each 2×2 block, rounding to the nearest level', () => {
    const small = shrinkFrames(frames, 2);
    expect([small.width, small.height, small.count]).toEqual([2, 1, 1]);
    // (0 + 10 + 20 + 31) / 4 = 15.25 → 15; (0 + 20 + 40 + 60) / 4 = 30; (100 + 101 + 200 + 0) / 4 = 100.25 → 100; (100 + 101) / 4 → 50.
    expect([...small.rgba[0]!]).toEqual([15, 30, 45, 255, 100, 100, 50, 255]);
  });

  it('repeats each pixel over a block, which shrinking undoes exactly', () => {
    const big = enlargeFrames(frames, 3);
    expect([big.width, big.height]).toEqual([12, 6]);
    expect([...big.rgba[0]!.subarray(0, 16)]).toEqual([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 255]);
    expect(shrinkFrames(big, 3).rgba).toEqual(frames.rgba);
  });

  it('leaves frames as they are at factor 1 and refuses a factor that does not divide them', () => {
    expect(shrinkFrames(frames, 1)).toBe(frames);
    expect(enlargeFrames(frames, 1)).toBe(frames);
    expect(() => shrinkFrames(frames, 3)).toThrow(/4×2 frames cannot be shrunk by 3/);
  });
});
