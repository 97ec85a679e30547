/** Download progress: per-file and total bytes, speed and ETA (pure, no network). */
import { describe, expect, it } from 'vitest';
import { DownloadTracker, type DownloadProgress } from '../../../src/weights/progress';

describe('DownloadTracker', () => {
  it('reports per-file and total bytes, speed and ETA, throttled', () => {
    let now = 0;
    const seen: DownloadProgress[] = [];
    const t = new DownloadTracker({ id: 'm', name: 'M' }, [
      { path: 'tokenizer.json', totalBytes: null, storedBytes: 2000, complete: true },
      { path: 'a.onnx', totalBytes: 4_000_000, storedBytes: 1_000_000, complete: false },
      { path: 'b.onnx', totalBytes: 6_000_000, storedBytes: 0, complete: false },
    ], (p) => seen.push(p), () => now, 100);
    expect(t.remainingBytes()).toBe(9_000_000);
    t.setState('a.onnx', 'downloading');
    for (let i = 1; i <= 20; i++) {
      now = i * 0.05;
      t.setStored('a.onnx', 1_000_000 + i * 50_000, 50_000); // 1 MB/s
    }
    // 20 chunks at 50 ms: one report per 100 ms, plus the forced one for the state change.
    expect(seen.length).toBeLessThanOrEqual(12);
    const p = t.snapshot();
    expect(p.storedBytes).toBe(2000 + 2_000_000);
    expect(p.totalBytes).toBe(2000 + 10_000_000);
    expect(p.bytesPerSecond).toBeCloseTo(1_000_000, -4);
    expect(p.etaSeconds).toBeCloseTo(8, 0);
    const a = p.files.find((f) => f.path === 'a.onnx')!;
    expect(a.etaSeconds).toBeCloseTo(2, 0);
    expect(p.files.find((f) => f.path === 'tokenizer.json')!.state).toBe('cached');
    t.setState('a.onnx', 'done');
    expect(t.snapshot().files.find((f) => f.path === 'a.onnx')!.storedBytes).toBe(4_000_000);
    expect(t.remainingBytes()).toBe(6_000_000);
  });
});
