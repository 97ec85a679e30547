import { describe, expect, it } from 'vitest';
import { formatSeconds } from '../../../src/library/format';

describe('Library lengths', () => {
  it('read in seconds to a tenth, and in minutes and seconds from a minute on', () => {
    expect(formatSeconds(12)).toBe('12 s');
    expect(formatSeconds(1.5)).toBe('1.5 s');
    expect(formatSeconds(59.96)).toBe('1 min');
    expect(formatSeconds(125.25)).toBe('2 min 5.3 s');
  });
});
