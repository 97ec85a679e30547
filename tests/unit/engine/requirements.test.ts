import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pickVariants } from '../../../src/engine/variants';
import { parseManifest } from '../../../src/engine/manifest';
import {
  assessModel, checkRequirements, estimateMemoryGb, isPermissiveLicense, MEMORY_PER_WEIGHT_BYTE, weightBytes,
} from '../../../src/engine/requirements';
import { bigGpu, noGpu, swiftShader } from '../../fixtures/devices';

const sdTurbo = { webgpu: true, shaderF16: true, memoryGb: 8 };
const kinds = (issues: { requirement: string }[]) => issues.map((i) => i.requirement);
const read = (p: string) => JSON.parse(readFileSync(p, 'utf8'));
const hubSd = parseManifest(read('public/models/hub/sd-turbo.json'));
const hubMs = parseManifest(read('public/models/hub/modelscope-t2v.json'));
const shapes = parseManifest(read('public/models/kineto-shapes/manifest.json'));

describe('checkRequirements', () => {
  it('passes a capable device and models without requirements', () => {
    expect(checkRequirements(sdTurbo, { webgpu: true, shaderF16: true, memoryGb: 8 })).toEqual([]);
    expect(checkRequirements(undefined, { webgpu: false, shaderF16: false })).toEqual([]);
  });

  it('names each unmet requirement with a sentence', () => {
    const none = checkRequirements(sdTurbo, { webgpu: false, shaderF16: false, memoryGb: 4 });
    expect(kinds(none)).toEqual(['webgpu', 'memory']); // no separate fp16 complaint without WebGPU at all
    expect(none[0]!.message).toMatch(/needs WebGPU/);
    expect(none[1]!.message).toMatch(/about 8 GB.*reports 4 GB/);
    expect(kinds(checkRequirements(sdTurbo, { webgpu: true, shaderF16: false, memoryGb: 8 }))).toEqual(['shader-f16']);
  });

  it('treats the browsers’ 8 GB cap of deviceMemory as enough, and unknown memory as no objection', () => {
    expect(checkRequirements({ ...sdTurbo, memoryGb: 12 }, { webgpu: true, shaderF16: true, memoryGb: 8 })).toEqual([]);
    expect(checkRequirements(sdTurbo, { webgpu: true, shaderF16: true, memoryGb: null })).toEqual([]);
    expect(kinds(checkRequirements({ ...sdTurbo, memoryGb: 12 }, { webgpu: true, shaderF16: true, memoryGb: 4 }))).toEqual(['memory']);
  });

  it('compares the largest buffer with the smaller of the adapter limits', () => {
    const req = { ...sdTurbo, largestBufferMb: 1500 };
    expect(checkRequirements(req, bigGpu)).toEqual([]);
    const small = checkRequirements(req, { ...bigGpu, maxStorageBufferBindingBytes: 2 ** 30 });
    expect(kinds(small)).toEqual(['buffer']);
    expect(small[0]!.message).toBe('This model needs GPU buffers of 1.5 GB; this WebGPU adapter allows at most 1 GB in one buffer.');
    expect(checkRequirements(req, { ...bigGpu, maxBufferBytes: null, maxStorageBufferBindingBytes: null })).toEqual([]);
  });

  it('says so when WebGPU is there but Backend is set to CPU (WASM)', () => {
    const issues = checkRequirements(sdTurbo, { ...bigGpu, wasmChosen: true });
    expect(kinds(issues)).toEqual(['webgpu']);
    expect(issues[0]!.message).toContain('Backend is set to CPU (WASM)');
  });
});

