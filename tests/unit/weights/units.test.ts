import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration } from '../../../src/weights/units';

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
