/**
 * Made shots kept in this browser (IndexedDB), by key (film-plan.ts), so that a reload mid-film loses at most the shot
 * being made and Resume film carries on. Only the shots of the board on screen are kept: each run lets the others go.
 * A browser that will not keep them (no IndexedDB, storage full) still makes films; only resuming is lost.
 */
import type { ShotKeeper, ShotResult } from './film-engine';

const DB_NAME = 'kineto-films';
const STORE = 'shots';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

let opened: Promise<IDBDatabase> | null = null;
function database(): Promise<IDBDatabase> {
  if (!opened) {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    opened = request(open);
    opened.catch(() => (opened = null));
  }
  return opened;
}

async function inStore<T>(mode: IDBTransactionMode, job: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await database();
  return request(job(db.transaction(STORE, mode).objectStore(STORE)));
}

/** The app's keeper; every failure is swallowed into "not kept" (resuming is a convenience, never a reason to fail). */
export const indexedDbShotKeeper: ShotKeeper = {
  save: async (key, result) => {
    await inStore('readwrite', (s) => s.put(result.frames, key)).catch(() => undefined);
  },
  load: async (key) => {
    const frames = await inStore('readonly', (s) => s.get(key) as IDBRequest<ShotResult['frames'] | undefined>).catch(() => undefined);
    return frames ? { frames } : null;
  },
  keys: async () => (await inStore('readonly', (s) => s.getAllKeys()).catch(() => [])).map(String),
  keepOnly: async (keys) => {
    const keep = new Set(keys);
    const stored = await indexedDbShotKeeper.keys();
    await Promise.all(stored.filter((k) => !keep.has(k)).map((k) => inStore('readwrite', (s) => s.delete(k)).catch(() => undefined)));
  },
};
