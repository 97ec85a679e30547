/// <reference lib="webworker" />
/**
 * The engine's home: owns onnxruntime sessions and runs the pipeline and the video encoder off the main
 * thread. One model is loaded at a time; requests are handled in arrival order except `cancel`, which flags
 * the running request so the pipeline stops before its next model call.
 */
import { BACKEND_LABELS, type BackendMemory, type BackendSelection } from '../engine/backend-choice';
import { CancelledError, KinetoError, toErrorInfo } from '../engine/errors';
import { parseManifest } from '../engine/manifest';
import { defaultParams, validateParams } from '../engine/params';
import { swapRoom } from '../engine/swap-memory';
import { pickVariants, type VariantTarget } from '../engine/variants';
import { runPipeline } from '../engine/pipelines';
import { WARM_UP_LIMITS, warmUp } from '../engine/warm-up';
import { handleLab, labTransferables } from '../lab/lab-worker';
import { ortBuildFor } from '../platform/ort-builds';
import { httpSource, type LoadedModel, loadModel } from '../runtime/load-model';
import { loadOrt, type OrtWeb } from '../runtime/load-ort';
import type { OrtModule } from '../runtime/sessions';
import { listEncodableCodecs } from '../video/codec';
import { encodeVideo, videoFileName } from '../video/encode';
import { makePoster } from '../video/poster';
import { cachedHttpSource } from '../weights/cached-source';
import { listCachedModels, storageInfo } from '../weights/catalog';
import type { FileSource } from '../weights/file-source';
import { folderSource } from '../weights/folder-source';
import { openWeightStore } from '../weights/open-store';
import type { Estimate } from '../weights/quota';
import type { StoreKind, WeightStore } from '../weights/store';
import {
  type Backend, type BackendChoice, type BackendInfo, type Capabilities, type Envelope, IMMEDIATE_REQUESTS, type ModelSource,
  type Replies, type Reply, type Request, type WorkerEvent,
} from './protocol';
import { adapterFacts, backendBeforeManifest, loadOnChosenBackend } from './backend-probe';
import { holdLifeLock } from './liveness';
import { type TestFault, withoutSessionMemory } from './test-faults';

declare const self: DedicatedWorkerGlobalScope;

const threads = self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
const ortBuild = ortBuildFor(WebAssembly);
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

