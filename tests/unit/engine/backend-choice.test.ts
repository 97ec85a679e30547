import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/engine/manifest';
import { assessModel } from '../../../src/engine/requirements';
import {
  type AdapterFacts, type BackendFacts, canTimeBoth, describeTimings, memoryAfterLoad, pickMeasured, planBackend, softwareAdapter,
} from '../../../src/engine/backend-choice';

/** What headless Chromium reports with --enable-unsafe-webgpu. */
const swiftShader: AdapterFacts = { vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: true };
const nvidia: AdapterFacts = { vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3060', isFallbackAdapter: false };
const auto = (over: Partial<BackendFacts> = {}): BackendFacts => ({ choice: 'auto', adapter: nvidia, remembered: null, timeBoth: true, ...over });

describe('software adapters', () => {
  it('recognises fallback and software rasterisers by flag or by name', () => {
    expect(softwareAdapter(swiftShader)).toBe('SwiftShader');
    expect(softwareAdapter({ ...swiftShader, isFallbackAdapter: false })).toBe('SwiftShader');
    expect(softwareAdapter({ vendor: 'mesa', architecture: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)', isFallbackAdapter: false })).toBe('Llvmpipe');
    expect(softwareAdapter({ vendor: 'mesa', architecture: '', description: 'lavapipe', isFallbackAdapter: false })).toBe('Lavapipe');
    expect(softwareAdapter({ vendor: 'microsoft', architecture: '', description: 'Microsoft Basic Render Driver', isFallbackAdapter: false })).toBe('Microsoft Basic Render');
    expect(softwareAdapter({ vendor: 'microsoft', architecture: 'warp', description: '', isFallbackAdapter: false })).toBe('WARP');
    expect(softwareAdapter({ vendor: 'unknown', architecture: '', description: '', isFallbackAdapter: true })).toBe('a fallback adapter');
    expect(softwareAdapter(nvidia)).toBeNull();
    expect(softwareAdapter({ vendor: 'apple', architecture: 'metal-3', description: 'Apple M2', isFallbackAdapter: false })).toBeNull();
  });
});

describe('planBackend', () => {
  it('never picks a software adapter automatically', () => {
    const plan = planBackend(auto({ adapter: swiftShader }));
    expect(plan).toMatchObject({ kind: 'use', selection: { how: 'rule', backend: 'wasm' } });
    expect(plan.kind === 'use' && plan.selection.summary).toContain('SwiftShader');
    // …not even when a measurement was remembered for it.
    const remembered = { kind: 'measured' as const, backend: 'webgpu' as const, timings: [{ backend: 'webgpu' as const, msPerStep: 1 }] };
    expect(planBackend(auto({ adapter: swiftShader, remembered }))).toMatchObject({ kind: 'use', selection: { backend: 'wasm' } });
  });

  it('lets a hand-picked backend win, software adapter or not', () => {
    expect(planBackend(auto({ choice: 'webgpu', adapter: swiftShader }))).toMatchObject({ kind: 'use', selection: { how: 'manual', backend: 'webgpu' } });
    expect(planBackend(auto({ choice: 'wasm' }))).toMatchObject({ kind: 'use', selection: { how: 'manual', backend: 'wasm' } });
  });

  it('skips the timing for a model the person chose a backend for', () => {
    expect(planBackend(auto({ remembered: { kind: 'manual', backend: 'wasm' } }))).toMatchObject({ kind: 'use', selection: { how: 'remembered-manual', backend: 'wasm' } });
    // A remembered WebGPU choice cannot be honoured without an adapter.
    expect(planBackend(auto({ adapter: null, remembered: { kind: 'manual', backend: 'webgpu' } }))).toMatchObject({ kind: 'use', selection: { how: 'rule', backend: 'wasm' } });
  });

  it('times both backends once, then reuses the measurement', () => {
    expect(planBackend(auto())).toEqual({ kind: 'probe', candidates: ['webgpu', 'wasm'] });
    const timings = [{ backend: 'webgpu' as const, msPerStep: 41 }, { backend: 'wasm' as const, msPerStep: 12 }];
    expect(planBackend(auto({ remembered: { kind: 'measured', backend: 'wasm', timings } }))).toEqual({
      kind: 'use', selection: { how: 'remembered-measured', backend: 'wasm', summary: 'WebGPU 41 ms/step, WASM 12 ms/step → WASM', timings },
    });
    // A software adapter is timed only when automation asks for it.
    expect(planBackend(auto({ adapter: swiftShader, probeSoftwareAdapters: true }))).toEqual({ kind: 'probe', candidates: ['webgpu', 'wasm'] });
  });

  it('uses WASM without WebGPU, and a hardware WebGPU adapter for a model too large to time on both', () => {
    expect(planBackend(auto({ adapter: null }))).toMatchObject({ kind: 'use', selection: { backend: 'wasm', how: 'rule' } });
    expect(planBackend(auto({ timeBoth: false }))).toMatchObject({ kind: 'use', selection: { backend: 'webgpu', how: 'rule' } });
  });
});

describe('canTimeBoth', () => {
  const shapes = parseManifest(JSON.parse(readFileSync('public/models/kineto-shapes/manifest.json', 'utf8')));
  it('times the embedded model on both backends, not a large or WebGPU-only one', () => {
    expect(canTimeBoth(shapes)).toBe(true);
    expect(canTimeBoth({ ...shapes, requirements: { webgpu: true, shaderF16: false } })).toBe(false);
    expect(canTimeBoth({ ...shapes, components: { ...shapes.components, denoiser: { ...shapes.components.denoiser, bytes: 200e6 } } })).toBe(false);
    expect(canTimeBoth({ ...shapes, variants: { denoiser: { fp32: shapes.components.denoiser } } })).toBe(false);
  });
});

describe('the download gate agrees with Auto', () => {
  const shapes = parseManifest(JSON.parse(readFileSync('public/models/kineto-shapes/manifest.json', 'utf8')));
  const device = { webgpu: true, shaderF16: false, adapterName: 'google swiftshader', softwareAdapter: true };
  it('says the CPU (WASM) on a software adapter, WebGPU when chosen by hand', () => {
    expect(assessModel(shapes, device)).toMatchObject({ runs: true, backend: 'wasm', label: 'runs here (CPU)' });
    expect(assessModel(shapes, { ...device, webgpuChosen: true })).toMatchObject({ runs: true, backend: 'webgpu' });
    expect(assessModel(shapes, { ...device, softwareAdapter: false })).toMatchObject({ backend: 'webgpu' });
  });
});

describe('pickMeasured', () => {
  it('keeps the faster backend and says so with the numbers', () => {
    const s = pickMeasured([{ backend: 'webgpu', msPerStep: 41.2 }, { backend: 'wasm', msPerStep: 12.4 }]);
    expect(s).toMatchObject({ how: 'measured', backend: 'wasm', summary: 'WebGPU 41 ms/step, WASM 12 ms/step → WASM' });
    expect(pickMeasured([{ backend: 'webgpu', msPerStep: 3.25 }, { backend: 'wasm', msPerStep: 12 }]).summary).toBe('WebGPU 3.3 ms/step, WASM 12 ms/step → WebGPU');
  });

  it('skips a backend that failed during the timing', () => {
    const s = pickMeasured([{ backend: 'webgpu', error: 'device lost' }, { backend: 'wasm', msPerStep: 30 }]);
    expect(s).toMatchObject({ backend: 'wasm', summary: 'WebGPU failed, WASM 30 ms/step → WASM' });
    expect(pickMeasured([{ backend: 'wasm', error: 'x' }, { backend: 'webgpu', msPerStep: 5 }]).backend).toBe('webgpu');
  });

  it('prefers WASM on a tie and when nothing could be measured', () => {
    expect(pickMeasured([{ backend: 'webgpu', msPerStep: 10 }, { backend: 'wasm', msPerStep: 10 }]).backend).toBe('wasm');
    expect(pickMeasured([{ backend: 'webgpu', error: 'a' }, { backend: 'wasm', error: 'b' }]).backend).toBe('wasm');
  });
});

describe('memoryAfterLoad', () => {
  it('remembers hand-picked backends and successful measurements only', () => {
    expect(memoryAfterLoad({ how: 'manual', backend: 'wasm', summary: '', timings: [] })).toEqual({ kind: 'manual', backend: 'wasm' });
    const timings = [{ backend: 'webgpu' as const, msPerStep: 9 }];
    expect(memoryAfterLoad({ how: 'measured', backend: 'webgpu', summary: '', timings })).toEqual({ kind: 'measured', backend: 'webgpu', timings });
    expect(memoryAfterLoad({ how: 'measured', backend: 'wasm', summary: '', timings: [{ backend: 'webgpu', error: 'x' }] })).toBeNull();
    expect(memoryAfterLoad({ how: 'rule', backend: 'wasm', summary: '', timings: [] })).toBeNull();
  });

  it('describes timings in the Engine panel format', () => {
    expect(describeTimings([{ backend: 'webgpu', msPerStep: 41 }, { backend: 'wasm', msPerStep: 12 }], 'wasm')).toBe('WebGPU 41 ms/step, WASM 12 ms/step → WASM');
  });
});
