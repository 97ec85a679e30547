import { describe, expect, it } from 'vitest';
import { MAX_VARIATIONS, type Variations, variationSeeds, withVariationItem } from '../../../src/library/variations';

describe('Variations', () => {
  it('count up from the Seed field, wrap at 2^32 and stay within 1 to MAX_VARIATIONS seeds', () => {
    const never = () => {
      throw new Error('the Seed field holds a seed');
    };
    expect(variationSeeds('100', 3, never)).toEqual([100, 101, 102]);
    expect(variationSeeds(String(2 ** 32 - 1), 2, never)).toEqual([2 ** 32 - 1, 0]);
    expect(variationSeeds('5', 99, never)).toHaveLength(MAX_VARIATIONS);
    expect(variationSeeds('5', 0, never)).toEqual([5]);
    expect(variationSeeds('-3', 2, () => 70)).toEqual([70, 71]);
    expect(variationSeeds('1.5', 2, () => 9)).toEqual([9, 10]);
  });

  it('change one item of the grid', () => {
    const v: Variations = { batchId: 'b', prompt: 'p', status: 'running', items: [100, 101].map((seed) => ({ seed, status: 'waiting', url: null })) };
    const next = withVariationItem(v, 101, { status: 'done', url: 'blob:y' });
    expect(next.items).toEqual([{ seed: 100, status: 'waiting', url: null }, { seed: 101, status: 'done', url: 'blob:y' }]);
    expect(v.items[1]!.status).toBe('waiting');
  });
});
