/**
 * The download gate and the download itself. Before a first download the model's manifest is read and checked
 * against this browser; a model that cannot run here, or whose licence must be accepted or has a notice to read,
 * becomes the `offer` and waits for the person. Pausing keeps the bytes that arrived; cancelling deletes them.
 */
import { assessModel } from '../engine/requirements';
import { deviceCapabilities, mustConfirm, offerBlocker } from './catalog-slice';
import { embeddedManifestUrl, readManifest } from './catalog-actions';
import type { EngineContext } from './engine-context';
import { manifestUrlProblem } from './weights-slice';

export type DownloadActions = {
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
  /** Stops the download in progress, keeping what has arrived; `loadFromUrl` with the same URL resumes it. */
  pauseDownload(): Promise<void>;
  /** Stops the download in progress (or forgets a paused one) and deletes what has arrived. */
  cancelDownload(): Promise<void>;
};

export function createDownloadActions(ctx: EngineContext): DownloadActions {
  const { set, get } = ctx;
  /** `navigator.storage.persist()` is asked once, at the first download. */
  let persistAsked = false;

  /** The download itself, once the gate has passed. */
  const download = async (url: string): Promise<void> => {
    if (!persistAsked) {
      persistAsked = true;
      // Asks the browser not to evict downloaded models under storage pressure (page-only API).
      await navigator.storage?.persist?.().catch(() => false);
    }
    await get().loadModel({ kind: 'url', manifestUrl: url }, get().backendChoice);
  };

  return {
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
      ctx.licenses.set(url, manifest.license);
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

    pauseDownload: async () => {
      const d = get().download;
      if (!d || d.status !== 'downloading' || d.requestId === null || !ctx.client) return;
      await ctx.client.cancel(d.requestId).catch(() => {});
      await ctx.currentLoad;
    },

    cancelDownload: async () => {
      if (get().download?.status === 'downloading') await get().pauseDownload();
      const d = get().download;
      if (!d) return;
      const modelId = d.progress?.modelId;
      set({ download: null });
      if (modelId) await get().deleteCachedModel(modelId);
    },
  };
}
