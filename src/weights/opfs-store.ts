/// <reference lib="webworker" />
/// <reference lib="dom.asynciterable" />
/**
 * Weights in the Origin Private File System, written through `FileSystemSyncAccessHandle` (dedicated workers
 * only). Measured in Chromium 156: a sync handle writes in place at any offset (100 MB in ≈0.3 s) and `getFile()`
 * still works while it is open; `createWritable({ keepExistingData: true })` instead copies the whole file to a
 * swap file on every open and commits only on `close()` — appending a chunk at a time would be quadratic, and
 * bytes not yet committed are lost on reload. So: one sync handle per download, `flush()` every few MB.
 *
 * Layout: `kineto-weights/<model id>/record.json` and `kineto-weights/<model id>/f-<file path>` (names escaped
 * with `safeName`).
 */
import { fromSafeName, parseRecord, safeName, type FileWriter, type ModelRecord, type WeightStore } from './store';

const ROOT = 'kineto-weights';
const RECORD = 'record.json';

/** True where this context can use OPFS with sync access handles (a dedicated worker in current browsers). */
export function opfsAvailable(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.storage?.getDirectory === 'function'
    && typeof FileSystemFileHandle !== 'undefined' && 'createSyncAccessHandle' in FileSystemFileHandle.prototype;
}

const fileName = (path: string) => `f-${safeName(path)}`;

function isNotFound(e: unknown): boolean {
  return e instanceof DOMException && (e.name === 'NotFoundError' || e.name === 'TypeMismatchError');
}

export class OpfsStore implements WeightStore {
  readonly kind = 'opfs' as const;

  private constructor(private readonly root: FileSystemDirectoryHandle) {}

  static async open(): Promise<OpfsStore> {
    const top = await navigator.storage.getDirectory();
    return new OpfsStore(await top.getDirectoryHandle(ROOT, { create: true }));
  }

  private async dir(modelId: string, create: boolean): Promise<FileSystemDirectoryHandle | null> {
    try {
      return await this.root.getDirectoryHandle(safeName(modelId), { create });
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  private async file(modelId: string, name: string, create: boolean): Promise<FileSystemFileHandle | null> {
    const dir = await this.dir(modelId, create);
    if (!dir) return null;
    try {
      return await dir.getFileHandle(name, { create });
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  async listModelIds(): Promise<string[]> {
    const ids: string[] = [];
    for await (const [name, handle] of this.root.entries()) if (handle.kind === 'directory') ids.push(fromSafeName(name));
    return ids.sort();
  }

  async readRecord(modelId: string): Promise<ModelRecord | null> {
    const h = await this.file(modelId, RECORD, false);
    return h ? parseRecord(await (await h.getFile()).text()) : null;
  }

  async writeRecord(record: ModelRecord): Promise<void> {
    const h = (await this.file(record.id, RECORD, true))!;
    const bytes = new TextEncoder().encode(JSON.stringify(record));
    const access = await h.createSyncAccessHandle();
    try {
      access.truncate(0);
      access.write(bytes, { at: 0 });
      access.flush();
    } finally {
      access.close();
    }
  }

  async fileSize(modelId: string, path: string): Promise<number> {
    const h = await this.file(modelId, fileName(path), false);
    return h ? (await h.getFile()).size : 0;
  }

  async openWriter(modelId: string, path: string, offset: number): Promise<FileWriter> {
    const h = (await this.file(modelId, fileName(path), true))!;
    const access = await h.createSyncAccessHandle();
    let at = offset;
    try {
      access.truncate(offset);
    } catch (e) {
      access.close();
      throw e;
    }
    let closed = false;
    return {
      write: async (chunk) => {
        let done = 0;
        while (done < chunk.byteLength) {
          const n = access.write(chunk.subarray(done), { at: at + done });
          if (n <= 0) throw new DOMException('No space available for this operation', 'QuotaExceededError');
          done += n;
        }
        at += done;
      },
      flush: async () => access.flush(),
      close: async () => {
        if (closed) return;
        closed = true;
        try {
          access.flush();
        } finally {
          access.close();
        }
      },
    };
  }

  async readFile(modelId: string, path: string): Promise<Blob | null> {
    const h = await this.file(modelId, fileName(path), false);
    return h ? h.getFile() : null;
  }

  async deleteFile(modelId: string, path: string): Promise<void> {
    const dir = await this.dir(modelId, false);
    try {
      await dir?.removeEntry(fileName(path));
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  async deleteModel(modelId: string): Promise<void> {
    try {
      await this.root.removeEntry(safeName(modelId), { recursive: true });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  async modelBytes(modelId: string): Promise<number> {
    const dir = await this.dir(modelId, false);
    if (!dir) return 0;
    let total = 0;
    for await (const handle of dir.values()) if (handle.kind === 'file') total += (await (handle as FileSystemFileHandle).getFile()).size;
    return total;
  }
}
