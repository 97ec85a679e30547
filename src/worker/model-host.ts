/// <reference lib="webworker" />
/**
 * The model in use and its onnxruntime sessions: one model at a time, swapped make-before-break, watched for the
 * loss of its WebGPU device and moved to the CPU (WASM) when that happens.
 */
import { AUTOMATION } from '../automation';
import { BACKEND_LABELS, type BackendMemory, type BackendSelection } from '../engine/backend-choice';
import { CancelledError, KinetoError } from '../engine/errors';
import { parseManifest } from '../engine/manifest';
import { swapRoom } from '../engine/swap-memory';
import { pickVariants, type VariantTarget } from '../engine/variants';
import { type LoadedModel, loadModel } from '../runtime/load-model';
import { loadOrt, type OrtWeb } from '../runtime/load-ort';
import { ortBuildFor } from '../platform/ort-builds';
import type { Backend, BackendChoice, BackendInfo, ModelSource, Request, Results } from './protocol';
import { adapterFacts, backendBeforeManifest, loadOnChosenBackend } from './backend-probe';
import { inTurn, type RequestContext } from './request-queue';
import { withInjectedFaults } from './test-faults';
import { openSource } from './weight-storage';

declare const self: DedicatedWorkerGlobalScope;

export const threads = self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
export const ortBuild = ortBuildFor(WebAssembly);
/** onnxruntime-web, imported when the first model loads (not at start: a failed import is then a load error). */
let ortPromise: Promise<OrtWeb> | null = null;
function ortModule(): Promise<OrtWeb> {
  ortPromise ??= loadOrt(ortBuild).then((ort) => {
    ort.env.wasm.numThreads = threads;
    return ort;
  }, (e: unknown) => {
    ortPromise = null;
    throw e;
  });
  return ortPromise;
}

/** onnxruntime's WebGPU device. Typed as a Promise, but onnxruntime-web 1.30 hands back the GPUDevice itself once a session exists. */
export async function gpuDevice(): Promise<GPUDevice> {
  return Promise.resolve((await ortModule()).env.webgpu.device);
}

let adapter: GPUAdapter | null | undefined;
export async function getAdapter(): Promise<GPUAdapter | null> {
  if (adapter === undefined) adapter = navigator.gpu ? await navigator.gpu.requestAdapter().catch(() => null) : null;
  return adapter;
}

export function deviceMemoryGb(): number | null {
  return (navigator as WorkerNavigator & { deviceMemory?: number }).deviceMemory ?? null;
}

/** The model in use, the backend it runs on and where it came from (for reloading it elsewhere). */
export type ModelInUse = { model: LoadedModel; backend: BackendInfo; source: ModelSource };

let loaded: ModelInUse | null = null;
/** Set when the WebGPU device is lost (driver reset, out of memory, tab in background too long). */
let gpuLost: string | null = null;

/** The model in use, if any. */
export function modelInUse(): ModelInUse | null {
  return loaded;
}

/** Runs a model swap in its turn among the queued requests (dropping it when a newer load overtook it). */
type Turn = <T>(task: () => Promise<T>) => Promise<T>;
/** For reloads from inside a queued request (which already holds the turn). */
const heldTurn: Turn = (task) => task();

type LoadOptions = { releaseFirst: boolean; turn: Turn; backendMemory?: Record<string, BackendMemory>; probeSoftwareAdapters?: boolean };

/** The newest `load-model` request's id. */
let newestLoad = 0;

/** Handles a `load-model` request: swaps in its turn unless a newer load has been asked for meanwhile. */
export function loadRequested(request: Extract<Request, { type: 'load-model' }>, ctx: RequestContext): Promise<Results['load-model']> {
  newestLoad = ctx.id;
  // A load overtaken by a newer one (still downloading or waiting for its turn) gives way instead of swapping in.
  const turn: Turn = (task) => inTurn(() => (ctx.id === newestLoad ? task() : Promise.reject(new CancelledError())));
  return load(ctx, request.source, request.backend, {
    releaseFirst: request.releaseFirst ?? false, turn, backendMemory: request.backendMemory, probeSoftwareAdapters: request.probeSoftwareAdapters,
  });
}

/**
 * Make before break. The new model's files are downloaded and checked first — at once, beside a running generation —
 * then, in its turn, its sessions are created and proven to run while the model in use stays loaded; only then is the
 * old one released. Any failure (or a cancel) leaves the old model in place. When the two do not fit in memory
 * together, the load stops with `release-needed` unless `releaseFirst`.
 */
