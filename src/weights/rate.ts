/**
 * Download speed and time left. Speed is measured over a sliding window of recent samples (so a stall shows
 * within seconds and a burst does not promise a fast finish); the estimate is the bytes left at that speed.
 */

/** Seconds of history the speed is averaged over. */
export const RATE_WINDOW_SECONDS = 5;

export class RateMeter {
  /** (seconds, cumulative bytes) samples, oldest first. */
  private readonly samples: { t: number; bytes: number }[] = [];
  private total = 0;

  constructor(private readonly windowSeconds = RATE_WINDOW_SECONDS) {}

  /** Records `bytes` more transferred at time `t` (seconds, monotonic). */
  add(bytes: number, t: number): void {
    this.total += bytes;
    this.samples.push({ t, bytes: this.total });
    // Keep one sample at or before the window start, so the window is always fully covered.
    while (this.samples.length > 2 && this.samples[1]!.t <= t - this.windowSeconds) this.samples.shift();
  }

  /** Bytes per second over the window ending at `t`; null until there is at least some elapsed time. */
  bytesPerSecond(t: number): number | null {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last) return null;
    const elapsed = t - first.t;
    if (elapsed <= 0.05) return null;
    return (last.bytes - first.bytes) / elapsed;
  }
}

/** Seconds left for `remainingBytes` at `bytesPerSecond`; null when the speed is unknown or zero. */
export function etaSeconds(remainingBytes: number, bytesPerSecond: number | null): number | null {
  if (remainingBytes <= 0) return 0;
  if (bytesPerSecond === null || bytesPerSecond <= 0) return null;
  return remainingBytes / bytesPerSecond;
}
