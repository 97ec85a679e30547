/**
 * The Auto backend timing on the repo model with onnxruntime-node (both "backends" are its CPU provider here: the
 * browser's WebGPU and WASM are exercised in tests/browser/speed.test.ts). A backend that fails is reported and
 * skipped; the faster is kept and the other released.
 */
import { describe, expect, it } from 'vitest';
import { loadModelFromDisk } from '../../../src/cli/node-runtime';
import type { LoadedModel } from '../../../src/runtime/load-model';
import { timeDenoiserStep } from '../../../src/runtime/step-timer';
import { loadFastest } from '../../../src/worker/backend-probe';

/** A loaded model whose release is recorded. */
async function tracked(released: string[], name: string): Promise<LoadedModel> {
  const m = await loadModelFromDisk();
  return { ...m, release: async () => { released.push(name); await m.release(); } };
}

describe('loadFastest', () => {
  it('times one step on each backend, keeps the faster and releases the other', async () => {
    const released: string[] = [];
    const notices: string[] = [];
    const { model, selection } = await loadFastest(['webgpu', 'wasm'], { load: (b) => tracked(released, b), onNotice: (m) => notices.push(m) });
    expect(notices).toEqual([]);
    expect(selection.how).toBe('measured');
    expect(selection.timings.map((t) => t.backend)).toEqual(['webgpu', 'wasm']);
    for (const t of selection.timings) expect('msPerStep' in t && t.msPerStep > 0).toBe(true);
    expect(selection.summary).toMatch(/^WebGPU [\d.]+ ms\/step, WASM [\d.]+ ms\/step → (WebGPU|WASM)$/);
    expect(released).toEqual([selection.backend === 'wasm' ? 'webgpu' : 'wasm']);
    await model.release();
  });

  it('reports and skips a backend that fails during the timing', async () => {
    const notices: string[] = [];
    const { model, selection } = await loadFastest(['webgpu', 'wasm'], {
      load: (b) => (b === 'webgpu' ? Promise.reject(new Error('device lost')) : loadModelFromDisk()),
      onNotice: (m) => notices.push(m),
    });
    expect(selection.backend).toBe('wasm');
    expect(selection.summary).toMatch(/^WebGPU failed, WASM [\d.]+ ms\/step → WASM$/);
    expect(notices).toEqual(['WebGPU failed while Kineto timed the backends (device lost); it is skipped.']);
    await model.release();
  });

  it('fails with both reasons when no backend runs the model', async () => {
    const load = () => Promise.reject(new Error('no luck'));
    await expect(loadFastest(['webgpu', 'wasm'], { load, onNotice: () => {} })).rejects.toThrow('The model could not run on any backend (WebGPU: no luck; WASM: no luck).');
  });

  it('times the calls a default step makes', async () => {
    const model = await loadModelFromDisk();
    let calls = 0;
    const counted: LoadedModel = {
      ...model,
      forPreset: async () => {
        const run = await model.forPreset();
        const denoiser = { predict: (...a: Parameters<typeof run.models.denoiser.predict>) => (calls++, run.models.denoiser.predict(...a)) };
        return { ...run, models: { ...run.models, denoiser } };
      },
    };
    expect(await timeDenoiserStep(counted)).toBeGreaterThan(0);
    expect(calls).toBe(1);
    await model.release();
  });
});
