/**
 * Runs Kineto's engine on onnxruntime-web (WASM) in the page on a model folder served over HTTP, with the manifest
 * the test hands over, and returns the raw RGBA frames (not a video: the comparison with diffusers is per value).
 * Used by tests/browser/hub-real.test.ts.
 */
import * as ort from 'onnxruntime-web';
import { defaultParams } from '../../../src/engine/params';
import { runPipeline } from '../../../src/engine/pipelines';
import type { GenerateParams } from '../../../src/engine/types';
import { httpSource, loadModel } from '../../../src/runtime/load-model';
import type { OrtModule } from '../../../src/runtime/sessions';

export type HubRealRun = { baseUrl: string; manifest: unknown; params: Partial<GenerateParams> };
export type HubRealResult = { ok: true; frames: number[][] } | { ok: false; error: string };

declare global {
  interface Window {
    kinetoHubReal?: (run: HubRealRun) => Promise<HubRealResult>;
  }
}

ort.env.wasm.numThreads = 1;

window.kinetoHubReal = async (run) => {
  const http = httpSource(run.baseUrl);
  const source = { ...http, readJson: (p: string) => (p === 'manifest.json' ? Promise.resolve(run.manifest) : http.readJson(p)) };
  try {
    const model = await loadModel(ort as unknown as OrtModule, source, 'wasm');
    try {
      const r = await runPipeline(model.manifest, model.models, { ...defaultParams(model.manifest), ...run.params });
      return { ok: true, frames: r.frames.rgba.map((f) => Array.from(f)) };
    } finally {
      await model.release();
    }
  } catch (e) {
    return { ok: false, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) };
  }
};
