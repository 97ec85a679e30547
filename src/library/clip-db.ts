/**
 * The Library's IndexedDB database (through `idb`): `clips` holds ClipEntry records (indexed by date), `videos`
 * the bytes. Each write is its own transaction on a fresh id, so two tabs saving at once never overwrite each other.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import { type ClipEntry, type ClipVideo, entryLabel, entryProblem } from './clip-record';

export const LIBRARY_DB = 'kineto-library';

interface LibrarySchema extends DBSchema {
  clips: { key: string; value: ClipEntry; indexes: { createdAt: number } };
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

/** Writes the entry and its video together: either both are stored or neither. */
export async function putClip(db: LibraryDb, entry: ClipEntry, video: Blob): Promise<void> {
  const tx = db.transaction(['clips', 'videos'], 'readwrite');
  await Promise.all([tx.objectStore('clips').put(entry), tx.objectStore('videos').put({ id: entry.id, video }), tx.done]);
}

/** A stored value that is not a usable entry: its key and a readable name, for the message that it was skipped. */
export type DamagedEntry = { key: string; label: string; problem: string };

/** Every good entry, newest first, and the damaged ones skipped. */
export async function listClips(db: LibraryDb): Promise<{ entries: ClipEntry[]; damaged: DamagedEntry[] }> {
  const entries: ClipEntry[] = [];
  const damaged: DamagedEntry[] = [];
  let cursor = await db.transaction('clips').store.index('createdAt').openCursor(null, 'prev');
  while (cursor) {
    const problem = entryProblem(cursor.value);
    if (problem === null) entries.push(cursor.value);
    else damaged.push({ key: String(cursor.primaryKey), label: entryLabel(cursor.value), problem });
    cursor = await cursor.continue();
  }
  // Values without a valid date are absent from the index; find them by key.
  const indexed = entries.length + damaged.length;
  if (indexed < (await db.count('clips'))) {
    const seen = new Set([...entries.map((e) => e.id), ...damaged.map((d) => d.key)]);
    for (const key of await db.getAllKeys('clips')) {
      if (seen.has(key)) continue;
      const value: unknown = await db.get('clips', key);
      damaged.push({ key, label: entryLabel(value), problem: entryProblem(value) ?? 'no date' });
    }
  }
  return { entries, damaged };
}

/** The video of a clip; null when its bytes are gone. */
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
