/// <reference lib="webworker" />
/**
 * The engine's home: owns onnxruntime sessions and runs the pipeline and the video encoder off the main
 * thread. One model is loaded at a time; requests are handled in arrival order except `cancel`, which flags
 * the running request so the pipeline stops before its next model call.
 */
import * as ort from 'onnxruntime-web/webgpu';
import { CancelledError, KinetoError, toErrorInfo } from '../engine/errors';
import { validateParams } from '../engine/params';
import type { VariantTarget } from '../engine/variants';
import { runPipeline } from '../engine/run-pipeline';
import { type FileSource, httpSource, type LoadedModel, loadModel } from '../runtime/load-model';
import { listEncodableCodecs } from '../video/codec';
import { encodeVideo, videoFileName } from '../video/encode';
import { cachedHttpSource } from '../weights/cached-source';
import { listCachedModels, storageInfo } from '../weights/catalog';
import { folderSource } from '../weights/folder-source';
import { openWeightStore } from '../weights/open-store';
import type { Estimate } from '../weights/quota';
import type { StoreKind, WeightStore } from '../weights/store';
import {
  type Backend, type BackendChoice, type BackendInfo, type Capabilities, type Envelope, IMMEDIATE_REQUESTS, type ModelSource,
  type Replies, type Reply, type Request, type WorkerEvent,
} from './protocol';

declare const self: DedicatedWorkerGlobalScope;

const threads = self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
ort.env.wasm.numThreads = threads;

let adapter: GPUAdapter | null | undefined;
async function getAdapter(): Promise<GPUAdapter | null> {
  if (adapter === undefined) adapter = navigator.gpu ? await navigator.gpu.requestAdapter().catch(() => null) : null;
  return adapter;
}

let loaded: { model: LoadedModel; backend: BackendInfo; source: ModelSource } | null = null;
/** Set when the WebGPU device is lost (driver reset, out of memory, tab in background too long). */
let gpuLost: string | null = null;
/** One controller per in-flight request: `cancel` aborts it; the pipeline polls it, the encoder listens. */
const controllers = new Map<number, AbortController>();

// The weight store, opened on first use. `storage-settings` can force a kind or pretend a quota (automation).
let preferredStore: StoreKind | undefined;
let storePromise: Promise<WeightStore> | null = null;
let quotaOverride: number | null = null;
function weightStore(): Promise<WeightStore> {
  storePromise ??= openWeightStore(preferredStore).catch((e: unknown) => {
    storePromise = null;
    throw e;
  });
  return storePromise;
}
const estimate: Estimate = async () => {
  const e = await navigator.storage.estimate();
  return quotaOverride === null ? e : { usage: e.usage, quota: quotaOverride };
};

/** The `url` download in progress, so that deleting its model stops it first. */
let activeDownload: { manifestUrl: string; requestId: number; settled: Promise<unknown> } | null = null;

/**
 * onnxruntime's WASM runs settle through microtasks only, so without this a whole denoising loop would run
 * before the worker looks at its message queue — and a `cancel` would wait for the end.
 */
function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(null);
  });
}

function post(reply: Reply): void {
  self.postMessage(reply);
}

