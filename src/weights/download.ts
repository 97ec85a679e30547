/**
 * Downloads one file of a model into the weight store until it is complete and verified:
 * - streams the body to storage, hashing it as it arrives (incremental SHA-256);
 * - every `flushBytes` or `flushMs` makes the stored bytes durable and records the offset and the hash state, so
 *   a cut connection, a pause or a page reload loses at most that much;
 * - resumes with `Range: bytes=N-` (see `range.ts` for what each answer means: 206 appends, 200 restarts from
 *   zero, 416 re-checks the stored bytes);
 * - retries network failures and HTTP 5xx a few times, resetting the count whenever bytes arrived;
 * - checks the size and sha256 at the end; a mismatch deletes the file and names it.
 */
import { CancelledError, KinetoError } from '../engine/errors';
import { Sha256 } from '../hash/sha256-resumable';
import type { ModelEntry } from './model-entry';
import { interpretResponse, parseUnsatisfiedRange, rangeHeader } from './range';
import type { FileRecord } from './store';
import { formatBytes } from './units';

export type DownloadOptions = {
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** After each chunk: bytes of the file now stored, and bytes that just came from the network. */
  onStored?: (storedBytes: number, receivedBytes: number) => void;
  /** Something the person may want to know that is not an error ("the server cannot resume"). */
  onNotice?: (message: string) => void;
  /** Make stored bytes durable after this many new bytes… */
  flushBytes?: number;
  /** …or this many milliseconds, whichever comes first. */
  flushMs?: number;
  /** Consecutive failed attempts (network errors, HTTP 5xx) before giving up. */
  retries?: number;
  /** Wait before the first retry; doubles each time. */
  retryDelayMs?: number;
};

export const DEFAULT_FLUSH_BYTES = 4 << 20;
export const DEFAULT_FLUSH_MS = 1000;

/** A failure worth another attempt. */
class TransientError extends Error {}

function aborted(e: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (e instanceof DOMException && e.name === 'AbortError');
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Brings `path` of `entry` (declared with `entry.expect`) to complete and verified; returns its record. */
export async function downloadFile(entry: ModelEntry, path: string, opts: DownloadOptions = {}): Promise<FileRecord> {
  const retries = opts.retries ?? 3;
  let failures = 0;
  let restarts = 0;
  for (;;) {
    if (opts.signal?.aborted) throw new CancelledError();
    const before = entry.file(path)!.storedBytes;
    let progressed = false;
    try {
      const outcome = await attempt(entry, path, opts, () => (progressed = true));
      if (outcome === 'done') return entry.file(path)!;
      if (++restarts > 3) throw new KinetoError('network', `Downloading ${path} from ${entry.file(path)!.url} failed: the server's answers to resume requests are inconsistent.`);
    } catch (e) {
      if (aborted(e, opts.signal)) throw new CancelledError();
      if (!(e instanceof TransientError)) throw e;
      failures = progressed ? 1 : failures + 1;
      const rec = entry.file(path)!;
      if (failures > retries) {
        const kept = rec.storedBytes > 0 ? ` The ${formatBytes(rec.storedBytes)} already downloaded are kept; load the model again to resume.` : '';
        throw new KinetoError('network', `Downloading ${path} from ${rec.url} failed: ${e.message}.${kept}`, { cause: e });
      }
      if (rec.storedBytes > before || progressed) opts.onNotice?.(`The download of ${path} was interrupted (${e.message}); resuming after ${formatBytes(rec.storedBytes)}.`);
      await sleep((opts.retryDelayMs ?? 500) * 2 ** (failures - 1), opts.signal);
    }
  }
}

/** One request: 'done' when the file is complete and verified, 'again' to ask afresh (after a reset). */
async function attempt(entry: ModelEntry, path: string, opts: DownloadOptions, onProgress: () => void): Promise<'done' | 'again'> {
  const rec = entry.file(path)!;
  const { url, expectedBytes } = rec;
  let offset = rec.storedBytes;
  if (expectedBytes !== null && offset >= expectedBytes) return finish(entry, path, await hasherAt(entry, path, offset), offset);

  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(url, { headers: rangeHeader(offset), signal: opts.signal, cache: 'no-store' });
  } catch (e) {
    if (aborted(e, opts.signal)) throw e;
    throw new TransientError(message(e));
  }
  const decision = interpretResponse(res.status, offset, res.headers.get('Content-Range'), expectedBytes);
  const discardBody = () => res.body?.cancel().catch(() => {});
  switch (decision.action) {
    case 'missing':
      void discardBody();
      throw new KinetoError('model-file-missing', `${path} was not found at ${url} (HTTP ${res.status}).`);
    case 'http-error':
      void discardBody();
      if (decision.status >= 500 || decision.status === 408 || decision.status === 429) throw new TransientError(`HTTP ${decision.status}`);
      throw new KinetoError('network', `Fetching ${url} failed with HTTP ${decision.status}.`);
    case 'verify-stored': {
      void discardBody();
      // Nothing at or after `offset` on the server: the stored bytes are the whole file (a size the manifest does
      // not give), or longer than the server's file, hence stale.
      if (expectedBytes === null && parseUnsatisfiedRange(res.headers.get('Content-Range')) === offset)
        return finish(entry, path, await hasherAt(entry, path, offset), offset);
      opts.onNotice?.(`The stored part of ${path} does not match the file on the server; downloading it again.`);
      await entry.drop(path);
      return 'again';
    }
    case 'restart-request':
      void discardBody();
      opts.onNotice?.(`Could not resume ${path}: ${decision.reason}; downloading it from the start.`);
      await entry.drop(path);
      return 'again';
    case 'restart-with-body':
      opts.onNotice?.(`Could not resume ${path}: ${decision.reason}; downloading it from the start.`);
      await entry.drop(path);
      offset = 0;
      break;
    case 'append':
      break;
  }
  return stream(entry, path, res, offset, opts, onProgress);
}

