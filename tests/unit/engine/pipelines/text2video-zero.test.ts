import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../../src/engine/manifest';
import { defaultParams, validateParams } from '../../../../src/engine/params';
import { translateLatent } from '../../../../src/engine/pipelines/text2video-zero';

/** [C=2, H=3, W=4] with value 100·c + 10·y + x, so every position is recognisable. */
const C = 2, H = 3, W = 4;
const latent = Float32Array.from({ length: C * H * W }, (_, i) => 100 * Math.floor(i / (H * W)) + 10 * Math.floor((i % (H * W)) / W) + (i % W));
const at = (a: Float32Array, c: number, y: number, x: number) => a[c * H * W + y * W + x]!;

describe('translateLatent (Text2Video-Zero warp)', () => {
  it('moves content right and down for positive dx, dy, copying values exactly', () => {
    const out = translateLatent(latent, [C, H, W], 1, 1, 'wrap');
    for (let c = 0; c < C; c++)
      for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) expect(at(out, c, y, x)).toBe(at(latent, c, (y + H - 1) % H, (x + W - 1) % W));
  });

  it("fills from the nearest edge with 'edge' and from the other side with 'wrap'", () => {
    const edge = translateLatent(latent, [C, H, W], 2, 0, 'edge');
    const wrap = translateLatent(latent, [C, H, W], 2, 0, 'wrap');
    // row 0 of channel 0 was [0, 1, 2, 3]
    expect(Array.from(edge.subarray(0, 4))).toEqual([0, 0, 0, 1]);
    expect(Array.from(wrap.subarray(0, 4))).toEqual([2, 3, 0, 1]);
    const up = translateLatent(latent, [C, H, W], 0, -1, 'edge'); // content moves up: last row repeats
    expect([at(up, 1, 0, 2), at(up, 1, 1, 2), at(up, 1, 2, 2)]).toEqual([112, 122, 122]);
  });

  it("mirrors at the edge with 'reflect' (diffusers' grid_sample reflection): edge pixel first, then inwards", () => {
    // row 0 of channel 0 was [0, 1, 2, 3]; positions −1, −2, −3 read 0, 1, 2 and positions 4, 5 read 3, 2
    expect(Array.from(translateLatent(latent, [C, H, W], 3, 0, 'reflect').subarray(0, 4))).toEqual([2, 1, 0, 0]);
    expect(Array.from(translateLatent(latent, [C, H, W], -2, 0, 'reflect').subarray(0, 4))).toEqual([2, 3, 3, 2]);
    // the mirror pattern has period 2W: a shift by 2W gives the latent back
    expect(Array.from(translateLatent(latent, [C, H, W], 2 * W, 0, 'reflect').subarray(0, 4))).toEqual([0, 1, 2, 3]);
  });

  it('interpolates bilinearly for fractional shifts and is the identity for no shift', () => {
    const half = translateLatent(latent, [C, H, W], 0.5, 0, 'edge');
    expect(at(half, 0, 1, 2)).toBeCloseTo((11 + 12) / 2, 6);
    const quarter = translateLatent(latent, [C, H, W], 0.25, 0.5, 'wrap');
    expect(at(quarter, 1, 2, 1)).toBeCloseTo(0.75 * (0.5 * 121 + 0.5 * 111) + 0.25 * (0.5 * 120 + 0.5 * 110), 5);
    expect(translateLatent(latent, [C, H, W], 0, 0, 'edge')).toEqual(latent);
    expect(() => translateLatent(latent, [C, H, W + 1], 1, 0, 'edge')).toThrow(RangeError);
  });
});

describe('parameters of text2video-zero models', () => {
  const m = parseManifest(JSON.parse(readFileSync('tests/fixtures/hub/sd-turbo/manifest.json', 'utf8')));
  const kineto = parseManifest(JSON.parse(readFileSync('public/models/kineto-shapes/manifest.json', 'utf8')));
  const p = defaultParams(m, 'a cat', 1);

  it('accepts motion in range and refuses it out of range or for other models', () => {
    expect(validateParams({ ...p, motion: { dx: -3, dy: 0.5 } }, m)).toEqual([]);
    expect(validateParams({ ...p, motion: { dx: 40, dy: 0 } }, m).map((i) => i.field)).toEqual(['motion']);
    expect(validateParams({ ...p, motion: { dx: NaN, dy: 0 } }, m).map((i) => i.field)).toEqual(['motion']);
    expect(validateParams({ ...defaultParams(kineto, 'a red ball', 1), motion: { dx: 1, dy: 0 } }, kineto)[0]?.message).toMatch(/only to text2video-zero/);
  });

  it('needs at least the steps taken before the warp', () => {
    const m2 = parseManifest({ ...JSON.parse(readFileSync('tests/fixtures/hub/sd-turbo/manifest.json', 'utf8')),
      text2video_zero: { warp_after_steps: 3, renoise_to_step: 1 } });
    expect(validateParams({ ...p, steps: 2 }, m2)[0]).toMatchObject({ field: 'steps', message: expect.stringMatching(/at least 3 steps/) });
    expect(validateParams({ ...p, steps: 3 }, m2)).toEqual([]);
  });
});
