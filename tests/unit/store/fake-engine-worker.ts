/**
 * A fake engine worker for the store's tests (a test of ours, not a stand-in for code that runs here): a `WorkerLike`
 * that answers the messages of src/worker/protocol.ts as the real worker does. Every request gets one terminal reply
 * (`done` or `error`) with events before it, always in a later task, never inside `postMessage`; `cancel` ends its
 * target as cancelled. Each request type answers through `answers`, which a test may replace to hold a request open
 * (then answer it through its `FakeCall`), fail it, or crash the worker.
 */
import type { ErrorInfo } from '../../../src/engine/errors';
import type { ModelManifest } from '../../../src/engine/types';
import { parseManifest } from '../../../src/engine/manifest';
import { modelFrameSize } from '../../../src/engine/continuation';
import type { WorkerLike } from '../../../src/worker/client';
import type { BackendInfo, Capabilities, Envelope, Replies, Reply, Request, WorkerEvent } from '../../../src/worker/protocol';

/** The request of type `K`. */
export type RequestOf<K extends Request['type']> = Extract<Request, { type: K }>;

/** One request the fake received. */
export class FakeCall<T extends Request = Request> {
  /** Set once the terminal reply (done or error) has been sent. */
  settled = false;

  constructor(readonly worker: FakeEngineWorker, readonly id: number, readonly request: T) {}

  event(event: WorkerEvent): void {
    if (!this.settled) this.worker.reply({ id: this.id, kind: 'event', event });
  }

  done(data: Replies[T['type']]): void {
    this.settle({ id: this.id, kind: 'done', data });
  }

  fail(error: ErrorInfo): void {
    this.settle({ id: this.id, kind: 'error', error });
  }

  settleCancelled(): void {
    this.settle({ id: this.id, kind: 'done', data: { outcome: 'cancelled' } });
  }

  private settle(reply: Reply): void {
    if (this.settled) throw new Error(`request ${this.id} (${this.request.type}) answered twice`);
    this.settled = true;
    this.worker.reply(reply);
  }
}

/** How the fake answers each request type; a type without an answer is left pending. */
export type Answers = { [K in Request['type']]?: (call: FakeCall<RequestOf<K>>) => void | Promise<void> };

export class FakeEngineWorker implements WorkerLike {
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  /** Every request received, in arrival order. */
  readonly calls: FakeCall[] = [];
  terminated = false;
  /** The manifest of the model loaded last: the real worker's model in use. */
  manifest: ModelManifest | null = null;

  constructor(private readonly answers: Answers) {}

  postMessage(message: unknown): void {
    if (this.terminated) return;
    const { id, request } = message as Envelope;
    const call = new FakeCall(this, id, request);
    this.calls.push(call);
    const answer = this.answers[request.type] as ((c: FakeCall) => void | Promise<void>) | undefined;
    setTimeout(() => {
      if (!this.terminated) void answer?.(call);
    }, 0);
  }

  /** Posts `reply` to the page, as the worker's `postMessage` would. */
  reply(reply: Reply): void {
    setTimeout(() => {
      if (!this.terminated) this.onmessage?.({ data: reply } as MessageEvent);
    }, 0);
  }

  /** The worker dies: the page sees an `error` event (as for an uncaught error, or a worker the browser killed). */
  crash(message: string): void {
    setTimeout(() => this.onerror?.({ message } as ErrorEvent), 0);
  }

  terminate(): void {
    this.terminated = true;
  }

  /** The requests of one type, in arrival order. */
  callsOf<K extends Request['type']>(type: K): FakeCall<RequestOf<K>>[] {
    return this.calls.filter((c): c is FakeCall<RequestOf<K>> => c.request.type === type);
  }
}

export const CAPABILITIES: Capabilities = {
  webgpu: true,
  adapter: { vendor: 'test', architecture: 'test', description: 'a test adapter', isFallbackAdapter: false },
  shaderF16: true,
  limits: { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 },
  deviceMemoryGb: 8,
  crossOriginIsolated: true,
  wasmThreads: 4,
  ortBuild: 'jspi',
  codecs: ['avc1.42001f'],
};

export const BACKEND: BackendInfo = {
  backend: 'webgpu',
  threads: 1,
  adapter: 'a test adapter',
  shaderF16: true,
  variants: [],
  selection: { how: 'rule', backend: 'webgpu', summary: 'WebGPU', timings: [] },
};

const nextTask = () => new Promise((r) => setTimeout(r, 0));

/** Reads the manifest at the source's URL as the worker does (a folder is not served here: it fails). */
export async function answerLoadModel(call: FakeCall<RequestOf<'load-model'>>): Promise<void> {
  const { source } = call.request;
  if (source.kind === 'folder') return call.fail({ code: 'model-load-failed', message: 'no folders in this fake' });
  call.event({ type: 'load-progress', stage: 'manifest', file: null, loadedBytes: 0, totalBytes: 0 });
  const res = await fetch(source.manifestUrl);
  if (!res.ok) return call.fail({ code: 'bad-manifest', message: `${source.manifestUrl}: HTTP ${res.status}` });
  const manifest = parseManifest(await res.json());
  call.event({ type: 'load-progress', stage: 'session', file: manifest.components.denoiser.file, loadedBytes: 0, totalBytes: 0 });
  call.worker.manifest = manifest;
  call.done({ manifest, backend: BACKEND, loadSeconds: 0.25 });
}

