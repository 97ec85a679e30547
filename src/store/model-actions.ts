/**
 * Loading and switching models. A load with a model in use is a switch, make before break: the model in use stays
 * until the new one works, and any failure leaves it in place. A later load supersedes an earlier one, whose replies
 * and events are then ignored.
 */
import { memoryAfterLoad } from '../engine/backend-choice';
import { type BackendChoice, type FolderInput, isCancelled, type ModelSource } from '../worker/protocol';
import { manifestDigest } from '../provenance/manifest-digest';
import { readBackendMemory, rememberBackend } from './backend-memory';
import { embeddedManifestUrl } from './catalog-actions';
import type { EngineContext } from './engine-context';
import type { ModelSourceInfo } from './engine-slice';
import type { BackendSetting } from './settings-slice';
import { ensureClient, errorInfo } from './worker-connection';

export type ModelActions = {
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
  /** Loads a model from a folder the person picked (read in place, not copied into the browser's storage). */
  loadFromFolder(name: string, folder: FolderInput): Promise<void>;
  /** Loads the last model again (after a failure or a crash). */
  reloadModel(): Promise<void>;
  /** Sets the backend choice and reloads the model on it. */
  chooseBackend(choice: BackendSetting): Promise<void>;
};

/** What the store shows of a source (a folder's files stay out of the store). */
function sourceInfo(source: ModelSource): ModelSourceInfo {
  return source.kind === 'folder' ? { kind: 'folder', name: source.name } : { kind: source.kind, manifestUrl: source.manifestUrl };
}