function post(reply: Reply, transfer: Transferable[] = []): void {
  self.postMessage(reply, transfer);
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
    ortBuild,
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

/** Runs a model swap in its turn among the queued requests, wrapping it as `handle` sees fit (e.g. dropping a superseded load). */
type Turn = <T>(task: () => Promise<T>) => Promise<T>;
/** For reloads from inside a queued request (which already holds the turn). */
const heldTurn: Turn = (task) => task();

/**
 * Make before break. The new model's files are downloaded and checked first — at once, beside a running generation —
 * then, in its turn, its sessions are created and proven to run while the model in use stays loaded; only then is the
 * old one released. Any failure (or a cancel) leaves the old model in place. When the two do not fit in memory
 * together, the load stops with `release-needed` unless `releaseFirst`.
 */
async function load(id: number, source: ModelSource, choice: BackendChoice, emit: (e: WorkerEvent) => void,
  opts: { releaseFirst: boolean; turn: Turn; backendMemory?: Record<string, BackendMemory>; probeSoftwareAdapters?: boolean }): Promise<Replies['load-model']> {
  const t0 = performance.now();
  const a = choice === 'wasm' ? null : await getAdapter();
  if (choice === 'webgpu' && !a) throw new KinetoError('webgpu-unavailable', 'This browser has no WebGPU adapter.');
  const request = { choice, adapter: adapterFacts(a), probeSoftwareAdapters: opts.probeSoftwareAdapters };
  // Known before any download, so that only the weight variants for this backend are fetched.
  let backend: Backend = backendBeforeManifest(request);
  const targetFor = (b: Backend): VariantTarget => ({ backend: b, shaderF16: b === 'webgpu' && (a?.features.has('shader-f16') ?? false) });
  const variants = targetFor(backend);
  const files = await openSource(id, source, variants, emit);
  return opts.turn(async () => {
    const signal = controllers.get(id)?.signal;
    if (signal?.aborted) throw new CancelledError();
    if (loaded) {
      const next = pickVariants(parseManifest(await files.readJson('manifest.json')), variants).manifest;
      const deviceMemoryGb = (navigator as WorkerNavigator & { deviceMemory?: number }).deviceMemory ?? null;
      const room = swapRoom(loaded.model.manifest, next, backend, deviceMemoryGb);
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
        load: async (b, timing) => loadModel(await runtime(), files, b, timing ? () => {} : (p) => emit({ type: 'load-progress', ...p }), targetFor(b)),
        onBackend: (b) => emit({ type: 'load-progress', stage: 'speed-test', file: BACKEND_LABELS[b], loadedBytes: 0, totalBytes: 0 }),
        onNotice: (message) => emit({ type: 'notice', message }),
      }));
      backend = selection.backend;
      await proveSessionsRun(model);
    } catch (e) {
      if (backend !== 'webgpu' || (e instanceof KinetoError && e.code !== 'model-load-failed')) throw e;
      emit({ type: 'notice', message: `WebGPU could not load the model (${e instanceof Error ? e.message : String(e)}); switching to CPU (WASM).` });
      return load(id, source, 'wasm', emit, { ...opts, turn: heldTurn });
    }
    if (signal?.aborted) {
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

async function unload(): Promise<void> {
  const old = loaded;
  loaded = null;
  await old?.model.release();
}

/** Marks the GPU lost when onnxruntime's device goes (driver reset, out of memory, or a test's `lose-gpu-device`). */
function watchDevice(): void {
  gpuLost = null;
  // Typed as a Promise, but onnxruntime-web 1.30 hands back the GPUDevice itself once a session exists.
  void ortModule().then((ort) => ort.env.webgpu.device).then((device) => device.lost).then((lost) => {
    if (lost.reason !== 'destroyed' || loaded?.backend.backend === 'webgpu') gpuLost = lost.message || 'device lost';
  }).catch(() => {});
}

async function generate(id: number, req: Extract<Request, { type: 'generate' }>, emit: (e: WorkerEvent) => void): Promise<Replies['generate']> {
  if (!loaded) throw new KinetoError('model-load-failed', 'No model is loaded yet.');
  if (gpuLost !== null && loaded.backend.backend === 'webgpu') {
    emit({ type: 'notice', message: `The GPU was lost (${gpuLost}); Kineto switched to the CPU (WASM).` });
    await load(id, loaded.source, 'wasm', emit, { releaseFirst: true, turn: heldTurn });
  }
  const { model } = loaded!;
  const signal = controllers.get(id)!.signal;
  const issues = validateParams(req.params, model.manifest);
  if (issues.length > 0) throw new KinetoError(issues[0]!.field === 'prompt' ? 'bad-prompt' : 'bad-parameter', issues.map((i) => i.message).join(' '));
  const t0 = performance.now();
  // The speed preset's denoiser (loaded on first use; another preset, with a notice, when the model lacks this one).
  const run = await model.forPreset(req.params.preset);
  if (run.notice) emit({ type: 'notice', message: run.notice });
  const modelStart = model.clock.seconds;
  let result;
  try {
    result = await runPipeline(run.manifest, run.models, req.params, {
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
    await load(id, loaded.source, 'wasm', emit, { releaseFirst: true, turn: heldTurn });
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
    tags: req.tags,
  });
  if (result.truncatedWords > 0) emit({ type: 'notice', message: `The prompt was too long: the last ${result.truncatedWords} words were ignored.` });
  // The Library's poster, from the frames in hand: a few ms here instead of decoding the video on the page.
  const tPoster = performance.now();
  const poster = await makePoster(result.frames.rgba, result.frames.width, result.frames.height, video.width, video.height);
  const now = performance.now();
  return {
    video: video.blob,
    poster,
    mimeType: video.mimeType,
    codec: video.codec,
    width: video.width,
    height: video.height,
    frameCount: video.frameCount,
    seed: req.params.seed,
    fileName: videoFileName(req.params.seed, req.params.prompt, req.container),
    unknownWords: result.unknownWords,
    timings: { totalSeconds: (now - t0) / 1000, modelSeconds, encodeSeconds: (now - tEnc) / 1000, posterSeconds: (now - tPoster) / 1000 },
  };
}

/**
 * Practice seconds spent in this worker, and whether a warm-up ran to its end. One budget per worker, not per model:
 * V8's optimised onnxruntime kernels serve every model the worker loads.
 */
const practice = { seconds: 0, finished: false };

/**
 * The default clip of `preset`, made and thrown away until warm-up says stop (engine/warm-up.ts); only on the CPU,
 * where V8's tiering is what makes the first clips slow. It holds the turn, so it stops before its next model call
 * once any other request is waiting for it.
 */
async function warmUpModel(request: Extract<Request, { type: 'warm-up' }>): Promise<Replies['warm-up']> {
  const secondsLeft = WARM_UP_LIMITS.maxSeconds - practice.seconds;
  if (!loaded || loaded.backend.backend !== 'wasm' || practice.finished || secondsLeft <= 0 || waiting > 0) return { report: null };
  const run = await loaded.model.forPreset(request.preset ?? undefined);
  const params = defaultParams(run.manifest, '', 0, run.preset);
  const interrupted = () => waiting > 0;
  const report = await warmUp(async () => {
    await runPipeline(run.manifest, run.models, params, {
      isCancelled: interrupted,
      // Lets the worker see a newly queued request between model calls (see nextMacrotask).
      onStep: () => nextMacrotask(),
      preview: request.preview,
    });
  }, { interrupted, now: () => performance.now() / 1000, limits: { ...WARM_UP_LIMITS, maxSeconds: secondsLeft } });
  practice.seconds += report.runSeconds.reduce((a, b) => a + b, 0);
  practice.finished = report.outcome === 'settled' || report.outcome === 'limit';
  return { report };
}

async function handle(id: number, request: Request): Promise<Replies[Request['type']]> {
  const emit = (event: WorkerEvent) => post({ id, kind: 'event', event });
  switch (request.type) {
    case 'probe':
      return probe();
    case 'load-model': {
      newestLoad = id;
      // A load overtaken by a newer one (still downloading or waiting for its turn) gives way instead of swapping in.
      const turn: Turn = (task) => inTurn(() => (id === newestLoad ? task() : Promise.reject(new CancelledError())));
      return load(id, request.source, request.backend, emit, {
        releaseFirst: request.releaseFirst ?? false, turn, backendMemory: request.backendMemory, probeSoftwareAdapters: request.probeSoftwareAdapters,
      });
    }
    case 'generate':
      return generate(id, request, emit);
    case 'warm-up':
      return warmUpModel(request);
    case 'cancel': {
      const c = controllers.get(request.target);
      c?.abort();
      return { cancelled: c !== undefined };
    }
    case 'unload':
      await unload();
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
    case 'test-fault':
      return injectFault(request.fault);
    case 'lab-run':
    case 'lab-views':
    case 'lab-forward':
    case 'lab-export': {
      if (!loaded) throw new KinetoError('model-load-failed', 'No model is loaded yet.');
      // The Lab shows the model's own diffusion process: the quality preset, never a distilled few-step student.
      const { manifest, models } = await loaded.model.forPreset('quality');
      return handleLab(request, {
        manifest, models, signal: controllers.get(id)!.signal,
        onStage: (stage) => emit({ type: 'stage', stage }),
        onStep: async (step, totalSteps, timestep) => {
          emit({ type: 'step', step, totalSteps, timestep, preview: { width: 0, height: 0, frames: [] } });
          await nextMacrotask();
        },
      });
    }
    case 'storage-settings':
      if (request.quotaBytes !== undefined) quotaOverride = request.quotaBytes;
      if (request.store !== undefined && (request.store ?? undefined) !== preferredStore) {
        preferredStore = request.store ?? undefined;
        storePromise = null;
      }
      return storageInfo(await weightStore().catch(() => null), estimate);
  }
}

/** Set by the `sessions-out-of-memory` test fault. */
let sessionsOutOfMemory = false;

/** onnxruntime as the loader sees it: the real module, unless a test took its memory away. */
async function runtime(): Promise<OrtModule> {
  const ort = await ortModule();
  return sessionsOutOfMemory ? withoutSessionMemory(ort) : ort;
}

async function injectFault(fault: TestFault): Promise<Replies['test-fault']> {
  switch (fault) {
    case 'none':
      sessionsOutOfMemory = false;
      break;
    case 'lose-gpu-device':
      if (loaded?.backend.backend !== 'webgpu') throw new KinetoError('webgpu-unavailable', 'No model runs on WebGPU, so there is no device to lose.');
      (await Promise.resolve((await ortModule()).env.webgpu.device)).destroy();
      break;
    case 'sessions-out-of-memory':
      sessionsOutOfMemory = true;
      break;
    case 'stop-worker':
      self.close();
      break;
  }
  return {};
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

// Requests other than the immediate ones run one at a time, so a generate never overlaps a model swap.
let queue: Promise<unknown> = Promise.resolve();
/** Tasks queued and not yet started: a warm-up gives way when this is above zero. */
let waiting = 0;
/** The newest `load-model` request's id. */
let newestLoad = 0;

/** Runs `task` after everything queued so far, as one queued request. */
function inTurn<T>(task: () => Promise<T>): Promise<T> {
  waiting++;
  const result = queue.then(() => {
    waiting--;
    return task();
  });
  queue = result.catch(() => {});
  return result;
}

function onRequest(ev: MessageEvent<Envelope>): void {
  if (!ev.data?.request) return;
  const { id, request } = ev.data;
  controllers.set(id, new AbortController());
  const run = async () => {
    try {
      const data = await handle(id, request);
      // Lab images are made per reply and not kept: move them instead of copying.
      post({ id, kind: 'done', data }, request.type.startsWith('lab-') ? labTransferables(data) : []);
    } catch (e) {
      if (e instanceof CancelledError) post({ id, kind: 'error', error: { code: 'internal', message: 'Cancelled' }, cancelled: true });
      else post({ id, kind: 'error', error: toErrorInfo(e) });
    } finally {
      controllers.delete(id);
    }
  };
  if ((IMMEDIATE_REQUESTS as readonly string[]).includes(request.type)) void run();
  else void inTurn(run);
}

// onnxruntime-web starts its WASM threads from this same bundle (named "em-pthread…"); those workers belong to
// onnxruntime, so the request handler is installed only in the engine worker itself.
if (!self.name?.startsWith('em-pthread')) {
  self.onmessage = onRequest;
  if (self.name) holdLifeLock(self.name);
}
