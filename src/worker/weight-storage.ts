/// <reference lib="webworker" />
/**
 * The worker's side of the weight store: the store, opened on first use; the files of a model source (a `url`
 * model downloaded into the store first); the download in progress, so that deleting its model stops it; and the
 * storage requests (`list-models`, `delete-model`, `storage-info`, `storage-settings`).
 */
import { AUTOMATION } from '../automation';
import { KinetoError } from '../engine/errors';
import type { VariantTarget } from '../engine/variants';
import { httpSource } from '../runtime/load-model';
import type { FileSource } from '../weights/file-source';
import { cachedHttpSource } from '../weights/cached-source';
import { listCachedModels, storageInfo } from '../weights/catalog';
import { folderSource } from '../weights/folder-source';
import { openWeightStore } from '../weights/open-store';
import type { Estimate } from '../weights/quota';
import type { StoreKind, WeightStore } from '../weights/store';
import type { ModelSource, Results } from './protocol';
import { cancelRequest, type RequestContext } from './request-queue';
import { overrideQuota, withQuotaOverride } from './test-faults';

declare const self: DedicatedWorkerGlobalScope;

// `storage-settings` can force a store kind (automation); the store then opens again.
let preferredStore: StoreKind | undefined;
let storePromise: Promise<WeightStore> | null = null;
function weightStore(): Promise<WeightStore> {
  storePromise ??= openWeightStore(preferredStore).catch((e: unknown) => {
    storePromise = null;
    throw e;
  });
  return storePromise;
}
const estimate: Estimate = async () => {
  const e = await navigator.storage.estimate();
  return AUTOMATION ? withQuotaOverride(e) : e;
};

/** The `url` download in progress, so that deleting its model stops it first. */
let activeDownload: { manifestUrl: string; requestId: number; settled: Promise<unknown> } | null = null;

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
 * cancellable through the request's signal), so the model already loaded stays usable until its replacement is on disk.
 */
export async function openSource(request: RequestContext, source: ModelSource, variants: VariantTarget): Promise<FileSource> {
  const { emit } = request;
  switch (source.kind) {
    case 'embedded':
      return httpSource(new URL('./', manifestHref(source.manifestUrl)).href);
    case 'folder':
      return folderSource(source.folder, source.name);
    case 'url': {
      const manifestUrl = manifestHref(source.manifestUrl);
      const store = await weightStore();
      const files = cachedHttpSource(manifestUrl, store, (progress) => emit({ type: 'download-progress', progress }), request.signal, {
        estimate,
        onNotice: (message) => emit({ type: 'notice', message }),
        variants,
      });
      const settled = files.prefetch();
      const mine = { manifestUrl, requestId: request.id, settled: settled.catch(() => {}) };
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

export async function listModels(): Promise<Results['list-models']> {
  // A browser without any usable storage has simply nothing cached.
  const store = await weightStore().catch(() => null);
  return { models: store ? await listCachedModels(store) : [] };
}

/** Deletes a cached model; a download of it in progress is stopped first (its request ends as cancelled). */
export async function deleteModel(modelId: string): Promise<Results['delete-model']> {
  const store = await weightStore();
  const record = await store.readRecord(modelId).catch(() => null);
  const running = activeDownload;
  if (running && record && running.manifestUrl === record.manifestUrl) {
    cancelRequest(running.requestId);
    await running.settled;
  }
  const deletedBytes = await store.modelBytes(modelId);
  await store.deleteModel(modelId);
  return { deletedBytes };
}

export async function readStorageInfo(): Promise<Results['storage-info']> {
  return storageInfo(await weightStore().catch(() => null), estimate);
}

/** Applies `storage-settings`: a pretended quota, or a store kind forced (null: back to the browser's own). */
export function changeStorage(settings: { quotaBytes?: number | null; store?: StoreKind | null }): Promise<Results['storage-settings']> {
  if (settings.quotaBytes !== undefined) overrideQuota(settings.quotaBytes);
  if (settings.store !== undefined && (settings.store ?? undefined) !== preferredStore) {
    preferredStore = settings.store ?? undefined;
    storePromise = null;
  }
  return readStorageInfo();
}
