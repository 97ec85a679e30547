/**
 * The engine worker's lifecycle: made on first use, watched for its end, and after it died replaced by a new one
 * that loads the model in use again (a worker that keeps dying is not restarted forever). Also the requests that
 * only pass through to the worker: probe, Lab requests.
 */
import { toErrorInfo, type ErrorInfo } from '../engine/errors';
import type { LabRequest } from '../lab/lab-protocol';
import { KinetoClient, RequestError } from '../worker/client';
import { watchLifeLock } from '../worker/liveness';
import type { Replies, Request, WorkerEvent } from '../worker/protocol';
import { embeddedManifestUrl } from './catalog-actions';
import type { Connect, EngineContext } from './engine-context';
import { idleRun } from './run-slice';

export type WorkerActions = {
  /** Probe, then load the embedded model with the current backend choice. Runs once; later calls do nothing. */
  start(): Promise<void>;
  probe(): Promise<void>;
  /** Sends a Lab request (src/lab) to the engine worker; `started` receives its id, for `cancelRequest`. */
  labRequest<T extends LabRequest>(request: T, onEvent?: (e: WorkerEvent) => void, started?: (id: number) => void): Promise<Replies[T['type']]>;
  /** Sends a film request (a shot, or the film's encoding) to the engine worker; `started` receives its id. */
  filmRequest<T extends FilmRequest>(request: T, onEvent?: (e: WorkerEvent) => void, started?: (id: number) => void): Promise<Replies[T['type']]>;
  /** Sends a Live request (a window, or the recording's file) to the engine worker; `started` receives its id. */
  liveRequest<T extends LiveRequest>(request: T, onEvent?: (e: WorkerEvent) => void, started?: (id: number) => void): Promise<Replies[T['type']]>;
  /** Asks the worker to stop request `id` (its promise then resolves as `Cancelled`, or with the partial work it keeps). */
  cancelRequest(id: number): Promise<void>;
  /** Terminates the worker and revokes the result URL (tests, page teardown). */
  shutdown(): void;
};

/** The Storyboard's requests (films/worker-film-engine.ts). */
export type FilmRequest = Extract<Request, { type: 'make-shot' | 'encode-film' }>;
/** Live's requests (live/live-slice.ts). */
export type LiveRequest = Extract<Request, { type: 'make-shot' | 'encode-clip' }>;

/** Worker restarts in a row (without a model loading in between) before Kineto stops restarting it. */
const MAX_RESTARTS = 2;

let workerCount = 0;

/**
 * The engine worker, watched for its end: a worker that dies without an error event (killed by the browser, or
 * closed) is reported through its `onerror` all the same, so the store restarts it.
 */
export const connectWorker: Connect = () => {
  const name = `kineto-engine-${Date.now()}-${++workerCount}`;
  const worker = new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module', name });
  void watchLifeLock(name, () => worker.onerror?.(new ErrorEvent('error', { message: 'it stopped unexpectedly' })));
  return worker;
};

/** What went wrong with a request, as the store shows it. */
export function errorInfo(e: unknown): ErrorInfo {
  return e instanceof RequestError ? e.info : toErrorInfo(e);
}

/**
 * After the worker died (crashed, or killed by the browser): start a new one and load the model that was in use
 * again. The form is untouched and a download keeps the bytes it stored (paused, to resume); a run in progress
 * ends as failed, with a notice.
 */
function retire(ctx: EngineContext, dead: KinetoClient, message: string): void {
  const { set, get } = ctx;
  if (ctx.client !== dead) return;
  ctx.client = null;
  dead.terminate();
  ctx.loadSeq++;
  const d = get().download;
  const download = d?.progress ? { ...d, status: d.status === 'downloading' ? 'paused' as const : d.status, requestId: null } : null;
  const reload = ctx.inUseSource ?? ctx.lastSource;
  const why = message ? ` (${message})` : '';
  if (!reload || ctx.restarts >= MAX_RESTARTS) {
    const error: ErrorInfo = { code: 'internal', message: `The engine worker crashed${why}${reload ? ' again right after a restart' : ''}.` };
    set({ model: { status: 'failed', error }, error, download, switching: null });
    return;
  }
  ctx.restarts++;
  const wasRunning = get().run.status !== 'idle';
  set({ download, switching: null, model: { status: 'loading', stage: 'manifest', file: null, loadedBytes: 0, totalBytes: 0 } });
  get().addNotice(`The engine stopped${why}. Kineto restarted it and is loading the model again; your settings and downloaded files are kept.${wasRunning ? ' Press Generate to run again.' : ''}`);
  void get().loadModel(reload, get().backendChoice);
}

/** The live worker's client; the first request (and the first after the worker died) starts a new worker. */
export function ensureClient(ctx: EngineContext): KinetoClient {
  if (ctx.client) return ctx.client;
  const worker = ctx.connect();
  const created = new KinetoClient(worker);
  // The client rejects everything pending on error; chain after its handler to retire the worker too.
  const rejectPending = worker.onerror;
  worker.onerror = (ev) => {
    rejectPending?.(ev);
    retire(ctx, created, ev.message);
  };
  ctx.client = created;
  return created;
}

export function createWorkerActions(ctx: EngineContext): WorkerActions {
  const { set, get } = ctx;
  /** `start` has run (until `shutdown`). */
  let startCalled = false;
  return {
    start: async () => {
      if (startCalled) return;
      startCalled = true;
      await get().probe();
      await get().loadModel({ kind: 'embedded', manifestUrl: embeddedManifestUrl() }, get().backendChoice);
    },

    probe: async () => {
      try {
        const capabilities = await ensureClient(ctx).send({ type: 'probe' });
        // The page's own navigator first; the worker's where only it answers (the spec exposes the API to both).
        const pageMemory = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
        set({ capabilities: { ...capabilities, deviceMemoryGb: pageMemory ?? capabilities.deviceMemoryGb } });
      } catch (e) {
        set({ error: errorInfo(e) });
      }
    },

    labRequest: (request, onEvent, started) => ensureClient(ctx).send(request, onEvent, started),
    filmRequest: (request, onEvent, started) => ensureClient(ctx).send(request, onEvent, started),
    liveRequest: (request, onEvent, started) => ensureClient(ctx).send(request, onEvent, started),

    cancelRequest: async (id) => {
      await ctx.client?.cancel(id).catch(() => {});
    },

    shutdown: () => {
      ctx.loadSeq++;
      ctx.client?.terminate();
      ctx.client = null;
      startCalled = false;
      const { result } = get();
      if (result) URL.revokeObjectURL(result.url);
      set({ result: null, run: idleRun, model: { status: 'idle' }, download: null });
    },
  };
}