async function stream(entry: ModelEntry, path: string, res: Response, start: number, opts: DownloadOptions, onProgress: () => void): Promise<'done'> {
  const expectedBytes = entry.file(path)!.expectedBytes;
  const flushBytes = opts.flushBytes ?? DEFAULT_FLUSH_BYTES;
  const flushMs = opts.flushMs ?? DEFAULT_FLUSH_MS;
  const hasher = await hasherAt(entry, path, start);
  const writer = await entry.store.openWriter(entry.id, path, start);
  let offset = start;
  let flushedAt = { bytes: start, time: performance.now() };
  const persist = async () => {
    await writer.flush();
    await entry.update(path, { storedBytes: offset, hashState: hasher.state() });
    flushedAt = { bytes: offset, time: performance.now() };
  };
  let tooLarge = false;
  try {
    const reader = res.body?.getReader();
    for (;;) {
      let chunk: Uint8Array;
      if (!reader) {
        if (offset > start) break;
        chunk = new Uint8Array(await res.arrayBuffer());
      } else {
        let r: ReadableStreamReadResult<Uint8Array>;
        try {
          r = await reader.read();
        } catch (e) {
          if (aborted(e, opts.signal)) throw e;
          throw new TransientError(message(e));
        }
        if (r.done) break;
        chunk = r.value;
      }
      if (expectedBytes !== null && offset + chunk.byteLength > expectedBytes) {
        tooLarge = true;
        await reader?.cancel().catch(() => {});
        break;
      }
      // Write first: a failed write (quota) leaves the hash and the offset as they were.
      await writer.write(chunk);
      hasher.update(chunk);
      offset += chunk.byteLength;
      onProgress();
      opts.onStored?.(offset, chunk.byteLength);
      if (offset - flushedAt.bytes >= flushBytes || performance.now() - flushedAt.time >= flushMs) await persist();
    }
    await persist();
  } catch (e) {
    // Keep what arrived, durably, before reporting: that is what the next attempt resumes from.
    await persist().catch(() => {});
    throw e;
  } finally {
    await writer.close().catch(() => {});
  }
  if (tooLarge) {
    await entry.drop(path);
    throw new KinetoError('model-file-corrupt', `${path} is larger than expected: the server sent more than the ${expectedBytes} bytes the manifest says. The downloaded copy was deleted.`);
  }
  return finish(entry, path, hasher, offset);
}

/** Size and sha256 check of a fully stored file; a mismatch deletes it (so a retry downloads it afresh). */
async function finish(entry: ModelEntry, path: string, hasher: Sha256, size: number): Promise<'done'> {
  const rec = entry.file(path)!;
  if (rec.expectedBytes !== null && size !== rec.expectedBytes) {
    await entry.drop(path);
    const what = size < rec.expectedBytes ? 'truncated' : 'larger than expected';
    throw new KinetoError('model-file-corrupt', `${path} is ${what}: ${size} bytes, the manifest says ${rec.expectedBytes}. The stored copy was deleted; load the model again to download it afresh.`);
  }
  const digest = hasher.hex();
  if (rec.expectedSha256 !== null && digest !== rec.expectedSha256) {
    await entry.drop(path);
    throw new KinetoError('model-file-corrupt', `${path} is corrupt: its sha256 is ${digest}, the manifest says ${rec.expectedSha256}. The downloaded copy was deleted; load the model again to download it afresh.`);
  }
  await entry.update(path, { storedBytes: size, hashState: null, sha256: digest });
  return 'done';
}

/** A hasher that has seen the first `offset` stored bytes: from the saved state, or by reading them back. */
async function hasherAt(entry: ModelEntry, path: string, offset: number): Promise<Sha256> {
  const saved = entry.file(path)!.hashState;
  if (offset === 0) return Sha256.create();
  if (saved && saved.bytes === offset) {
    try {
      return await Sha256.restore(saved);
    } catch {
      // A damaged state: fall through and hash the stored bytes again.
    }
  }
  const blob = await entry.store.readFile(entry.id, path);
  const hasher = await Sha256.create();
  if (!blob || blob.size < offset) return hasher;
  const reader = blob.slice(0, offset).stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hasher.update(value);
  }
  return hasher;
}
