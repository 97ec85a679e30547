/**
 * Weights in Cache Storage, for browsers without OPFS sync access handles. The Cache API stores whole responses
 * and cannot append, so a file is a sequence of chunk entries (one per flush); reading it back concatenates their
 * disk-backed Blobs without loading them. Keys live under a path of this origin that the app never serves:
 * `/__kineto-weights__/<model id>/record.json` and `/__kineto-weights__/<model id>/f-<file path>/<chunk #>`.
 */
import { fromSafeName, parseRecord, safeName, type FileWriter, type ModelRecord, type WeightStore } from './store';

const CACHE = 'kineto-weights';
const PREFIX = '/__kineto-weights__/';

export function cacheStorageAvailable(): boolean {
  return typeof caches !== 'undefined';
}

export class CacheStore implements WeightStore {
  readonly kind = 'cache-storage' as const;

  private constructor(private readonly cache: Cache, private readonly origin: string) {}

  static async open(): Promise<CacheStore> {
    return new CacheStore(await caches.open(CACHE), self.location.origin);
  }

  private key(modelId: string, rest: string): string {
    return `${this.origin}${PREFIX}${safeName(modelId)}/${rest}`;
  }

  private fileKey(modelId: string, path: string): string {
    return this.key(modelId, `f-${safeName(path)}/`);
  }

  /** Chunk entries of a file, in order, with their sizes. */
  private async chunks(modelId: string, path: string): Promise<{ url: string; index: number; blob: Blob }[]> {
    const prefix = this.fileKey(modelId, path);
    const out: { url: string; index: number; blob: Blob }[] = [];
    for (const req of await this.cache.keys()) {
      if (!req.url.startsWith(prefix)) continue;
      const res = await this.cache.match(req);
      if (res) out.push({ url: req.url, index: Number(req.url.slice(prefix.length)), blob: await res.blob() });
    }
    return out.sort((a, b) => a.index - b.index);
  }

  async listModelIds(): Promise<string[]> {
    const ids = new Set<string>();
    const base = `${this.origin}${PREFIX}`;
    for (const req of await this.cache.keys()) {
      if (!req.url.startsWith(base)) continue;
      ids.add(fromSafeName(req.url.slice(base.length).split('/')[0]!));
    }
    return [...ids].sort();
  }

  async readRecord(modelId: string): Promise<ModelRecord | null> {
    const res = await this.cache.match(this.key(modelId, 'record.json'));
    return res ? parseRecord(await res.text()) : null;
  }

  async writeRecord(record: ModelRecord): Promise<void> {
    await this.cache.put(this.key(record.id, 'record.json'), new Response(JSON.stringify(record), { headers: { 'Content-Type': 'application/json' } }));
  }

  async fileSize(modelId: string, path: string): Promise<number> {
    return (await this.chunks(modelId, path)).reduce((a, c) => a + c.blob.size, 0);
  }

  async openWriter(modelId: string, path: string, offset: number): Promise<FileWriter> {
    // Keep whole chunks below `offset`, cut the one it falls in, drop the rest.
    let stored = 0;
    let next = 0;
    for (const c of await this.chunks(modelId, path)) {
      if (stored >= offset) await this.cache.delete(c.url);
      else if (stored + c.blob.size > offset) {
        await this.cache.put(c.url, new Response(c.blob.slice(0, offset - stored)));
        next = c.index + 1;
      } else next = c.index + 1;
      stored += c.blob.size;
    }
    const prefix = this.fileKey(modelId, path);
    let pending: Uint8Array[] = [];
    const flush = async () => {
      if (pending.length === 0) return;
      const body = new Blob(pending as BlobPart[]);
      pending = [];
      await this.cache.put(`${prefix}${String(next).padStart(8, '0')}`, new Response(body));
      next++;
    };
    return {
      write: async (chunk) => {
        pending.push(chunk.slice());
      },
      flush,
      close: flush,
    };
  }

  async readFile(modelId: string, path: string): Promise<Blob | null> {
    const chunks = await this.chunks(modelId, path);
    if (chunks.length === 0) return null;
    return new Blob(chunks.map((c) => c.blob));
  }

  async deleteFile(modelId: string, path: string): Promise<void> {
    for (const c of await this.chunks(modelId, path)) await this.cache.delete(c.url);
  }

  async deleteModel(modelId: string): Promise<void> {
    const prefix = this.key(modelId, '');
    for (const req of await this.cache.keys()) if (req.url.startsWith(prefix)) await this.cache.delete(req);
  }

  async modelBytes(modelId: string): Promise<number> {
    const prefix = this.key(modelId, '');
    let total = 0;
    for (const req of await this.cache.keys()) {
      if (!req.url.startsWith(prefix)) continue;
      const res = await this.cache.match(req);
      if (res) total += (await res.blob()).size;
    }
    return total;
  }
}
