import { describe, expect, it } from 'vitest';
import { windowSeed } from '../../../../src/engine/continuation/seeds';

describe('windowSeed', () => {
  it('keeps the clip seed for the first window, so a clip from text starts as a one-window clip of that seed', () => {
    expect(windowSeed(42, 'windows', 0)).toBe(42);
    expect(windowSeed(0xffffffff, 'windows', 0)).toBe(0xffffffff);
  });

  it('is deterministic and distinct over windows and streams', () => {
    for (const seed of [0, 1, 42, 123456789]) {
      const seeds = (['windows', 'doubling', 'replacement'] as const).flatMap((s) => Array.from({ length: 1000 }, (_, i) => windowSeed(seed, s, i)));
      expect(new Set(seeds).size).toBe(seeds.length);
      expect(seeds.every((s) => Number.isInteger(s) && s >= 0 && s < 2 ** 32)).toBe(true);
      expect(windowSeed(seed, 'windows', 7)).toBe(windowSeed(seed, 'windows', 7));
    }
  });

  it('neighbouring clip seeds give unrelated window seeds', () => {
    const a = windowSeed(1, 'windows', 1);
    const b = windowSeed(2, 'windows', 1);
    // About half of the 32 bits differ between unrelated numbers; a near-copy would differ in one or two.
    const bits = (a ^ b).toString(2).replace(/0/g, '').length;
    expect(bits).toBeGreaterThan(6);
  });
});
