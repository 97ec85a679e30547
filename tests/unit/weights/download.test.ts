/**
 * downloadFile against a real HTTP server on 127.0.0.1 (the browser harness's static server, with fault injection)
 * and an in-memory WeightStore: cut connections resume with Range, a server that ignores Range restarts cleanly,
 * a corrupt file is named and deleted, a 404 names the file. The browser tests repeat the main cases with OPFS.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CancelledError, KinetoError } from '../../../src/engine/errors';
import { downloadFile } from '../../../src/weights/download';
import { ModelEntry } from '../../../src/weights/model-entry';
import type { FileWriter, ModelRecord, WeightStore } from '../../../src/weights/store';
import { startStaticServer, type StaticServer } from '../../browser/harness';

/** Files and records in memory; a flush copies the written bytes into the "durable" view. */
class MemoryStore implements WeightStore {
  readonly kind = 'cache-storage' as const;
  readonly records = new Map<string, string>();
  readonly files = new Map<string, Uint8Array>();
  private key = (id: string, p: string) => `${id}/${p}`;
  async listModelIds() {
    return [...this.records.keys()];
  }
  async readRecord(id: string) {
    const r = this.records.get(id);
    return r ? (JSON.parse(r) as ModelRecord) : null;
  }
  async writeRecord(r: ModelRecord) {
    this.records.set(r.id, JSON.stringify(r));
  }
  async fileSize(id: string, p: string) {
    return this.files.get(this.key(id, p))?.byteLength ?? 0;
  }
  async openWriter(id: string, p: string, offset: number): Promise<FileWriter> {
    const k = this.key(id, p);
    let data = (this.files.get(k) ?? new Uint8Array(0)).slice(0, offset);
    this.files.set(k, data);
    return {
      write: async (chunk) => {
        const next = new Uint8Array(data.byteLength + chunk.byteLength);
        next.set(data);
        next.set(chunk, data.byteLength);
        data = next;
      },
      flush: async () => void this.files.set(k, data),
      close: async () => void this.files.set(k, data),
    };
  }
  async readFile(id: string, p: string) {
    const d = this.files.get(this.key(id, p));
    return d ? new Blob([d as Uint8Array<ArrayBuffer>]) : null;
  }
  async deleteFile(id: string, p: string) {
    this.files.delete(this.key(id, p));
  }
  async deleteModel(id: string) {
    this.records.delete(id);
  }
  async modelBytes() {
    return 0;
  }
}

const SIZE = 3_000_000;
const data = randomBytes(SIZE);
const sha = createHash('sha256').update(data).digest('hex');
let dir: string;
let server: StaticServer;
/** Per-request fault: return true when handled. */
let fault: ((req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => boolean) | null = null;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kineto-dl-'));
  await writeFile(path.join(dir, 'w.bin'), data);
  server = await startStaticServer(dir, { handle: (req, res) => fault?.(req, res) ?? false });
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  fault = null;
  server.requests.length = 0;
});

/** Sends the file (from `start`) but destroys the socket after `limit` body bytes. */
function cutAfter(limit: number) {
  return (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'Content-Length': String(SIZE), 'Content-Type': 'application/octet-stream' });
    res.write(data.subarray(0, limit), () => setTimeout(() => req.socket.destroy(), 20));
    return true;
  };
}

async function entryFor(store: MemoryStore, expectedSha = sha) {
  const entry = await ModelEntry.open(store, { id: 'm', name: 'M', manifestUrl: `${server.url}manifest.json`, manifest: {} });
  await entry.expect('w.bin', { url: `${server.url}w.bin`, expectedBytes: SIZE, expectedSha256: expectedSha });
  return entry;
}

const bodyBytes = () => server.requests.reduce((a, r) => a + r.bytes, 0);

