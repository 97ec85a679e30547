/**
 * The store's side effects: owns the engine Worker and its KinetoClient (created on first use, replaced after a
 * crash), turns user actions into requests, and routes every worker event through `applyWorkerEvent`, whose
 * pure core is `reduceWorkerEvent`. Only data reaches the store: capabilities, manifest, progress numbers, preview
 * pixels and the result's object URL.
 */
import type { StateCreator } from 'zustand';
import { toErrorInfo, type ErrorInfo } from '../engine/errors';
import { memoryAfterLoad } from '../engine/backend-choice';
import { parseManifest } from '../engine/manifest';
import { validateParams } from '../engine/params';
import { assessModel } from '../engine/requirements';
import type { ModelManifest } from '../engine/types';
import type { LabRequest } from '../lab/lab-protocol';
import { KinetoClient, RequestError, type WorkerLike } from '../worker/client';
import { watchLifeLock } from '../worker/liveness';
import { type BackendChoice, type FolderInput, isCancelled, type ModelSource, type Replies, type Results, type StoreKind, type TestFault, type VideoContainer, type WorkerEvent } from '../worker/protocol';
import { type CatalogEntry, deviceCapabilities, HUB_MANIFEST_FILES, mustConfirm, offerBlocker } from './catalog-slice';
import type { ModelSourceInfo, ModelStatus } from './engine-slice';
import { MAX_NOTICES } from './engine-slice';
import type { KinetoState } from './index';
import { idleRun, type RunResult } from './run-slice';
import { draftToParams, type BackendSetting } from './settings-slice';
import { manifestUrlProblem } from './weights-slice';
import { readBackendMemory, rememberBackend } from './backend-memory';
import { manifestDigest } from '../provenance/manifest-digest';
import { provenanceTags } from '../provenance/tags';
import { version as KINETO_VERSION } from '../../package.json';

export type EngineActions = {
  /** Probe, then load the embedded model with the current backend choice. Runs once; later calls do nothing. */
  start(): Promise<void>;
  probe(): Promise<void>;
  /**
   * Loads `source` on `backend`. With a model in use this is a switch (make before break): the model in use stays
   * until the new one works, and any failure leaves it in place (`switching` says what failed). `releaseFirst`:
   * the person agreed to release the model in use first because both do not fit in memory.
   */
  loadModel(source: ModelSource, backend: BackendChoice, releaseFirst?: boolean): Promise<void>;
  /** Stops a model switch in progress (a download pauses); the model in use stays. */
  cancelLoad(): Promise<void>;
  /** Releases the model in use and loads the one waiting in `switching` ('confirm-release'). */
  confirmRelease(): Promise<void>;
  /** Tests only: injects a fault into the engine worker (see worker/test-faults.ts). */
  injectTestFault(fault: TestFault): Promise<void>;
  /**
   * Downloads the model at `manifestUrl` into this browser (or resumes its download) and loads it. A URL that is
   * not an http(s) address is refused with an error; nothing is sent. Before a first download the manifest is read
   * and checked against this browser (`assessModel`): a model that cannot run here, or whose licence must be
   * accepted or has a notice to read, becomes the `offer` and waits for `confirmOffer`. A model already stored in
   * this browser (complete or partial) passed that check when its download began and loads at once.
   */
  loadFromUrl(manifestUrl: string): Promise<void>;
  /**
   * Starts the offered download once its licence is accepted (when it must be); `override` ("Try anyway") also
   * starts a model this browser cannot run. Otherwise does nothing.
   */
  confirmOffer(override: boolean): Promise<void>;
  /** Drops the offer and loads the built-in model. */
  useEmbeddedModel(): Promise<void>;
  /** Reads the catalog's manifests (the built-in model and `models/hub/*.json`); runs once. */
  loadCatalog(): Promise<void>;
  /** Loads a model from a folder the person picked (read in place, not copied into the browser's storage). */
  loadFromFolder(name: string, folder: FolderInput): Promise<void>;
  /** Stops the download in progress, keeping what has arrived; `loadFromUrl` with the same URL resumes it. */
  pauseDownload(): Promise<void>;
  /** Stops the download in progress (or forgets a paused one) and deletes what has arrived. */
  cancelDownload(): Promise<void>;
  /** Lists the cached models and reads the quota. */
  refreshStorage(): Promise<void>;
  deleteCachedModel(modelId: string): Promise<void>;
  /** Automation: pretend a quota (bytes) or force a storage kind; null restores the browser's own. */
  setStorageSettings(settings: { quotaBytes?: number | null; store?: StoreKind | null }): Promise<void>;
  /** Loads the last model again (after a failure or a crash). */
  reloadModel(): Promise<void>;
  /** Sets the backend choice and reloads the model on it. */
  chooseBackend(choice: BackendSetting): Promise<void>;
  /** Validates the draft; with no issues, runs it and stores the result. Does nothing while a run is active. */
  generate(): Promise<void>;
  /** Asks the worker to stop the active run; the run then ends as cancelled, not as an error. */
  cancel(): Promise<void>;
  /** Sends a Lab request (src/lab) to the engine worker; `started` receives its id, for `cancelRequest`. */
  labRequest<T extends LabRequest>(request: T, onEvent?: (e: WorkerEvent) => void, started?: (id: number) => void): Promise<Replies[T['type']]>;
  /** Asks the worker to stop request `id` (its promise then resolves as `Cancelled`, or with the partial work it keeps). */
  cancelRequest(id: number): Promise<void>;
  /** The one entry for worker events. */
  applyWorkerEvent(event: WorkerEvent): void;
  /** Terminates the worker and revokes the result URL (tests, page teardown). */
  shutdown(): void;
};