describe('assessModel', () => {
  it('no WebGPU: SD-Turbo is refused with the plain sentence', () => {
    const v = assessModel(hubSd, noGpu);
    expect(v.runs).toBe(false);
    expect(kinds(v.issues)).toEqual(['webgpu']);
    expect(v.label).toBe('needs WebGPU');
    expect(v.sentence).toBe(
      'This model needs WebGPU with shader-f16 and about 8 GB of GPU memory; this browser has no WebGPU, and does not report its memory '
      + '(only Chromium-based browsers do; WebGPU never reports GPU memory).',
    );
  });

  it('WebGPU without shader-f16 (SwiftShader): SD-Turbo and ModelScope need shader-f16', () => {
    for (const m of [hubSd, hubMs]) {
      const v = assessModel(m, swiftShader);
      expect(v.runs).toBe(false);
      expect(v.label).toBe('needs shader-f16');
      expect(v.sentence).toBe(
        'This model needs WebGPU with shader-f16 and about 8 GB of GPU memory; this browser has WebGPU (google swiftshader) without shader-f16, '
        + 'GPU buffers up to 2 GB, and reports 8 GB of memory.',
      );
    }
  });

  it('enough memory: a capable GPU runs SD-Turbo; too little reported memory refuses it', () => {
    const ok = assessModel(hubSd, bigGpu);
    expect(ok).toMatchObject({ runs: true, backend: 'webgpu', issues: [], label: 'runs here (WebGPU)', memoryGb: 8, memoryEstimated: false, downloadApproximate: true });
    expect(ok.sentence).toMatch(/^It can run here on WebGPU\. This model needs WebGPU with shader-f16 and about 8 GB of GPU memory; this browser has WebGPU \(NVIDIA\) with shader-f16/);
    expect(ok.downloadBytes).toBe(681_000_000 + 1_730_000_000 + 99_000_000);

    const low = assessModel(hubSd, { ...bigGpu, memoryGb: 4 });
    expect(low.runs).toBe(false);
    expect(kinds(low.issues)).toEqual(['memory']);
    expect(low.label).toBe('needs more memory');
    expect(low.sentence).toContain('and reports 4 GB of memory.');
  });

  it('a small model without requirements runs on WASM, its memory estimated from its files', () => {
    const v = assessModel(shapes, noGpu);
    expect(v).toMatchObject({ runs: true, backend: 'wasm', label: 'runs here (CPU)', memoryEstimated: true });
    // On the CPU the Fast denoisers come as int8: download and memory estimate are those of the picked files.
    expect(v.picks).toEqual([
      expect.objectContaining({ component: 'denoiser', preset: 'fast', variant: 'int8', fits: true }),
      expect.objectContaining({ component: 'denoiser', preset: 'fast', knownFrames: true, variant: 'int8', fits: true }),
    ]);
    const picked = pickVariants(shapes, { backend: 'wasm', shaderF16: false }).manifest;
    expect(v.downloadBytes).toBe(weightBytes(picked));
    expect(v.downloadBytes).toBeLessThan(weightBytes(shapes));
    expect(v.memoryGb).toBeCloseTo((weightBytes(picked) * MEMORY_PER_WEIGHT_BYTE) / 1024 ** 3, 9);
    expect(v.sentence).toMatch(/^It can run here on the CPU \(WASM\) with Fast denoiser and Fast denoiser for known frames: int8 \(quantized weights suit the CPU \(WASM\)\)\. This model needs about \d+ MB of memory; this browser has no WebGPU/);
    // The same model on SwiftShader runs on WebGPU; with Backend set to CPU (WASM), on WASM.
    expect(assessModel(shapes, swiftShader)).toMatchObject({ runs: true, backend: 'webgpu' });
    expect(assessModel(shapes, { ...swiftShader, wasmChosen: true })).toMatchObject({ runs: true, backend: 'wasm' });
  });

  it('refuses a model too big for the 4 GB WASM heap when there is no WebGPU', () => {
    const big = structuredClone(shapes);
    big.components.denoiser = { ...big.components.denoiser, bytes: 3_000_000_000 };
    expect(estimateMemoryGb(big).gb).toBeGreaterThan(4);
    const v = assessModel(big, noGpu);
    expect(v.runs).toBe(false);
    expect(kinds(v.issues)).toEqual(['wasm-memory']);
    expect(v.sentence).toContain('On the CPU (WASM) a model must fit in 4 GB of WebAssembly memory');
    expect(assessModel(big, bigGpu).runs).toBe(true);
  });
});

describe('licences', () => {
  it('knows permissive SPDX ids; anything else must be accepted', () => {
    expect(isPermissiveLicense('CC0-1.0')).toBe(true);
    expect(isPermissiveLicense('apache-2.0')).toBe(true);
    expect(isPermissiveLicense('CC-BY-NC-4.0')).toBe(false);
    expect(isPermissiveLicense(hubSd.license)).toBe(false);
  });
});
