/**
 * Progress of one model's download: per file (bytes, state, time left) and in total (bytes, speed, time left),
 * reported at most every `intervalMs` (and at once on a change of state), so a fast connection does not flood
 * the worker channel.
 */
import { etaSeconds, RateMeter } from './rate';

export const FILE_STATES = ['waiting', 'cached', 'downloading', 'verifying', 'done', 'failed'] as const;
/** `cached`: complete from an earlier visit; `done`: downloaded and verified now. */
export type FileState = (typeof FILE_STATES)[number];

export type FileProgress = {
  /** Path relative to the manifest. */
  path: string;
  /** null when the manifest gives no size (the tokenizer). */
  totalBytes: number | null;
  storedBytes: number;
  state: FileState;
  /** Seconds left for this file at the current speed; null when unknown or not downloading. */
  etaSeconds: number | null;
};

export type DownloadProgress = {
  modelId: string;
  modelName: string;
  files: FileProgress[];
  /** Sum of the known file sizes. */
  totalBytes: number;
  storedBytes: number;
  /** Network speed over the last few seconds; null until measurable. */
  bytesPerSecond: number | null;
  etaSeconds: number | null;
};

export class DownloadTracker {
  private readonly files: FileProgress[];
  private readonly meter = new RateMeter();
  private lastEmit = -Infinity;

  constructor(
    private readonly model: { id: string; name: string },
    files: { path: string; totalBytes: number | null; storedBytes: number; complete: boolean }[],
    private readonly emit: (p: DownloadProgress) => void,
    private readonly now: () => number = () => performance.now() / 1000,
    private readonly intervalMs = 100,
  ) {
    this.files = files.map((f) => ({ path: f.path, totalBytes: f.totalBytes, storedBytes: f.storedBytes, state: f.complete ? 'cached' : 'waiting', etaSeconds: null }));
  }

  /** Bytes still to download (files of unknown size count what is known: nothing). */
  remainingBytes(): number {
    return this.files.reduce((a, f) => a + (f.totalBytes === null || f.state === 'cached' || f.state === 'done' ? 0 : Math.max(0, f.totalBytes - f.storedBytes)), 0);
  }

  private file(path: string): FileProgress {
    const f = this.files.find((x) => x.path === path);
    if (!f) throw new Error(`DownloadTracker: unknown file ${path}`);
    return f;
  }

  setState(path: string, state: FileState): void {
    const f = this.file(path);
    f.state = state;
    if (state === 'done' && f.totalBytes !== null) f.storedBytes = f.totalBytes;
    this.report(true);
  }

  /** `storedBytes` of `path` now stored; `receivedBytes` just arrived from the network (for the speed). */
  setStored(path: string, storedBytes: number, receivedBytes: number): void {
    const f = this.file(path);
    f.storedBytes = storedBytes;
    if (receivedBytes > 0) this.meter.add(receivedBytes, this.now());
    this.report(false);
  }

  snapshot(): DownloadProgress {
    const t = this.now();
    const speed = this.meter.bytesPerSecond(t);
    const totalBytes = this.files.reduce((a, f) => a + (f.totalBytes ?? f.storedBytes), 0);
    const storedBytes = this.files.reduce((a, f) => a + f.storedBytes, 0);
    return {
      modelId: this.model.id,
      modelName: this.model.name,
      files: this.files.map((f) => ({
        ...f,
        etaSeconds: f.state === 'downloading' && f.totalBytes !== null ? etaSeconds(f.totalBytes - f.storedBytes, speed) : null,
      })),
      totalBytes,
      storedBytes,
      bytesPerSecond: speed,
      etaSeconds: etaSeconds(this.remainingBytes(), speed),
    };
  }

  /** Emits now when `force` or when `intervalMs` has passed since the last emit. */
  report(force: boolean): void {
    const t = this.now() * 1000;
    if (!force && t - this.lastEmit < this.intervalMs) return;
    this.lastEmit = t;
    this.emit(this.snapshot());
  }
}
