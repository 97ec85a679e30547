/** Progress/ETA math, Range handling and quota messages of the weight manager (pure functions, no network). */
import { describe, expect, it } from 'vitest';
import { KinetoError } from '../../src/engine/errors';
import { DownloadTracker, type DownloadProgress } from '../../src/weights/progress';
import { checkQuota, isQuotaExceeded, quotaError } from '../../src/weights/quota';
import { interpretResponse, parseContentRange, parseUnsatisfiedRange, rangeHeader } from '../../src/weights/range';
import { etaSeconds, RateMeter } from '../../src/weights/rate';
import { formatBytes, formatDuration } from '../../src/weights/units';

describe('RateMeter and ETA', () => {
  it('measures a steady rate and the time left', () => {
    const m = new RateMeter(5);
    for (let t = 0; t <= 10; t += 0.5) m.add(500_000, t); // 1 MB/s
    expect(m.bytesPerSecond(10)).toBeCloseTo(1_000_000, -3);
    expect(etaSeconds(30_000_000, m.bytesPerSecond(10))).toBeCloseTo(30, 0);
  });

  it('forgets a fast start: the speed follows the last few seconds', () => {
    const m = new RateMeter(5);
    for (let t = 0; t < 10; t += 1) m.add(10_000_000, t); // 10 MB/s for 10 s
    for (let t = 10; t <= 30; t += 1) m.add(100_000, t); // then 100 kB/s
    expect(m.bytesPerSecond(30)).toBeCloseTo(100_000, -3);
  });

  it('shows a stall: no bytes for a while brings the speed down', () => {
    const m = new RateMeter(5);
    for (let t = 0; t <= 5; t += 1) m.add(1_000_000, t);
    const before = m.bytesPerSecond(5)!;
    expect(m.bytesPerSecond(15)!).toBeLessThan(before / 2);
  });

  it('is unknown before time has passed, and the ETA with it', () => {
    const m = new RateMeter();
    expect(m.bytesPerSecond(0)).toBeNull();
    m.add(1000, 1);
    expect(m.bytesPerSecond(1)).toBeNull();
    expect(etaSeconds(1000, null)).toBeNull();
    expect(etaSeconds(1000, 0)).toBeNull();
    expect(etaSeconds(0, null)).toBe(0);
  });
});

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

describe('Range handling', () => {
  it('asks for the rest after the stored bytes, nothing for a fresh download', () => {
    expect(rangeHeader(0)).toEqual({});
    expect(rangeHeader(1234)).toEqual({ Range: 'bytes=1234-' });
  });

  it('parses Content-Range', () => {
    expect(parseContentRange('bytes 100-199/1000')).toEqual({ start: 100, end: 199, total: 1000 });
    expect(parseContentRange('bytes 100-199/*')).toEqual({ start: 100, end: 199, total: null });
    expect(parseContentRange('bytes */1000')).toBeNull();
    expect(parseContentRange(null)).toBeNull();
    expect(parseContentRange('items 1-2/3')).toBeNull();
    expect(parseUnsatisfiedRange('bytes */1000')).toBe(1000);
    expect(parseUnsatisfiedRange('bytes 1-2/3')).toBeNull();
  });

  it('appends a 206 that starts where asked', () => {
    expect(interpretResponse(206, 500, 'bytes 500-999/1000', 1000)).toEqual({ action: 'append' });
    // Cross-origin without Access-Control-Expose-Headers the header is unreadable: trusted.
    expect(interpretResponse(206, 500, null, 1000)).toEqual({ action: 'append' });
    expect(interpretResponse(200, 0, null, 1000)).toEqual({ action: 'append' });
  });

  it('restarts from zero when the server ignores Range (200)', () => {
    expect(interpretResponse(200, 500, null, 1000)).toMatchObject({ action: 'restart-with-body', reason: expect.stringContaining('ignored the Range header') });
  });

  it('asks again without Range when the 206 does not fit the stored bytes', () => {
    expect(interpretResponse(206, 500, 'bytes 400-999/1000', 1000)).toMatchObject({ action: 'restart-request', reason: expect.stringContaining('byte 400') });
    expect(interpretResponse(206, 500, 'bytes 500-1999/2000', 1000)).toMatchObject({ action: 'restart-request', reason: expect.stringContaining('2000 bytes') });
    expect(interpretResponse(206, 0, 'bytes 0-9/1000', 1000)).toMatchObject({ action: 'restart-request' });
  });

  it('re-verifies on 416 and names other statuses', () => {
    expect(interpretResponse(416, 1000, 'bytes */1000', 1000)).toEqual({ action: 'verify-stored' });
    expect(interpretResponse(416, 0, null, 1000)).toEqual({ action: 'http-error', status: 416 });
    expect(interpretResponse(404, 500, null, 1000)).toEqual({ action: 'missing' });
    expect(interpretResponse(503, 0, null, 1000)).toEqual({ action: 'http-error', status: 503 });
  });
});

describe('quota', () => {
  it('says how much is needed and how much is free', async () => {
    const estimate = async () => ({ usage: 700_000_000, quota: 1_000_000_000 });
    const err = await checkQuota('Big Model', 1_200_000_000, estimate).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KinetoError);
    expect((err as KinetoError).code).toBe('quota-exceeded');
    expect((err as KinetoError).message).toMatch(/^Kineto needs 1\.2 GB more for Big Model but only 300 MB is free\./);
    await expect(checkQuota('Big Model', 200_000_000, estimate)).resolves.toBeUndefined();
    // A browser that does not say: no refusal up front.
    await expect(checkQuota('Big Model', 1e12, async () => ({}))).resolves.toBeUndefined();
  });

  it('recognises a refused write', () => {
    expect(isQuotaExceeded(new DOMException('No space', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaExceeded(new Error('x'))).toBe(false);
    expect(quotaError('M', 5_000_000, null).message).toContain('Kineto needs 5.0 MB more for M but the browser has no more room');
  });
});

describe('units', () => {
  it('formats bytes and durations', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(8_525_708)).toBe('8.5 MB');
    expect(formatBytes(1_234_000_000)).toBe('1.2 GB');
    expect(formatBytes(300_000_000)).toBe('300 MB');
    expect(formatDuration(45.2)).toBe('45 s');
    expect(formatDuration(200)).toBe('3 min 20 s');
    expect(formatDuration(7500)).toBe('2 h 05 min');
    expect(formatDuration(null)).toBe('unknown');
  });
});
