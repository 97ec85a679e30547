/** Download speed over a sliding window, and the time left. */
import { describe, expect, it } from 'vitest';
import { etaSeconds, RateMeter } from '../../../src/weights/rate';

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