async function load(ctx: RequestContext, source: ModelSource, choice: BackendChoice, opts: LoadOptions): Promise<Results['load-model']> {
  const { emit, signal } = ctx;
  const t0 = performance.now();
  const a = choice === 'wasm' ? null : await getAdapter();
  if (choice === 'webgpu' && !a) throw new KinetoError('webgpu-unavailable', 'This browser has no WebGPU adapter.');
  const request = { choice, adapter: adapterFacts(a), probeSoftwareAdapters: opts.probeSoftwareAdapters };
  // Known before any download, so that only the weight variants for this backend are fetched.
  let backend: Backend = backendBeforeManifest(request);
  const targetFor = (b: Backend): VariantTarget => ({ backend: b, shaderF16: b === 'webgpu' && (a?.features.has('shader-f16') ?? false) });
  const variants = targetFor(backend);
  const files = await openSource(ctx, source, variants);
  return opts.turn(async () => {
    if (signal.aborted) throw new CancelledError();
    if (loaded) {
      const next = pickVariants(parseManifest(await files.readJson('manifest.json')), variants).manifest;
      const room = swapRoom(loaded.model.manifest, next, backend, deviceMemoryGb());
      if (!room.fits) {
        if (!opts.releaseFirst) throw new KinetoError('release-needed', room.message);
        await unload();
      }
    }
    if (choice === 'auto' && !a) emit({ type: 'notice', message: 'WebGPU is not available in this browser, so Kineto runs on the CPU (WASM).' });
    let model: LoadedModel;
    let selection: BackendSelection;
    try {
      ({ model, selection } = await loadOnChosenBackend({
        ...request,
        prepared: backend,
        files,
        memory: opts.backendMemory,
        load: async (b, timing) => loadModel(AUTOMATION ? withInjectedFaults(await ortModule()) : await ortModule(), files, b, timing ? () => {} : (p) => emit({ type: 'load-progress', ...p }), targetFor(b)),
        onBackend: (b) => emit({ type: 'load-progress', stage: 'speed-test', file: BACKEND_LABELS[b], loadedBytes: 0, totalBytes: 0 }),
        onNotice: (message) => emit({ type: 'notice', message }),
      }));
      backend = selection.backend;
      await proveSessionsRun(model);
    } catch (e) {
      if (backend !== 'webgpu' || (e instanceof KinetoError && e.code !== 'model-load-failed')) throw e;
      emit({ type: 'notice', message: `WebGPU could not load the model (${e instanceof Error ? e.message : String(e)}); switching to CPU (WASM).` });
      return load(ctx, source, 'wasm', { ...opts, turn: heldTurn });
    }
    if (signal.aborted) {
      await model.release();
      throw new CancelledError();
    }
    const info: BackendInfo = {
      backend,
      threads: backend === 'wasm' ? threads : 0,
      adapter: backend === 'webgpu' ? a?.info.description || a?.info.vendor || 'WebGPU adapter' : null,
      shaderF16: targetFor(backend).shaderF16,
      variants: model.picks,
      selection,
    };
    const old = loaded;
    loaded = { model, backend: info, source };
    await old?.model.release();
    if (backend === 'webgpu') watchDevice();
    emit({ type: 'backend', info });
    return { manifest: model.manifest, backend: info, loadSeconds: (performance.now() - t0) / 1000 };
  });
}

/**
 * One text-encoder call on the empty prompt: proves the sessions run on this backend before the model in use is
 * released (the denoiser and decoder are left out: on large models they are the expensive part).
 */
async function proveSessionsRun(model: LoadedModel): Promise<void> {
  try {
    (await model.models.textEncoder.encode([model.models.tokenizer.encode('').ids])).dispose();
  } catch (e) {
    await model.release();
    throw e;
  }
}

export async function unload(): Promise<void> {
  const old = loaded;
  loaded = null;
  await old?.model.release();
}

/** Marks the GPU lost when onnxruntime's device goes (driver reset, out of memory, or a test's `lose-gpu-device`). */
function watchDevice(): void {
  gpuLost = null;
  void gpuDevice().then((device) => device.lost).then((lost) => {
    if (lost.reason !== 'destroyed' || loaded?.backend.backend === 'webgpu') gpuLost = lost.message || 'device lost';
  }).catch(() => {});
}

/** The model in use, for a request that runs it; a refusal when none is loaded. */
export function requireModel(): ModelInUse {
  if (!loaded) throw new KinetoError('model-load-failed', 'No model is loaded yet.');
  return loaded;
}

/** The model in use, ready to run: moved to the CPU first if its WebGPU device was lost since it loaded. */
export async function readyModel(ctx: RequestContext): Promise<ModelInUse> {
  const current = requireModel();
  if (gpuLost !== null && current.backend.backend === 'webgpu') {
    ctx.emit({ type: 'notice', message: `The GPU was lost (${gpuLost}); Kineto switched to the CPU (WASM).` });
    await load(ctx, current.source, 'wasm', { releaseFirst: true, turn: heldTurn });
  }
  return requireModel();
}

/**
 * After a WebGPU failure mid-run (device lost, out of memory): the model in use reloaded on WASM, with a notice, so
 * that the run can start again. False when the model was not on WebGPU (or the run was cancelled): nothing to retry.
 */
export async function moveToCpuAfter(ctx: RequestContext, e: unknown): Promise<boolean> {
  if (e instanceof CancelledError || loaded?.backend.backend !== 'webgpu') return false;
  ctx.emit({ type: 'notice', message: `WebGPU failed during generation (${e instanceof Error ? e.message : String(e)}); retrying on the CPU (WASM).` });
  await load(ctx, loaded.source, 'wasm', { releaseFirst: true, turn: heldTurn });
  return true;
}
