/**
 * The worker side of Auto: loads the model on each candidate backend, times one step on each
 * (runtime/step-timer.ts), keeps the faster and releases the other. A backend that fails to load or run is reported
 * and skipped. The rules for when to time at all are in engine/backend-choice.ts.
 */
import {
  type AdapterFacts, type Backend, type BackendChoice, BACKEND_LABELS, type BackendMemory, type BackendSelection, type BackendTiming,
  canTimeBoth, pickMeasured, planBackend,
} from '../engine/backend-choice';
import { KinetoError } from '../engine/errors';
import { parseManifest } from '../engine/manifest';
import type { LoadedModel } from '../runtime/load-model';
import { timeDenoiserStep } from '../runtime/step-timer';
import type { FileSource } from '../weights/file-source';

export type ProbeHooks = {
  /** The model loaded on `backend` (its sessions created). */
  load(backend: Backend): Promise<LoadedModel>;
  /** Before each backend is loaded and timed. */
  onBackend?(backend: Backend): void;
  /** A sentence for the person (a backend that failed). */
  onNotice(message: string): void;
};

/** The model on the fastest of `candidates`, and why. Throws when none of them could load and run it. */
export async function loadFastest(candidates: readonly Backend[], hooks: ProbeHooks): Promise<{ model: LoadedModel; selection: BackendSelection }> {
  const timings: BackendTiming[] = [];
  const models = new Map<Backend, LoadedModel>();
  for (const backend of candidates) {
    hooks.onBackend?.(backend);
    let model: LoadedModel | null = null;
    try {
      model = await hooks.load(backend);
      timings.push({ backend, msPerStep: await timeDenoiserStep(model) });
      models.set(backend, model);
    } catch (e) {
      await model?.release().catch(() => {});
      const error = e instanceof Error ? e.message : String(e);
      timings.push({ backend, error });
      hooks.onNotice(`${BACKEND_LABELS[backend]} failed while Kineto timed the backends (${error}); it is skipped.`);
    }
  }
  const selection = pickMeasured(timings);
  const model = models.get(selection.backend);
  for (const [backend, m] of models) if (backend !== selection.backend) await m.release();
  if (!model) {
    const why = timings.map((t) => `${BACKEND_LABELS[t.backend]}: ${'error' in t ? t.error : 'not timed'}`).join('; ');
    throw new KinetoError('model-load-failed', `The model could not run on any backend (${why}).`);
  }
  return { model, selection };
}

/** A WebGPU adapter's facts for the rules (null without one). */
export function adapterFacts(a: GPUAdapter | null): AdapterFacts | null {
  if (!a) return null;
  const info = a.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  return { vendor: info.vendor, architecture: info.architecture, description: info.description, isFallbackAdapter: info.isFallbackAdapter ?? false };
}

/** What a load knows before reading the manifest: the Backend control and the adapter. */
export type BackendRequest = { choice: BackendChoice; adapter: AdapterFacts | null; probeSoftwareAdapters?: boolean };

/**
 * The backend whose weight variants are fetched before the manifest is read: the rules without this model's memory
 * or a timing (a hardware adapter → WebGPU; a software one, or none → WASM).
 */
export function backendBeforeManifest(r: BackendRequest): Backend {
  const plan = planBackend({ ...r, remembered: null, timeBoth: false });
  return plan.kind === 'use' ? plan.selection.backend : 'webgpu';
}

/**
 * Loads the model from `files` where the rules (with this browser's memory for its id) say, timing both backends
 * when they ask for it. `prepared` is `backendBeforeManifest`'s answer: a model with weight variants stays there, as
 * only that backend's files were fetched.
 */
export async function loadOnChosenBackend(r: BackendRequest & {
  prepared: Backend;
  files: FileSource;
  memory?: Record<string, BackendMemory>;
  /** Loads the model on `backend`; `timing`: for the speed test (no load progress then). */
  load(backend: Backend, timing: boolean): Promise<LoadedModel>;
  onBackend(backend: Backend): void;
  onNotice(message: string): void;
}): Promise<{ model: LoadedModel; selection: BackendSelection }> {
  const manifest = parseManifest(await r.files.readJson('manifest.json'));
  const plan = planBackend({ ...r, remembered: r.memory?.[manifest.id] ?? null, timeBoth: canTimeBoth(manifest) });
  if (plan.kind === 'probe') return loadFastest(plan.candidates, { load: (b) => r.load(b, true), onBackend: r.onBackend, onNotice: r.onNotice });
  let selection = plan.selection;
  if (manifest.variants && selection.backend !== r.prepared)
    selection = { how: 'rule', backend: r.prepared, summary: `${BACKEND_LABELS[r.prepared]}: this model's weights were fetched for it`, timings: [] };
  return { model: await r.load(selection.backend, false), selection };
}