/** Makes the engine worker; tests pass any message port shaped like a Worker. */
export type Connect = () => WorkerLike;

let workerCount = 0;

/**
 * The engine worker, watched for its end: a worker that dies without an error event (killed by the browser, or
 * closed) is reported through its `onerror` all the same, so the store restarts it.
 */
/** Worker restarts in a row (without a model loading in between) before Kineto stops restarting it. */
const MAX_RESTARTS = 2;

export const connectWorker: Connect = () => {
  const name = `kineto-engine-${Date.now()}-${++workerCount}`;
  const worker = new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module', name });
  void watchLifeLock(name, () => worker.onerror?.(new ErrorEvent('error', { message: 'it stopped unexpectedly' })));
  return worker;
};

/** The bundled model, as an absolute URL (the worker resolves relative URLs against its own script). */
export function embeddedManifestUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}models/kineto-shapes/manifest.json`, document.baseURI).href;
}

/** The store patch for one worker event. Events for a stage that is not active are dropped. */
export function reduceWorkerEvent(s: KinetoState, e: WorkerEvent): Partial<KinetoState> {
  switch (e.type) {
    case 'load-progress': {
      const progress = { stage: e.stage, file: e.file, loadedBytes: e.loadedBytes, totalBytes: e.totalBytes };
      if (s.model.status === 'loading') return { model: { status: 'loading', ...progress } };
      if (s.switching?.status === 'loading') return { switching: { ...s.switching, ...progress } };
      return {};
    }
    case 'stage':
      if (s.run.status === 'idle') return {};
      return { run: { ...s.run, stage: e.stage } };
    case 'step': {
      if (s.run.status === 'idle') return {};
      const { width, height, frames } = e.preview;
      return {
        run: {
          ...s.run,
          stage: 'denoise',
          step: e.step,
          totalSteps: e.totalSteps,
          timestep: e.timestep,
          preview: frames.length > 0 ? { width, height, frames, step: e.step, totalSteps: e.totalSteps } : s.run.preview,
          previewSteps: s.run.previewSteps + (frames.length > 0 ? 1 : 0),
        },
      };
    }
    case 'frame':
      if (s.run.status === 'idle') return {};
      // `frame` is the 0-based index of the frame just handed to the encoder; the run counts frames done.
      return { run: { ...s.run, stage: 'encode-video', frame: e.frame + 1, totalFrames: e.totalFrames } };
    case 'notice':
      return {
        notices: [...s.notices, { id: s.nextNoticeId, message: e.message }].slice(-MAX_NOTICES),
        nextNoticeId: s.nextNoticeId + 1,
      };
    case 'backend':
      if (s.model.status !== 'ready') return {};
      return { model: { ...s.model, backendInfo: e.info } };
    case 'download-progress':
      if (!s.download) return {};
      return { download: { ...s.download, progress: e.progress } };
    default: {
      const unhandled: never = e;
      return unhandled;
    }
  }
}

function errorInfo(e: unknown): ErrorInfo {
  return e instanceof RequestError ? e.info : toErrorInfo(e);
}

/** The container the worker actually wrote, trusting its MIME type over what was asked. */
function containerOf(mimeType: string, asked: VideoContainer): VideoContainer {
  if (mimeType.startsWith('video/webm')) return 'webm';
  if (mimeType.startsWith('video/mp4')) return 'mp4';
  return asked;
}

function toResult(reply: Results['generate'], url: string, asked: VideoContainer, made: Pick<RunResult, 'params' | 'model' | 'backend'>): RunResult {
  const { prompt, fps } = made.params;
  return {
    ...made,
    url,
    video: reply.video,
    poster: reply.poster,
    fileName: reply.fileName,
    container: containerOf(reply.mimeType, asked),
    mimeType: reply.mimeType,
    codec: reply.codec,
    size: reply.video.size,
    width: reply.width,
    height: reply.height,
    frameCount: reply.frameCount,
    fps,
    seed: reply.seed,
    prompt,
    unknownWords: reply.unknownWords,
    timings: reply.timings,
  };
}

/**
 * The manifest at `url`, parsed; or why not. `unreachable` when no answer came at all (offline, CORS refused);
 * otherwise the server answered with an error or an invalid manifest, which the worker reports in detail.
 */
async function readManifest(url: string): Promise<{ manifest: ModelManifest } | { problem: string; unreachable: boolean }> {
  let res: Response;
  try {
    res = await fetch(url, { cache: 'no-store' });
  } catch (e) {
    return { problem: e instanceof Error ? e.message : String(e), unreachable: true };
  }
  try {
    if (!res.ok) return { problem: `HTTP ${res.status}`, unreachable: false };
    return { manifest: parseManifest(await res.json()) };
  } catch (e) {
    return { problem: e instanceof Error ? e.message : String(e), unreachable: false };
  }
}

/** What the store shows of a source (a folder's files stay out of the store). */
function sourceInfo(source: ModelSource): ModelSourceInfo {
  return source.kind === 'folder' ? { kind: 'folder', name: source.name } : { kind: source.kind, manifestUrl: source.manifestUrl };
}

export function createEngineActions(connect: Connect): StateCreator<KinetoState, [], [], EngineActions> {
  return (set, get) => {
    let client: KinetoClient | null = null;
    let started = false;
    /** Increases with every loadModel; replies and events of a superseded load are ignored. */
    let loadSeq = 0;
    /** The source last asked for, with a picked folder's files (which the store itself does not hold). */
    let lastSource: ModelSource | null = null;
    /** The source of the model in use (what a backend change or a worker restart loads again). */
    let inUseSource: ModelSource | null = null;
    /** The worker request of the load in flight, for `cancelLoad`. */
    let loadRequestId: number | null = null;
    /** Worker restarts since a model last loaded: a worker that keeps dying is not restarted forever. */
    let restarts = 0;
    /** The load in flight, so that cancelling a download can wait for it to stop. */
    let currentLoad: Promise<void> = Promise.resolve();
    /** `navigator.storage.persist()` is asked once, at the first download. */
    let persistAsked = false;
    /** Licences of models read by the gate, by manifest URL, for the download view. */
    const licenses = new Map<string, string>();
    let catalogRead: Promise<void> | null = null;

    /** The download itself, once the gate has passed. */
    const download = async (url: string): Promise<void> => {
      if (!persistAsked) {
        persistAsked = true;
        // Asks the browser not to evict downloaded models under storage pressure (page-only API).
        await navigator.storage?.persist?.().catch(() => false);
      }
      await get().loadModel({ kind: 'url', manifestUrl: url }, get().backendChoice);
    };

    /** After a worker crash: forget it (the next request starts a fresh one) and mark the model unloaded. */
    /**
     * After the worker died (crashed, or killed by the browser): start a new one and load the model that was in use
     * again. The form is untouched and a download keeps the bytes it stored (paused, to resume); a run in progress
     * ends as failed, with a notice.
     */
    const retire = (dead: KinetoClient, message: string): void => {
      if (client !== dead) return;
      client = null;
      dead.terminate();
      loadSeq++;
      const d = get().download;
      const download = d?.progress ? { ...d, status: d.status === 'downloading' ? 'paused' as const : d.status, requestId: null } : null;
      const reload = inUseSource ?? lastSource;
      const why = message ? ` (${message})` : '';
      if (!reload || restarts >= MAX_RESTARTS) {
        const error: ErrorInfo = { code: 'internal', message: `The engine worker crashed${why}${reload ? ' again right after a restart' : ''}.` };
        set({ model: { status: 'failed', error }, error, download, switching: null });
        return;
      }
      restarts++;
      const wasRunning = get().run.status !== 'idle';
      set({ download, switching: null, model: { status: 'loading', stage: 'manifest', file: null, loadedBytes: 0, totalBytes: 0 } });
      get().addNotice(`The engine stopped${why}. Kineto restarted it and is loading the model again; your settings and downloaded files are kept.${wasRunning ? ' Press Generate to run again.' : ''}`);
      void get().loadModel(reload, get().backendChoice);
    };

    const ensureClient = (): KinetoClient => {
      if (client) return client;
      const worker = connect();
      const created = new KinetoClient(worker);
      // The client rejects everything pending on error; chain after its handler to retire the worker too.
      const rejectPending = worker.onerror;
      worker.onerror = (ev) => {
        rejectPending?.(ev);
        retire(created, ev.message);
      };
      client = created;
      return created;
    };

    /** Runs the warm-up for the Speed choice in the form; the worker skips it once it has had its warm-up. */
    const warmUpCpu = async (modelId: string) => {
      const before = get().warmUp;
      set({ warmUp: { status: 'running', modelId } });
      const { draft, previewMode } = get();
      const reply = await ensureClient().send({ type: 'warm-up', preset: draft.preset, preview: previewMode }).catch(() => null);
      if (get().warmUp?.status !== 'running' || get().warmUp?.modelId !== modelId) return;
      if (reply?.report) set({ warmUp: { status: 'done', modelId, report: reply.report } });
      else set({ warmUp: before?.status === 'done' && before.modelId === modelId ? before : null });
    };

    return {
      start: async () => {
        if (started) return;
        started = true;
        await get().probe();
        await get().loadModel({ kind: 'embedded', manifestUrl: embeddedManifestUrl() }, get().backendChoice);
      },

      probe: async () => {
        try {
          const capabilities = await ensureClient().send({ type: 'probe' });
          // The page's own navigator first; the worker's where only it answers (the spec exposes the API to both).
          const pageMemory = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
          set({ capabilities: { ...capabilities, deviceMemoryGb: pageMemory ?? capabilities.deviceMemoryGb } });
        } catch (e) {
          set({ error: errorInfo(e) });
        }
      },

      loadModel: (source, backend, releaseFirst = false) => {
        const run = async () => {
          const seq = ++loadSeq;
          // One download at a time: a new load pauses the one in flight (its bytes stay stored).
          const running = get().download;
          if (running?.status === 'downloading' && running.requestId !== null) void client?.cancel(running.requestId).catch(() => {});
          // With a model in use this is a switch: that model stays in `model`, usable, until the new one is ready.
          const replacing = get().model.status === 'ready';
          const progress = { stage: 'manifest' as const, file: null, loadedBytes: 0, totalBytes: 0 };
          lastSource = source;
          loadRequestId = null;
          const same = get().download?.manifestUrl === (source.kind === 'url' ? source.manifestUrl : null) ? get().download : null;
          const download = source.kind === 'url'
            ? { status: 'downloading' as const, manifestUrl: source.manifestUrl, requestId: null, progress: same?.progress ?? null, license: licenses.get(source.manifestUrl) ?? same?.license ?? null }
            : get().download?.status === 'downloading' ? null : get().download;
          if (replacing) set({ switching: { status: 'loading', source: sourceInfo(source), ...progress }, error: null, download });
          else set({ modelSource: sourceInfo(source), model: { status: 'loading', ...progress }, switching: null, error: null, download });
          try {
            const backendMemory = readBackendMemory();
            const reply = await ensureClient().send({ type: 'load-model', source, backend, releaseFirst, backendMemory, probeSoftwareAdapters: get().probeSoftwareAdapters }, (event) => {
              // The reply carries the new backend; a `backend` event now would relabel the model still in use.
              if (seq === loadSeq && event.type !== 'backend') get().applyWorkerEvent(event);
            }, (id) => {
              loadRequestId = id;
              const d = get().download;
              if (source.kind === 'url' && d) set({ download: { ...d, requestId: id } });
            });
            if (seq !== loadSeq) return;
            if (isCancelled(reply)) {
              // Paused (a `url` download keeps what arrived) or overtaken by a newer load: a model in use stays in use.
              const d = get().download;
              const keep = get().model.status === 'ready';
              if (keep) lastSource = inUseSource;
              set({ switching: null, download: source.kind === 'url' ? (d?.progress ? { ...d, status: 'paused', requestId: null } : null) : d, ...(keep ? {} : { model: { status: 'idle' } }) });
              return;
            }
            inUseSource = source;
            restarts = 0;
            const { selection } = reply.backend;
            const memory = memoryAfterLoad(selection);
            if (memory) rememberBackend(reply.manifest.id, memory);
            // A backend chosen by hand for this model earlier shows as the choice again.
            if (selection.how === 'remembered-manual') set({ backendChoice: selection.backend });
            set({
              model: { status: 'ready', manifest: reply.manifest, backendInfo: reply.backend, loadSeconds: reply.loadSeconds },
              modelSource: sourceInfo(source),
              switching: null,
            });
            if (source.kind === 'url') set({ download: null });
            if (get().draftModelId !== reply.manifest.id) get().applyModelDefaults(reply.manifest);
            if (reply.backend.backend === 'wasm') void warmUpCpu(reply.manifest.id);
            else set({ warmUp: null });
          } catch (e) {
            if (seq !== loadSeq) return;
            const d = get().download;
            // A download that never got as far as its first file shows no download block.
            const started = d !== null && d.progress !== null;
            const stopped = source.kind === 'url' ? (started ? { ...d, status: 'failed' as const, requestId: null } : null) : d;
            // Whatever went wrong, the worker still runs the model it had: a model in use stays in use.
            const keep = get().model.status === 'ready';
            if (keep) lastSource = inUseSource;
            const error = errorInfo(e);
            if (error.code === 'release-needed') {
              lastSource = source;
              set({ switching: { status: 'confirm-release', source: sourceInfo(source), message: error.message }, download: stopped });
            } else if (keep) {
              lastSource = source;
              set({ switching: { status: 'failed', source: sourceInfo(source), error }, download: stopped });
            } else {
              set({ model: { status: 'failed', error }, error, download: stopped });
            }
          } finally {
            if (seq === loadSeq) loadRequestId = null;
            if (source.kind === 'url' && seq === loadSeq) void get().refreshStorage();
          }
        };
        currentLoad = run();
        return currentLoad;
      },

      cancelLoad: async () => {
        if (loadRequestId === null || !client) return;
        await client.cancel(loadRequestId).catch(() => {});
        await currentLoad;
      },

      confirmRelease: async () => {
        const { switching } = get();
        if (switching?.status !== 'confirm-release' || !lastSource) return;
        await get().loadModel(lastSource, get().backendChoice, true);
      },

      injectTestFault: async (fault) => {
        await ensureClient().send({ type: 'test-fault', fault });
      },

      loadFromUrl: async (manifestUrl) => {
        const url = manifestUrl.trim();
        const problem = manifestUrlProblem(url);
        if (problem) {
          set({ error: { code: 'bad-manifest', message: problem } });
          return;
        }
        set({ offer: null });
        const stored = () => get().cachedModels?.some((m) => m.manifestUrl === url) ?? false;
        if (stored()) return download(url);
        if (!get().capabilities) await get().probe();
        const caps = get().capabilities;
        const read = get().catalog?.find((e) => e.manifestUrl === url && e.manifest) ?? await readManifest(url);
        if ('unreachable' in read) {
          // An error answer or an invalid manifest: the worker stops at the manifest too (before any weights) and
          // names the problem. No answer at all: only a model stored here can load (from its stored manifest).
          if (!read.unreachable) return download(url);
          await get().refreshStorage();
          if (stored()) return download(url);
          set({ error: { code: 'network', message: `Could not read ${url}: ${read.problem}` } });
          return;
        }
        // Without the probe (it failed and said so) there is nothing to check the model against.
        if (!caps) return;
        if (!read.manifest) return download(url);
        const manifest = read.manifest;
        licenses.set(url, manifest.license);
        if (mustConfirm(manifest, assessModel(manifest, deviceCapabilities(caps, get().backendChoice)))) {
          set({ offer: { manifestUrl: url, manifest, licenseAccepted: false } });
          return;
        }
        await download(url);
      },

      confirmOffer: async (override) => {
        const { offer, capabilities } = get();
        if (!offer || !capabilities) return;
        if (offerBlocker(offer, assessModel(offer.manifest, deviceCapabilities(capabilities, get().backendChoice)), override) !== null) return;
        set({ offer: null });
        await download(offer.manifestUrl);
      },

      useEmbeddedModel: async () => {
        set({ offer: null });
        await get().loadModel({ kind: 'embedded', manifestUrl: embeddedManifestUrl() }, get().backendChoice);
      },

      loadCatalog: () => {
        catalogRead ??= (async () => {
          const hub = HUB_MANIFEST_FILES.map((f) => new URL(`${import.meta.env.BASE_URL}models/hub/${f}`, document.baseURI).href);
          const urls: [CatalogEntry['kind'], string][] = [['embedded', embeddedManifestUrl()], ...hub.map((u) => ['url', u] as [CatalogEntry['kind'], string])];
          const catalog = await Promise.all(urls.map(async ([kind, manifestUrl]): Promise<CatalogEntry> => {
            const read = await readManifest(manifestUrl);
            return 'manifest' in read ? { kind, manifestUrl, manifest: read.manifest, problem: null } : { kind, manifestUrl, manifest: null, problem: read.problem };
          }));
          set({ catalog });
        })();
        return catalogRead;
      },

      loadFromFolder: (name, folder) => get().loadModel({ kind: 'folder', name, folder }, get().backendChoice),

      pauseDownload: async () => {
        const d = get().download;
        if (!d || d.status !== 'downloading' || d.requestId === null || !client) return;
        await client.cancel(d.requestId).catch(() => {});
        await currentLoad;
      },

      cancelDownload: async () => {
        if (get().download?.status === 'downloading') await get().pauseDownload();
        const d = get().download;
        if (!d) return;
        const modelId = d.progress?.modelId;
        set({ download: null });
        if (modelId) await get().deleteCachedModel(modelId);
      },

      refreshStorage: async () => {
        try {
          const c = ensureClient();
          const [list, storage] = await Promise.all([c.send({ type: 'list-models' }), c.send({ type: 'storage-info' })]);
          set({ cachedModels: list.models, storage });
        } catch (e) {
          set({ error: errorInfo(e) });
        }
      },

      deleteCachedModel: async (modelId) => {
        try {
          await ensureClient().send({ type: 'delete-model', modelId });
          if (get().download?.progress?.modelId === modelId && get().download?.status !== 'downloading') set({ download: null });
        } catch (e) {
          set({ error: errorInfo(e) });
        }
        await get().refreshStorage();
      },

      setStorageSettings: async (settings) => {
        const storage = await ensureClient().send({ type: 'storage-settings', ...settings });
        set({ storage });
      },

      reloadModel: () => {
        const s = get();
        return s.loadModel(lastSource ?? { kind: 'embedded', manifestUrl: embeddedManifestUrl() }, s.backendChoice);
      },

      chooseBackend: async (choice) => {
        if (choice === get().backendChoice && get().model.status !== 'failed') return;
        // Auto chosen by hand: the model's remembered hand-picked backend no longer applies (a timing still does).
        const m = get().model;
        if (choice === 'auto' && m.status === 'ready' && readBackendMemory()[m.manifest.id]?.kind === 'manual') rememberBackend(m.manifest.id, null);
        set({ backendChoice: choice });
        const source = inUseSource ?? lastSource;
        if (source !== null) await get().loadModel(source, choice);
      },

      generate: async () => {
        const s = get();
        if (s.run.status !== 'idle' || s.model.status !== 'ready') return;
        const params = draftToParams(s.draft);
        const issues = validateParams(params, s.model.manifest);
        s.setIssues(issues);
        if (issues.length > 0) return;
        const container = s.container;
        const manifest = s.model.manifest;
        const made = {
          params,
          model: { id: manifest.id, name: manifest.name, manifestSha256: await manifestDigest(s.modelSource && 'manifestUrl' in s.modelSource ? s.modelSource.manifestUrl : null, manifest) },
          backend: s.model.backendInfo.backend,
        };
        const tags = provenanceTags({ version: KINETO_VERSION, modelId: made.model.id, manifestSha256: made.model.manifestSha256, backend: made.backend, params }, { includePrompt: s.promptInFile });
        if (get().run.status !== 'idle') return;
        set({
          error: null,
          run: { ...idleRun, status: 'running', stage: 'encode-text', totalSteps: params.steps, totalFrames: params.frames, fps: params.fps },
        });
        const worker = ensureClient();
        try {
          const reply = await worker.send(
            { type: 'generate', params, container, preview: s.previewMode, tags },
            (event) => get().applyWorkerEvent(event),
            (id) => set((st) => ({ run: { ...st.run, requestId: id } })),
          );
          if (isCancelled(reply)) {
            set((st) => ({ run: { ...st.run, status: 'idle', requestId: null, stage: null, outcome: 'cancelled' }, error: null }));
            return;
          }
          const previous = get().result;
          const result = toResult(reply, URL.createObjectURL(reply.video), container, made);
          set((st) => ({ result, run: { ...st.run, status: 'idle', requestId: null, stage: null, outcome: 'done' } }));
          if (previous) URL.revokeObjectURL(previous.url);
        } catch (e) {
          // A worker that died mid-run has been restarted, and a notice said so: no error on top.
          const restarted = worker !== client && get().model.status !== 'failed';
          set((st) => ({
            run: { ...st.run, status: 'idle', requestId: null, stage: null, outcome: 'failed' },
            error: restarted ? null : errorInfo(e),
          }));
        }
      },

      cancel: async () => {
        const { run } = get();
        if (run.status !== 'running' || run.requestId === null || client === null) return;
        set({ run: { ...run, status: 'cancelling' } });
        try {
          await client.cancel(run.requestId);
        } catch {
          // The run's own reply (cancelled, done or error) settles the state either way.
        }
      },

      labRequest: (request, onEvent, started) => ensureClient().send(request, onEvent, started),

      cancelRequest: async (id) => {
        await client?.cancel(id).catch(() => {});
      },

      applyWorkerEvent: (event) => set((s) => reduceWorkerEvent(s, event)),

      shutdown: () => {
        loadSeq++;
        client?.terminate();
        client = null;
        started = false;
        const { result } = get();
        if (result) URL.revokeObjectURL(result.url);
        set({ result: null, run: idleRun, model: { status: 'idle' }, download: null });
      },
    };
  };
}