async function probe(): Promise<Capabilities> {
  const a = await getAdapter();
  const info = a?.info;
  return {
    webgpu: a !== null,
    adapter: info ? { vendor: info.vendor, architecture: info.architecture, description: info.description, isFallbackAdapter: (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter ?? false } : null,
    shaderF16: a?.features.has('shader-f16') ?? false,
    limits: a ? { maxBufferSize: a.limits.maxBufferSize, maxStorageBufferBindingSize: a.limits.maxStorageBufferBindingSize } : null,
    deviceMemoryGb: (navigator as WorkerNavigator & { deviceMemory?: number }).deviceMemory ?? null,
    crossOriginIsolated: self.crossOriginIsolated,
    wasmThreads: threads,
    codecs: await listEncodableCodecs(256, 256, 8),
  };
}

/** An absolute http(s) URL, or a clear refusal. */
function manifestHref(url: string): string {
  let u: URL;
  try {
    u = new URL(url, self.location.href);
  } catch {
    throw new KinetoError('bad-manifest', `"${url}" is not a web address; give the http:// or https:// address of a model's manifest.json.`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new KinetoError('bad-manifest', `"${url}" is not an http:// or https:// address of a model's manifest.json.`);
  return u.href;
}

/**
 * The files of `source`, ready to load. A `url` model is downloaded completely first (quota-checked, resumable,
 * cancellable by request `id`), so the model already loaded stays usable until its replacement is on disk.
 */
async function openSource(id: number, source: ModelSource, variants: VariantTarget, emit: (e: WorkerEvent) => void): Promise<FileSource> {
  switch (source.kind) {
    case 'embedded':
      return httpSource(new URL('./', manifestHref(source.manifestUrl)).href);
    case 'folder':
      return folderSource(source.folder, source.name);
    case 'url': {
      const manifestUrl = manifestHref(source.manifestUrl);
      const store = await weightStore();
      const files = cachedHttpSource(manifestUrl, store, (progress) => emit({ type: 'download-progress', progress }), controllers.get(id)?.signal, {
        estimate,
        onNotice: (message) => emit({ type: 'notice', message }),
        variants,
      });
      const settled = files.prefetch();
      const mine = { manifestUrl, requestId: id, settled: settled.catch(() => {}) };
      activeDownload = mine;
      try {
        await settled;
      } finally {
        if (activeDownload === mine) activeDownload = null;
      }
      return files;
    }
  }
}

async function load(id: number, source: ModelSource, choice: BackendChoice, emit: (e: WorkerEvent) => void): Promise<Replies['load-model']> {
  const t0 = performance.now();
  const a = choice === 'wasm' ? null : await getAdapter();
  if (choice === 'webgpu' && !a) throw new KinetoError('webgpu-unavailable', 'This browser has no WebGPU adapter.');
  const backend: Backend = a ? 'webgpu' : 'wasm';
  // Known before any download, so that only the weight variants for this backend are fetched.
  const variants: VariantTarget = { backend, shaderF16: backend === 'webgpu' && (a?.features.has('shader-f16') ?? false) };
  const files = await openSource(id, source, variants, emit);
  // From here on the load is not cancellable: the old model is released and the new one takes its place.
  if (loaded) {
    await loaded.model.release();
    loaded = null;
  }
  if (choice === 'auto' && !a) emit({ type: 'notice', message: 'WebGPU is not available in this browser, so Kineto runs on the CPU (WASM).' });
  let model: LoadedModel;
  try {
    model = await loadModel(ort, files, backend, (p) => emit({ type: 'load-progress', ...p }), variants);
  } catch (e) {
    if (backend !== 'webgpu' || (e instanceof KinetoError && e.code !== 'model-load-failed')) throw e;
    emit({ type: 'notice', message: `WebGPU could not load the model (${e instanceof Error ? e.message : String(e)}); switching to CPU (WASM).` });
    return load(id, source, 'wasm', emit);
  }
  const info: BackendInfo = {
    backend,
    threads: backend === 'wasm' ? threads : 0,
    adapter: backend === 'webgpu' ? a?.info.description || a?.info.vendor || 'WebGPU adapter' : null,
    shaderF16: variants.shaderF16,
    variants: model.picks,
  };
  loaded = { model, backend: info, source };
  if (backend === 'webgpu') {
    gpuLost = null;
    // Typed as a Promise, but onnxruntime-web 1.30 hands back the GPUDevice itself once a session exists.
    void Promise.resolve(ort.env.webgpu.device).then((device) => device.lost).then((lost) => {
      if (lost.reason !== 'destroyed' || loaded?.backend.backend === 'webgpu') gpuLost = lost.message || 'device lost';
    }).catch(() => {});
  }
  emit({ type: 'backend', info });
  return { manifest: model.manifest, backend: info, loadSeconds: (performance.now() - t0) / 1000 };
}

async function generate(id: number, req: Extract<Request, { type: 'generate' }>, emit: (e: WorkerEvent) => void): Promise<Replies['generate']> {
  if (!loaded) throw new KinetoError('model-load-failed', 'No model is loaded yet.');
  if (gpuLost !== null && loaded.backend.backend === 'webgpu') {
    emit({ type: 'notice', message: `The GPU was lost (${gpuLost}); Kineto switched to the CPU (WASM).` });
    await load(id, loaded.source, 'wasm', emit);
  }
  const { model } = loaded!;
  const signal = controllers.get(id)!.signal;
  const issues = validateParams(req.params, model.manifest);
  if (issues.length > 0) throw new KinetoError(issues[0]!.field === 'prompt' ? 'bad-prompt' : 'bad-parameter', issues.map((i) => i.message).join(' '));
  const t0 = performance.now();
  const modelStart = model.clock.seconds;
  let result;
  try {
    result = await runPipeline(model.manifest, model.models, req.params, {
      isCancelled: () => signal.aborted,
      onStage: (stage) => emit({ type: 'stage', stage }),
      onStep: async ({ step, totalSteps, timestep, preview }) => {
        const frames = preview ? { width: preview.width, height: preview.height, frames: preview.rgba } : { width: 0, height: 0, frames: [] };
        emit({ type: 'step', step, totalSteps, timestep, preview: frames });
        await nextMacrotask();
      },
      preview: req.preview,
    });
  } catch (e) {
    // A WebGPU failure mid-run (device lost, out of memory): reload on WASM and run again, with a message.
    if (e instanceof CancelledError || loaded?.backend.backend !== 'webgpu') throw e;
    emit({ type: 'notice', message: `WebGPU failed during generation (${e instanceof Error ? e.message : String(e)}); retrying on the CPU (WASM).` });
    await load(id, loaded.source, 'wasm', emit);
    return generate(id, req, emit);
  }
  const modelSeconds = model.clock.seconds - modelStart;
  emit({ type: 'stage', stage: 'encode-video' });
  const tEnc = performance.now();
  const size = req.params.outputSize;
  const video = await encodeVideo(result.frames.rgba, result.frames.width, result.frames.height, {
    fps: req.params.fps,
    container: req.container,
    outputWidth: size,
    outputHeight: size,
    onFrame: (frame, totalFrames) => emit({ type: 'frame', frame, totalFrames }),
    signal,
  });
  if (result.truncatedWords > 0) emit({ type: 'notice', message: `The prompt was too long: the last ${result.truncatedWords} words were ignored.` });
  const now = performance.now();
  return {
    video: video.blob,
    mimeType: video.mimeType,
    codec: video.codec,
    width: video.width,
    height: video.height,
    frameCount: video.frameCount,
    seed: req.params.seed,
    fileName: videoFileName(req.params.seed, req.params.prompt, req.container),
    unknownWords: result.unknownWords,
    timings: { totalSeconds: (now - t0) / 1000, modelSeconds, encodeSeconds: (now - tEnc) / 1000 },
  };
}

async function handle(id: number, request: Request): Promise<Replies[Request['type']]> {
  const emit = (event: WorkerEvent) => post({ id, kind: 'event', event });
  switch (request.type) {
    case 'probe':
      return probe();
    case 'load-model':
      return load(id, request.source, request.backend, emit);
    case 'generate':
      return generate(id, request, emit);
    case 'cancel': {
      const c = controllers.get(request.target);
      c?.abort();
      return { cancelled: c !== undefined };
    }
    case 'unload':
      await loaded?.model.release();
      loaded = null;
      return {};
    case 'list-models': {
      // A browser without any usable storage has simply nothing cached.
      const store = await weightStore().catch(() => null);
      return { models: store ? await listCachedModels(store) : [] };
    }
    case 'delete-model':
      return deleteModel(request.modelId);
    case 'storage-info':
      return storageInfo(await weightStore().catch(() => null), estimate);
    case 'storage-settings':
      if (request.quotaBytes !== undefined) quotaOverride = request.quotaBytes;
      if (request.store !== undefined && (request.store ?? undefined) !== preferredStore) {
        preferredStore = request.store ?? undefined;
        storePromise = null;
      }
      return storageInfo(await weightStore().catch(() => null), estimate);
  }
}

/** Deletes a cached model; a download of it in progress is stopped first (its request ends as cancelled). */
async function deleteModel(modelId: string): Promise<Replies['delete-model']> {
  const store = await weightStore();
  const record = await store.readRecord(modelId).catch(() => null);
  const running = activeDownload;
  if (running && record && running.manifestUrl === record.manifestUrl) {
    controllers.get(running.requestId)?.abort();
    await running.settled;
  }
  const deletedBytes = await store.modelBytes(modelId);
  await store.deleteModel(modelId);
  return { deletedBytes };
}

// Requests other than cancel run one at a time, so a generate never overlaps a model reload.
let queue: Promise<unknown> = Promise.resolve();

function onRequest(ev: MessageEvent<Envelope>): void {
  if (!ev.data?.request) return;
  const { id, request } = ev.data;
  controllers.set(id, new AbortController());
  const run = async () => {
    try {
      post({ id, kind: 'done', data: await handle(id, request) });
    } catch (e) {
      if (e instanceof CancelledError) post({ id, kind: 'error', error: { code: 'internal', message: 'Cancelled' }, cancelled: true });
      else post({ id, kind: 'error', error: toErrorInfo(e) });
    } finally {
      controllers.delete(id);
    }
  };
  if ((IMMEDIATE_REQUESTS as readonly string[]).includes(request.type)) void run();
  else queue = queue.then(run);
}

// onnxruntime-web starts its WASM threads from this same bundle (named "em-pthread…"); those workers belong to
// onnxruntime, so the request handler is installed only in the engine worker itself.
if (!self.name?.startsWith('em-pthread')) self.onmessage = onRequest;
