/**
 * Drives the real engine worker (src/worker/worker.ts) from a bare page: load a model folder by manifest URL on WASM,
 * generate a clip, hand back what came out. Used by tests/browser/hub-families.test.ts.
 */
import { defaultParams } from '../../../src/engine/params';
import { manifestDigest } from '../../../src/provenance/manifest-digest';
import type { GenerateParams } from '../../../src/engine/types';
import { KinetoClient } from '../../../src/worker/client';
import { isCancelled } from '../../../src/worker/protocol';

export type HubRun = { manifestUrl: string; prompt: string; seed: number; params: Partial<GenerateParams> };
export type HubRunResult =
  | {
      ok: true;
      pipeline: string;
      backend: string;
      stages: string[];
      steps: number;
      previewFrames: number;
      frameCount: number;
      width: number;
      height: number;
      mimeType: string;
      video: number[];
    }
  | { ok: false; error: string };

declare global {
  interface Window {
    kinetoHubRun?: (run: HubRun) => Promise<HubRunResult>;
  }
}

window.kinetoHubRun = async (run) => {
  const worker = new Worker(new URL('../../../src/worker/worker.ts', import.meta.url), { type: 'module' });
  const client = new KinetoClient(worker);
  try {
    const loaded = await client.send({ type: 'load-model', source: { kind: 'embedded', manifestUrl: run.manifestUrl }, backend: 'wasm' });
    // Nothing here sends `cancel`: a cancelled reply would be a bug of the worker's.
    if (isCancelled(loaded)) throw new Error('The load was cancelled.');
    const params = { ...defaultParams(loaded.manifest, run.prompt, run.seed), ...run.params };
    const stages: string[] = [];
    let steps = 0;
    let previewFrames = 0;
    const manifestSha256 = await manifestDigest(run.manifestUrl, loaded.manifest);
    const out = await client.send({ type: 'generate', params, container: 'mp4', preview: 'decode', manifestSha256, sound: false }, (e) => {
      if (e.type === 'stage') stages.push(e.stage);
      if (e.type === 'step') {
        steps++;
        previewFrames = e.preview.frames.length;
      }
    });
    if (isCancelled(out)) throw new Error('The run was cancelled.');
    return {
      ok: true,
      pipeline: loaded.manifest.pipeline,
      backend: loaded.backend.backend,
      stages,
      steps,
      previewFrames,
      frameCount: out.facts.frameCount,
      width: out.facts.width,
      height: out.facts.height,
      mimeType: out.facts.mimeType,
      video: Array.from(new Uint8Array(await out.video.arrayBuffer())),
    };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  } finally {
    client.terminate();
  }
};
