/**
 * A `FileSource` for a model published at any URL, backed by the weight store: each file is downloaded once
 * (resumably, verified), then read from the store — also offline, where the manifest itself comes from the store.
 *
 * Rules: files are resolved relative to the manifest URL (or to its `base_url`, when it declares one) and must stay
 * on that origin: a component path cannot send Kineto to fetch weights from another site. Only the manifest's own
 * top-level `base_url` and `tokenizer.url` can name another origin, explicitly. HTTP redirects a server answers
 * with (e.g. the Hub to its CDN) are followed as usual. Before downloading, the bytes still missing are compared
 * with the free quota.
 */
import { CancelledError, KinetoError } from '../engine/errors';
import { externalDataFile, parseManifest } from '../engine/manifest';
import type { ModelManifest } from '../engine/types';
import { modelComponents } from '../engine/requirements';
import { pickVariants, type VariantTarget } from '../engine/variants';
import { sha256Hex } from '../hash/sha256';
import { downloadFile, type DownloadOptions } from './download';
import type { FileExpectation, FileSource } from './file-source';
import { type FileTarget, ModelEntry } from './model-entry';
import { DownloadTracker, type DownloadProgress } from './progress';
import { checkQuota, type Estimate, isQuotaExceeded, quotaError } from './quota';
import type { WeightStore } from './store';

export type CachedSourceOptions = Pick<DownloadOptions, 'fetch' | 'flushBytes' | 'flushMs' | 'retries' | 'retryDelayMs'> & {
  /** Free-space estimate; defaults to `navigator.storage.estimate`. */
  estimate?: Estimate;
  onNotice?: (message: string) => void;
  /** Where the model will run: only the weight variants picked for it are downloaded (engine/variants.ts). */
  variants?: VariantTarget;
};

export type CachedSource = FileSource & {
  /**
   * Reads the manifest (from the network; from the store when the network fails) and downloads every file not
   * yet complete: quota-checked, resumable, verified. Nothing is handed to onnxruntime here.
   */
  prefetch(): Promise<ModelManifest>;
};

/** One file the model needs, in download order; `sizeHint` is for progress and quota when the size is not checked. */
type Planned = { path: string; target: FileTarget; sizeHint: number | null };

/**
 * The files of a manifest fetched from `manifestUrl`, tokenizer first, each component followed by its external
 * data, with the URL each is downloaded from. Throws `bad-manifest` for a file that leaves its base's origin.
 */
export function plannedFiles(m: ModelManifest, manifestUrl: string): Planned[] {
  const base = m.baseUrl ?? manifestUrl;
  const origin = new URL(base).origin;
  const resolve = (path: string): string => {
    const url = new URL(path, base);
    if (url.origin !== origin)
      throw new KinetoError('bad-manifest', `${path} points to ${url.origin}, not to ${origin} where the model's files are; Kineto only downloads weights from the site the manifest names.`);
    return url.href;
  };
  const out: Planned[] = [{ path: m.tokenizer.file, target: { url: m.tokenizer.url ?? resolve(m.tokenizer.file), expectedBytes: null, expectedSha256: null }, sizeHint: null }];
  // Every file the model may load, so that it switches preset and continues clips offline too.
  for (const c of modelComponents(m)) {
    // A size copied from a public listing (`bytes_approximate`) guides progress and quota but is not enforced.
    out.push({ path: c.file, target: { url: resolve(c.file), expectedBytes: c.bytesApproximate ? null : c.bytes, expectedSha256: c.sha256 ?? null }, sizeHint: c.bytes });
    for (const x of c.externalData ?? []) {
      const path = externalDataFile(c, x);
      out.push({ path, target: { url: resolve(path), expectedBytes: x.bytes, expectedSha256: x.sha256 ?? null }, sizeHint: x.bytes });
    }
  }
  return out;
}

/** The record of the most recently used model downloaded from `manifestUrl`, if any. */
async function findByManifestUrl(store: WeightStore, manifestUrl: string) {
  let best = null;
  for (const id of await store.listModelIds()) {
    const r = await store.readRecord(id).catch(() => null);
    if (r && r.manifestUrl === manifestUrl && (!best || r.updatedAt > best.updatedAt)) best = r;
  }
  return best;
}

