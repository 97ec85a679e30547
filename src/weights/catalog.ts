/** What is cached, how big it is, and how much room is left: the weight store as the model panel lists it. */
import type { Estimate } from './quota';
import type { StoreKind, WeightStore } from './store';

/** One cached model, complete or partial. */
export type CachedModel = {
  id: string;
  name: string;
  manifestUrl: string;
  /** Bytes its files and record take on disk. */
  bytesOnDisk: number;
  /** Sum of the file sizes the manifest gives. */
  totalBytes: number;
  /** Bytes of those files stored so far. */
  storedBytes: number;
  /** Every file downloaded and verified. */
  complete: boolean;
  /** Milliseconds since the epoch of the last change. */
  updatedAt: number;
};

export type StorageInfo = {
  store: StoreKind | null;
  /** Bytes this site uses in all browser storage, as the browser reports it (null when it does not). */
  usedBytes: number | null;
  quotaBytes: number | null;
  /** Whether the browser promised not to evict this site's storage under pressure. */
  persisted: boolean | null;
};

export async function listCachedModels(store: WeightStore): Promise<CachedModel[]> {
  const out: CachedModel[] = [];
  for (const id of await store.listModelIds()) {
    const r = await store.readRecord(id).catch(() => null);
    const bytesOnDisk = await store.modelBytes(id);
    if (!r) {
      // A folder without a readable record: list it so it can be deleted.
      out.push({ id, name: id, manifestUrl: '', bytesOnDisk, totalBytes: 0, storedBytes: 0, complete: false, updatedAt: 0 });
      continue;
    }
    const files = Object.values(r.files);
    out.push({
      id,
      name: r.name,
      manifestUrl: r.manifestUrl,
      bytesOnDisk,
      totalBytes: files.reduce((a, f) => a + (f.expectedBytes ?? f.storedBytes), 0),
      storedBytes: files.reduce((a, f) => a + f.storedBytes, 0),
      complete: files.length > 0 && files.every((f) => f.sha256 !== null),
      updatedAt: r.updatedAt,
    });
  }
  return out.sort((a, b) => b.updatedAt - a.updatedAt);
}

export async function storageInfo(store: WeightStore | null, estimate: Estimate): Promise<StorageInfo> {
  let usedBytes: number | null = null;
  let quotaBytes: number | null = null;
  try {
    const e = await estimate();
    usedBytes = e.usage ?? null;
    quotaBytes = e.quota ?? null;
  } catch {
    // Unknown; shown as such.
  }
  let persisted: boolean | null = null;
  try {
    persisted = typeof navigator.storage?.persisted === 'function' ? await navigator.storage.persisted() : null;
  } catch {
    persisted = null;
  }
  return { store: store?.kind ?? null, usedBytes, quotaBytes, persisted };
}
