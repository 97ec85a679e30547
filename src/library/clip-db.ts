/**
 * The Library's IndexedDB database (through `idb`): `clips` holds its entries, clips and films alike (library-entry.ts;
 * indexed by date, so the grid lists both newest first; older clip versions are upgraded as they are read), `videos`
 * the bytes. Each write is its own transaction on a fresh id, so two tabs
 * saving at once never overwrite each other.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { ClipVideo } from './clip-record';
import { upgradeEntry } from './clip-versions';
import { type LibraryEntry, libraryEntryLabel, libraryEntryProblem } from './library-entry';

export const LIBRARY_DB = 'kineto-library';

interface LibrarySchema extends DBSchema {
  clips: { key: string; value: LibraryEntry; indexes: { createdAt: number } };
  videos: { key: string; value: ClipVideo };
}

export type LibraryDb = IDBPDatabase<LibrarySchema>;

export function openLibraryDb(): Promise<LibraryDb> {
  return openDB<LibrarySchema>(LIBRARY_DB, 1, {
    upgrade(db) {
      db.createObjectStore('clips', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
      db.createObjectStore('videos', { keyPath: 'id' });
    },
  });
}

/** Writes the entry (a clip's or a film's) and its video together: either both are stored or neither. */
export async function putClip(db: LibraryDb, entry: LibraryEntry, video: Blob): Promise<void> {
  const tx = db.transaction(['clips', 'videos'], 'readwrite');
  await Promise.all([tx.objectStore('clips').put(entry), tx.objectStore('videos').put({ id: entry.id, video }), tx.done]);
}

/** A stored value that is not a usable entry: its key and a readable name, for the message that it was skipped. */
export type DamagedEntry = { key: string; label: string; problem: string };

/**
 * The ids of every dated entry, newest first (same date: larger id first), read from the date index as keys only:
 * cheap at any Library size, and the grid's order, total and pages all come from it.
 */
export async function listIdsNewestFirst(db: LibraryDb): Promise<string[]> {
  return (await db.getAllKeysFromIndex('clips', 'createdAt')).reverse();
}

/**
 * The entries of `ids`, in that order, read in one transaction with every request in flight at once (one page of
 * the grid: metadata and posters, never a video). Values that are not usable entries come back as damaged; ids
 * deleted meanwhile (another tab) are left out.
 */
export async function readClips(db: LibraryDb, ids: readonly string[]): Promise<{ entries: LibraryEntry[]; damaged: DamagedEntry[] }> {
  const store = db.transaction('clips').store;
  const values: unknown[] = (await Promise.all(ids.map((id) => store.get(id)))).map(upgradeEntry);
  const entries: LibraryEntry[] = [];
  const damaged: DamagedEntry[] = [];
  values.forEach((value, i) => {
    if (value === undefined) return;
    const problem = libraryEntryProblem(value);
    if (problem === null) entries.push(value as LibraryEntry);
    else damaged.push({ key: ids[i]!, label: libraryEntryLabel(value), problem });
  });
  return { entries, damaged };
}

/** Entries the date index leaves out (no valid date): damaged; `dated` is how many the index holds. */
export async function listUndated(db: LibraryDb, dated: number): Promise<DamagedEntry[]> {
  const store = db.transaction('clips').store;
  if ((await store.count()) === dated) return [];
  const inIndex = new Set(await store.index('createdAt').getAllKeys());
  const damaged: DamagedEntry[] = [];
  for (const key of await store.getAllKeys()) {
    if (inIndex.has(key)) continue;
    const value = upgradeEntry(await store.get(key));
    damaged.push({ key, label: libraryEntryLabel(value), problem: libraryEntryProblem(value) ?? 'no date' });
  }
  return damaged;
}

/** The video of a clip or film; null when its bytes are gone. */
export async function readVideo(db: LibraryDb, id: string): Promise<Blob | null> {
  const v = await db.get('videos', id);
  return v?.video instanceof Blob ? v.video : null;
}

export async function deleteClip(db: LibraryDb, id: string): Promise<void> {
  const tx = db.transaction(['clips', 'videos'], 'readwrite');
  await Promise.all([tx.objectStore('clips').delete(id), tx.objectStore('videos').delete(id), tx.done]);
}

export async function deleteAllClips(db: LibraryDb): Promise<void> {
  const tx = db.transaction(['clips', 'videos'], 'readwrite');
  await Promise.all([tx.objectStore('clips').clear(), tx.objectStore('videos').clear(), tx.done]);
}