describe('downloadFile', () => {
  it('downloads, verifies and records the sha256', async () => {
    const store = new MemoryStore();
    const entry = await entryFor(store);
    const rec = await downloadFile(entry, 'w.bin');
    expect(rec.sha256).toBe(sha);
    expect(Buffer.from(store.files.get('m/w.bin')!).equals(data)).toBe(true);
    expect(server.requests.map((r) => r.range)).toEqual([null]);
  });

  it('resumes a cut connection with Range: bytes=N- and sends each byte about once', async () => {
    const store = new MemoryStore();
    const entry = await entryFor(store);
    let first = true;
    fault = (req, res) => {
      if (!first) return false;
      first = false;
      return cutAfter(1_000_000)(req, res);
    };
    const notices: string[] = [];
    const rec = await downloadFile(entry, 'w.bin', { retryDelayMs: 10, onNotice: (m) => notices.push(m) });
    expect(rec.sha256).toBe(sha);
    const ranges = server.requests.map((r) => r.range);
    expect(ranges[0]).toBeNull();
    expect(ranges[1]).toMatch(/^bytes=\d+-$/);
    const resumedAt = Number(/bytes=(\d+)-/.exec(ranges[1]!)![1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(1_000_000);
    expect(bodyBytes()).toBeLessThan(SIZE * 1.1);
    expect(notices.join(' ')).toMatch(/interrupted/);
  });

  it('keeps the bytes of a paused download and continues from them later', async () => {
    const store = new MemoryStore();
    const entry = await entryFor(store);
    const controller = new AbortController();
    fault = (req, res) => {
      res.writeHead(200, { 'Content-Length': String(SIZE) });
      res.write(data.subarray(0, 500_000), () => setTimeout(() => controller.abort(), 50));
      return true;
    };
    await expect(downloadFile(entry, 'w.bin', { signal: controller.signal })).rejects.toBeInstanceOf(CancelledError);
    expect(entry.file('w.bin')!.storedBytes).toBe(500_000);
    expect(entry.file('w.bin')!.hashState?.bytes).toBe(500_000);
    fault = null;
    // A fresh entry from the stored record, as after a page reload.
    const again = await entryFor(store);
    expect((await downloadFile(again, 'w.bin')).sha256).toBe(sha);
    expect(server.requests.at(-1)!.range).toBe('bytes=500000-');
  });

  it('restarts cleanly from zero when the server ignores Range (200)', async () => {
    const store = new MemoryStore();
    const entry = await entryFor(store);
    let first = true;
    fault = (req, res) => {
      if (first) {
        first = false;
        return cutAfter(1_200_000)(req, res);
      }
      res.writeHead(200, { 'Content-Length': String(SIZE) }).end(data);
      return true;
    };
    const notices: string[] = [];
    const rec = await downloadFile(entry, 'w.bin', { retryDelayMs: 10, onNotice: (m) => notices.push(m) });
    expect(rec.sha256).toBe(sha);
    expect(server.requests[1]!.range).toMatch(/^bytes=/);
    expect(server.requests[1]!.status).toBe(200);
    expect(notices.join(' ')).toMatch(/ignored the Range header/);
  });

  it('re-checks the stored bytes on 416 and downloads again when they are stale', async () => {
    const store = new MemoryStore();
    const entry = await entryFor(store);
    // Pretend a longer stored prefix than the server's file from an older version.
    const w = await store.openWriter('m', 'w.bin', 0);
    await w.write(randomBytes(100));
    await w.close();
    await entry.update('w.bin', { storedBytes: 100, hashState: null });
    fault = (req, res) => {
      if (req.headers.range) {
        res.writeHead(416, { 'Content-Range': `bytes */${SIZE}` }).end();
        return true;
      }
      return false;
    };
    const rec = await downloadFile(entry, 'w.bin');
    expect(rec.sha256).toBe(sha);
    expect(server.requests.map((r) => r.status)).toEqual([416, 200]);
  });

  it('names a corrupt file, deletes it, and a retry downloads it afresh', async () => {
    const store = new MemoryStore();
    const entry = await entryFor(store);
    fault = (req, res) => {
      const bad = Buffer.from(data);
      bad[SIZE >> 1]! ^= 0xff;
      res.writeHead(200, { 'Content-Length': String(SIZE) }).end(bad);
      return true;
    };
    const err = await downloadFile(entry, 'w.bin').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KinetoError);
    expect((err as KinetoError).code).toBe('model-file-corrupt');
    expect((err as KinetoError).message).toMatch(/^w\.bin is corrupt: its sha256 is [0-9a-f]{64}, the manifest says/);
    expect(store.files.has('m/w.bin')).toBe(false);
    expect(entry.file('w.bin')!.storedBytes).toBe(0);
    fault = null;
    expect((await downloadFile(entry, 'w.bin')).sha256).toBe(sha);
    expect(server.requests.at(-1)!.range).toBeNull();
  });

  it('names a truncated file when the server ends the body early', async () => {
    const store = new MemoryStore();
    const entry = await entryFor(store);
    fault = (req, res) => {
      res.writeHead(200, { 'Content-Length': String(SIZE / 2) }).end(data.subarray(0, SIZE / 2));
      return true;
    };
    await expect(downloadFile(entry, 'w.bin')).rejects.toThrow(/^w\.bin is truncated: 1500000 bytes, the manifest says 3000000/);
  });

  it('names a missing file (404) and gives up on a dead server with the bytes kept', async () => {
    const store = new MemoryStore();
    const entry = await ModelEntry.open(store, { id: 'm', name: 'M', manifestUrl: `${server.url}manifest.json`, manifest: {} });
    await entry.expect('nope.onnx', { url: `${server.url}nope.onnx`, expectedBytes: 10, expectedSha256: null });
    await expect(downloadFile(entry, 'nope.onnx')).rejects.toThrow(/nope\.onnx was not found at .*nope\.onnx \(HTTP 404\)/);

    const e2 = await entryFor(store);
    let n = 0;
    fault = (req, res) => (n++ === 0 ? cutAfter(700_000)(req, res) : (res.writeHead(503).end(), true));
    const err = await downloadFile(e2, 'w.bin', { retries: 2, retryDelayMs: 5 }).catch((e: unknown) => e);
    expect((err as KinetoError).code).toBe('network');
    expect((err as KinetoError).message).toMatch(/HTTP 503.*already downloaded are kept/);
    expect(e2.file('w.bin')!.storedBytes).toBeGreaterThan(0);
  });
});