export function cachedHttpSource(manifestUrl: string, store: WeightStore, onProgress: (p: DownloadProgress) => void = () => {},
  signal?: AbortSignal, options: CachedSourceOptions = {}): CachedSource {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const notice = options.onNotice ?? (() => {});
  const estimate: Estimate = options.estimate ?? (() => navigator.storage.estimate());

  /** Download URL of each file once the manifest is read, for messages. */
  const urls = new Map<string, string>();
  let opened: Promise<{ manifest: ModelManifest; raw: unknown; entry: ModelEntry; files: Planned[] }> | null = null;
  const open = () => (opened ??= (async () => {
    const raw = await fetchManifest();
    const parsed = parseManifest(raw);
    const manifest = options.variants ? pickVariants(parsed, options.variants).manifest : parsed;
    const files = plannedFiles(manifest, manifestUrl);
    for (const f of files) urls.set(f.path, f.target.url);
    const entry = await ModelEntry.open(store, { id: manifest.id, name: manifest.name, manifestUrl, manifest: raw });
    for (const f of files) await entry.expect(f.path, f.target);
    return { manifest, raw, entry, files };
  })());

  async function fetchManifest(): Promise<unknown> {
    let res: Response | null = null;
    let failure = '';
    try {
      res = await doFetch(manifestUrl, { signal, cache: 'no-store' });
    } catch (e) {
      if (signal?.aborted) throw new CancelledError();
      failure = e instanceof Error ? e.message : String(e);
    }
    if (res?.ok) {
      try {
        return await res.json();
      } catch {
        throw new KinetoError('bad-manifest', `The manifest at ${manifestUrl} is not valid JSON.`);
      }
    }
    if (res?.status === 404) throw new KinetoError('model-file-missing', `manifest.json was not found at ${manifestUrl} (HTTP 404).`);
    if (res) failure = `HTTP ${res.status}`;
    // Offline, or the server is failing: the copy stored with the weights will do.
    const cached = await findByManifestUrl(store, manifestUrl);
    if (cached) {
      notice(`Could not reach ${manifestUrl} (${failure}); using the copy of ${cached.name} stored in this browser.`);
      return cached.manifest;
    }
    throw new KinetoError('network', `Could not fetch ${manifestUrl}: ${failure}.`);
  }

  /** Downloads `path` when it is not complete yet, reporting through `tracker`. */
  async function ensure(entry: ModelEntry, path: string, tracker: DownloadTracker | null): Promise<void> {
    if (entry.file(path)?.sha256) return;
    tracker?.setState(path, 'downloading');
    await downloadFile(entry, path, {
      ...options,
      fetch: doFetch,
      signal,
      onNotice: notice,
      onStored: (stored, received) => tracker?.setStored(path, stored, received),
    });
    tracker?.setState(path, 'done');
  }

  const remaining = (entry: ModelEntry, files: Planned[]) =>
    files.reduce((a, f) => {
      const r = entry.file(f.path)!;
      const size = r.expectedBytes ?? f.sizeHint;
      return a + (r.sha256 || size === null ? 0 : Math.max(0, size - r.storedBytes));
    }, 0);

  /** Runs downloads, turning a refused write into the quota message. */
  async function guarded<T>(entry: ModelEntry, name: string, files: Planned[], f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      if (isQuotaExceeded(e)) throw quotaError(name, remaining(entry, files), null, e);
      throw e;
    }
  }

  /** The stored bytes of a complete file, checked against the manifest's sha256 or the one recorded at download. */
  async function storedBytes(entry: ModelEntry, path: string): Promise<Uint8Array> {
    const rec = entry.file(path)!;
    const blob = await store.readFile(entry.id, path);
    const bytes = blob ? new Uint8Array(await blob.arrayBuffer()) : new Uint8Array(0);
    const want = rec.expectedSha256 ?? rec.sha256;
    const got = bytes.byteLength === rec.storedBytes ? await sha256Hex(bytes) : null;
    if (got === null || got !== want) {
      await entry.drop(path);
      throw new KinetoError('model-file-corrupt', `${path} is corrupt in this browser's storage (its sha256 no longer matches); it was deleted, load the model again to download it afresh.`);
    }
    return bytes;
  }

  const withEntry = async (path: string) => {
    const o = await open();
    if (!o.entry.file(path)) throw new KinetoError('model-file-missing', `${path} is not a file of ${o.manifest.name}.`);
    await guarded(o.entry, o.manifest.name, o.files, () => ensure(o.entry, path, null));
    return o.entry;
  };

  return {
    describe: (path) => (path === 'manifest.json' ? manifestUrl : urls.get(path) ?? new URL(path, manifestUrl).href),

    async prefetch() {
      const { manifest, entry, files } = await open();
      const tracker = new DownloadTracker(
        { id: manifest.id, name: manifest.name },
        files.map((f) => {
          const r = entry.file(f.path)!;
          return { path: f.path, totalBytes: r.expectedBytes ?? f.sizeHint, storedBytes: r.storedBytes, complete: r.sha256 !== null };
        }),
        onProgress,
      );
      tracker.report(true);
      await checkQuota(manifest.name, remaining(entry, files), estimate);
      await guarded(entry, manifest.name, files, async () => {
        for (const f of files) {
          try {
            await ensure(entry, f.path, tracker);
          } catch (e) {
            if (!(e instanceof CancelledError)) tracker.setState(f.path, 'failed');
            throw e;
          }
        }
      });
      return manifest;
    },

    async readJson(path) {
      if (path === 'manifest.json') return (await open()).raw;
      const entry = await withEntry(path);
      const text = new TextDecoder().decode(await storedBytes(entry, path));
      try {
        return JSON.parse(text);
      } catch {
        await entry.drop(path);
        throw new KinetoError('model-file-corrupt', `${path} is not valid JSON.`);
      }
    },

    async readBytes(path, onBytes) {
      const entry = await withEntry(path);
      const bytes = await storedBytes(entry, path);
      onBytes?.(bytes.byteLength);
      return bytes;
    },

    async readVerifiedBlob(path: string, expected: FileExpectation) {
      const entry = await withEntry(path);
      const rec = entry.file(path)!;
      const blob = await store.readFile(entry.id, path);
      // Verified as it was downloaded (incremental sha256); here only that it is still the same file.
      if (!blob || blob.size !== expected.bytes || rec.sha256 === null || (expected.sha256 !== undefined && rec.sha256 !== expected.sha256)) {
        await entry.drop(path);
        throw new KinetoError('model-file-corrupt', `${path} in this browser's storage does not match the manifest; it was deleted, load the model again to download it afresh.`);
      }
      return blob;
    },
  };
}