/** Runs the denoising steps (a 2×2 preview frame each), then encodes the frames; a cancel stops it between steps. */
async function generate(call: FakeCall<RequestOf<'generate'>>): Promise<void> {
  const { params, container, manifestSha256 } = call.request;
  const { steps, frames, seed } = params;
  const { manifest } = call.worker;
  if (!manifest) return call.fail({ code: 'model-load-failed', message: 'No model is loaded yet.' });
  call.event({ type: 'stage', stage: 'encode-text' });
  for (let step = 1; step <= steps; step++) {
    await nextTask();
    if (call.settled) return;
    call.event({ type: 'step', step, totalSteps: steps, timestep: 1000 - step, preview: { width: 2, height: 2, frames: [new Uint8ClampedArray(16).fill(step)] } });
  }
  call.event({ type: 'stage', stage: 'decode' });
  // Smooth motion: the frames between the model's are made too.
  const smooth = call.request.smoothMotion === true && !call.request.extend;
  const frameCount = smooth ? 2 * frames : frames;
  for (let frame = 0; frame < frameCount; frame++) call.event({ type: 'frame', frame, totalFrames: frameCount });
  const mimeType = `video/${container}`;
  const video = new Blob([new Uint8Array(64)], { type: mimeType });
  const timings = { totalSeconds: 1, modelSeconds: 0.8, encodeSeconds: 0.2, posterSeconds: 0 };
  call.done({
    facts: {
      params, model: { id: manifest.id, name: manifest.name, manifestSha256 }, backend: BACKEND.backend, container, mimeType, codec: 'avc1.42001f',
      width: 64, height: 64, frameCount, fileName: `kineto-${seed}.${container}`, size: video.size, unknownWords: [], timings,
      ...(smooth ? { smoothMotion: true } : {}),
    },
    video,
    poster: null,
  });
}

/**
 * A shot or a Live window after a step: `params.frames` frames at the model's size (twice as many with Smooth motion),
 * every byte of frame i equal to (seed + i) mod 256, so that a test can tell windows and frames apart.
 */
async function makeShot(call: FakeCall<RequestOf<'make-shot'>>): Promise<void> {
  const { params, smoothMotion, start } = call.request;
  const { manifest } = call.worker;
  if (!manifest) return call.fail({ code: 'model-load-failed', message: 'No model is loaded yet.' });
  await nextTask();
  if (call.settled) return;
  const { width, height } = modelFrameSize(manifest);
  const count = smoothMotion ? 2 * params.frames : params.frames;
  const rgba = Array.from({ length: count }, (_, i) => new Uint8ClampedArray(width * height * 4).fill((params.seed + i) % 256));
  call.done({ frames: { width, height, count, rgba }, methods: [start.kind === 'text' ? 'none' : 'replacement'] });
}

/** A clip's file from given frames: a stand-in file, and the facts the real worker would fill. */
async function encodeClip(call: FakeCall<RequestOf<'encode-clip'>>): Promise<void> {
  const { frames, params, container, manifestSha256, smoothMotion, unknownWords, live } = call.request;
  const { manifest } = call.worker;
  if (!manifest) return call.fail({ code: 'model-load-failed', message: 'No model is loaded yet.' });
  await nextTask();
  const mimeType = `video/${container}`;
  const video = new Blob([new Uint8Array(64)], { type: mimeType });
  call.done({
    facts: {
      params, model: { id: manifest.id, name: manifest.name, manifestSha256 }, backend: BACKEND.backend, container, mimeType, codec: 'avc1.42001f',
      width: 256, height: 256, frameCount: frames.count, fileName: `kineto-${params.seed}.${container}`, size: video.size, unknownWords,
      timings: { totalSeconds: 0.2, modelSeconds: call.request.modelSeconds, encodeSeconds: 0.2, posterSeconds: 0 },
      ...(smoothMotion ? { smoothMotion: true } : {}), ...(live ? { live } : {}),
    },
    video,
    poster: null,
  });
}

/** The real worker's answers, in miniature. */
export function defaultAnswers(): Answers {
  return {
    probe: (call) => call.done(CAPABILITIES),
    'load-model': answerLoadModel,
    generate,
    'make-shot': makeShot,
    'encode-clip': encodeClip,
    cancel: (call) => {
      const target = call.worker.calls.find((c) => c.id === call.request.target && !c.settled);
      // The real worker answers a cancelled request with `Cancelled`, not an error.
      target?.settleCancelled();
      call.done({ cancelled: target !== undefined });
    },
    'warm-up': (call) => call.done({ report: null }),
    'list-models': (call) => call.done({ models: [] }),
    'storage-info': (call) => call.done({ store: 'opfs', usedBytes: 0, quotaBytes: 2 ** 32, persisted: false }),
  };
}
