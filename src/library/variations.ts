/**
 * Variations: one prompt made with consecutive seeds, each clip kept in the Library. Pure: the seeds and the grid's
 * items; the Library slice's `runVariations` makes the clips.
 */

/** Most seeds one Variations run makes. */
export const MAX_VARIATIONS = 8;

export type VariationItem = { seed: number; status: 'waiting' | 'running' | 'done' | 'failed'; url: string | null };
export type Variations = { batchId: string; prompt: string; status: 'running' | 'done' | 'stopped'; items: VariationItem[] };

/**
 * `count` seeds (1 to MAX_VARIATIONS) counting up from the Seed field's value, or from `fallback()` when the field
 * holds no whole number ≥ 0; seeds wrap at 2³².
 */
export function variationSeeds(seedField: string, count: number, fallback: () => number): number[] {
  const n = Math.max(1, Math.min(MAX_VARIATIONS, Math.floor(count)));
  const first = Number(seedField);
  const base = Number.isInteger(first) && first >= 0 ? first : fallback();
  return Array.from({ length: n }, (_, i) => (base + i) % 2 ** 32);
}

/** The run with the item of `seed` changed by `patch`. */
export function withVariationItem(v: Variations, seed: number, patch: Partial<VariationItem>): Variations {
  return { ...v, items: v.items.map((i) => (i.seed === seed ? { ...i, ...patch } : i)) };
}