export function createModelActions(ctx: EngineContext): ModelActions {
  const { set, get } = ctx;

  /** Runs the warm-up for the Speed choice in the form; the worker skips it once it has had its warm-up. */
  const warmUpCpu = async (modelId: string) => {
    const before = get().warmUp;
    set({ warmUp: { status: 'running', modelId } });
    const { draft, previewMode } = get();
    const reply = await ensureClient(ctx).send({ type: 'warm-up', preset: draft.preset, preview: previewMode }).catch(() => null);
    if (get().warmUp?.status !== 'running' || get().warmUp?.modelId !== modelId) return;
    if (reply?.report) set({ warmUp: { status: 'done', modelId, report: reply.report } });
    else set({ warmUp: before?.status === 'done' && before.modelId === modelId ? before : null });
  };

  const load = async (source: ModelSource, backend: BackendChoice, releaseFirst: boolean) => {
    const seq = ++ctx.loadSeq;
    // One download at a time: a new load pauses the one in flight (its bytes stay stored).
    const running = get().download;
    if (running?.status === 'downloading' && running.requestId !== null) void ctx.client?.cancel(running.requestId).catch(() => {});
    // With a model in use this is a switch: that model stays in `model`, usable, until the new one is ready.
    const replacing = get().model.status === 'ready';
    const progress = { stage: 'manifest' as const, file: null, loadedBytes: 0, totalBytes: 0 };
    ctx.lastSource = source;
    ctx.loadRequestId = null;
    const same = get().download?.manifestUrl === (source.kind === 'url' ? source.manifestUrl : null) ? get().download : null;
    const download = source.kind === 'url'
      ? { status: 'downloading' as const, manifestUrl: source.manifestUrl, requestId: null, progress: same?.progress ?? null, license: ctx.licenses.get(source.manifestUrl) ?? same?.license ?? null }
      : get().download?.status === 'downloading' ? null : get().download;
    if (replacing) set({ switching: { status: 'loading', source: sourceInfo(source), ...progress }, error: null, download });
    else set({ modelSource: sourceInfo(source), model: { status: 'loading', ...progress }, switching: null, error: null, download });
    try {
      const backendMemory = readBackendMemory();
      const reply = await ensureClient(ctx).send({ type: 'load-model', source, backend, releaseFirst, backendMemory, probeSoftwareAdapters: get().probeSoftwareAdapters }, (event) => {
        // The reply carries the new backend; a `backend` event now would relabel the model still in use.
        if (seq === ctx.loadSeq && event.type !== 'backend') get().applyWorkerEvent(event);
      }, (id) => {
        ctx.loadRequestId = id;
        const d = get().download;
        if (source.kind === 'url' && d) set({ download: { ...d, requestId: id } });
      });
      if (seq !== ctx.loadSeq) return;
      if (isCancelled(reply)) {
        // Paused (a `url` download keeps what arrived) or overtaken by a newer load: a model in use stays in use.
        const d = get().download;
        const keep = get().model.status === 'ready';
        if (keep) ctx.lastSource = ctx.inUseSource;
        set({ switching: null, download: source.kind === 'url' ? (d?.progress ? { ...d, status: 'paused', requestId: null } : null) : d, ...(keep ? {} : { model: { status: 'idle' } }) });
        return;
      }
      // The provenance digest is read here, once per load, so that a run never waits on the manifest's fetch.
      const manifestSha256 = await manifestDigest(source.kind === 'folder' ? null : source.manifestUrl, reply.manifest);
      if (seq !== ctx.loadSeq) return;
      ctx.inUseSource = source;
      ctx.restarts = 0;
      const { selection } = reply.backend;
      const memory = memoryAfterLoad(selection);
      if (memory) rememberBackend(reply.manifest.id, memory);
      // A backend chosen by hand for this model earlier shows as the choice again.
      if (selection.how === 'remembered-manual') set({ backendChoice: selection.backend });
      set({
        model: { status: 'ready', manifest: reply.manifest, manifestSha256, backendInfo: reply.backend, loadSeconds: reply.loadSeconds },
        modelSource: sourceInfo(source),
        switching: null,
      });
      if (source.kind === 'url') set({ download: null });
      if (get().draftModelId !== reply.manifest.id) get().applyModelDefaults(reply.manifest);
      if (reply.backend.backend === 'wasm') void warmUpCpu(reply.manifest.id);
      else set({ warmUp: null });
    } catch (e) {
      if (seq !== ctx.loadSeq) return;
      const d = get().download;
      // A download that never got as far as its first file shows no download block.
      const started = d !== null && d.progress !== null;
      const stopped = source.kind === 'url' ? (started ? { ...d, status: 'failed' as const, requestId: null } : null) : d;
      // Whatever went wrong, the worker still runs the model it had: a model in use stays in use.
      const keep = get().model.status === 'ready';
      if (keep) ctx.lastSource = ctx.inUseSource;
      const error = errorInfo(e);
      if (error.code === 'release-needed') {
        ctx.lastSource = source;
        set({ switching: { status: 'confirm-release', source: sourceInfo(source), message: error.message }, download: stopped });
      } else if (keep) {
        ctx.lastSource = source;
        set({ switching: { status: 'failed', source: sourceInfo(source), error }, download: stopped });
      } else {
        set({ model: { status: 'failed', error }, error, download: stopped });
      }
    } finally {
      if (seq === ctx.loadSeq) ctx.loadRequestId = null;
      if (source.kind === 'url' && seq === ctx.loadSeq) void get().refreshStorage();
    }
  };

  return {
    loadModel: (source, backend, releaseFirst = false) => {
      ctx.currentLoad = load(source, backend, releaseFirst);
      return ctx.currentLoad;
    },

    cancelLoad: async () => {
      if (ctx.loadRequestId === null || !ctx.client) return;
      await ctx.client.cancel(ctx.loadRequestId).catch(() => {});
      await ctx.currentLoad;
    },

    confirmRelease: async () => {
      const { switching } = get();
      if (switching?.status !== 'confirm-release' || !ctx.lastSource) return;
      await get().loadModel(ctx.lastSource, get().backendChoice, true);
    },

    loadFromFolder: (name, folder) => get().loadModel({ kind: 'folder', name, folder }, get().backendChoice),

    reloadModel: () => {
      const s = get();
      return s.loadModel(ctx.lastSource ?? { kind: 'embedded', manifestUrl: embeddedManifestUrl() }, s.backendChoice);
    },

    chooseBackend: async (choice) => {
      if (choice === get().backendChoice && get().model.status !== 'failed') return;
      // Auto chosen by hand: the model's remembered hand-picked backend no longer applies (a timing still does).
      const m = get().model;
      if (choice === 'auto' && m.status === 'ready' && readBackendMemory()[m.manifest.id]?.kind === 'manual') rememberBackend(m.manifest.id, null);
      set({ backendChoice: choice });
      const source = ctx.inUseSource ?? ctx.lastSource;
      if (source !== null) await get().loadModel(source, choice);
    },
  };
}
