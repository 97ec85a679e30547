/** Make before break needs room for two models at once: when there is none, the person is asked first. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/engine/manifest';
import { swapRoom } from '../../../src/engine/swap-memory';
import type { ModelManifest } from '../../../src/engine/types';

const ROOT = path.resolve(__dirname, '../../..');
const read = (rel: string) => parseManifest(JSON.parse(readFileSync(path.join(ROOT, rel), 'utf8')));
const shapes = read('public/models/kineto-shapes/manifest.json');
const sdTurbo = read('public/models/hub/sd-turbo.json');
const modelscope = read('public/models/hub/modelscope-t2v.json');
const claiming = (gb: number): ModelManifest => ({ ...shapes, name: 'Big', requirements: { webgpu: false, shaderF16: false, memoryGb: gb } });

describe('swapRoom', () => {
  it('two small models fit anywhere', () => {
    expect(swapRoom(shapes, shapes, 'wasm', 1)).toEqual({ fits: true });
    expect(swapRoom(shapes, claiming(7.9), 'webgpu', 8).fits).toBe(true);
  });

  it('on the CPU both share the 4 GB WASM heap', () => {
    expect(swapRoom(shapes, claiming(3.9), 'wasm', 8).fits).toBe(true);
    const room = swapRoom(shapes, claiming(3.99), 'wasm', 8);
    expect(room).toMatchObject({ fits: false, limitGb: 4 });
    if (!room.fits) expect(room.message).toMatch(/^Kineto-Shapes and Big together need about 4 GB, more than the CPU's \(WASM\) 4 GB\. Loading Big first releases Kineto-Shapes/);
  });

  it("on WebGPU the device's memory hint bounds both (capped at 8 GB; unknown counts as the cap)", () => {
    expect(swapRoom(sdTurbo, modelscope, 'webgpu', 8).fits).toBe(false);
    expect(swapRoom(sdTurbo, modelscope, 'webgpu', null).fits).toBe(false);
    expect(swapRoom(shapes, claiming(5), 'webgpu', 8).fits).toBe(true);
    expect(swapRoom(shapes, claiming(5), 'webgpu', 4).fits).toBe(false);
    expect(swapRoom(shapes, claiming(5), 'webgpu', 32).fits).toBe(true);
  });
});
