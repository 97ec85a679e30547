import { describe, expect, it } from 'vitest';
import { floatsToHalf, fromHalf, halfToFloats, toHalf } from '../../../src/runtime/float16';

describe('float16 conversion', () => {
  it('encodes known values (IEEE 754 binary16)', () => {
    const cases: [number, number][] = [
      [0, 0x0000], [-0, 0x8000], [1, 0x3c00], [-2, 0xc000], [0.5, 0x3800], [65504, 0x7bff], [2 ** -14, 0x0400],
      [2 ** -24, 0x0001], [Infinity, 0x7c00], [-Infinity, 0xfc00],
      [65520, 0x7c00], // halfway above the largest half rounds to even: Infinity
      [1 + 2 ** -11, 0x3c00], // tie between 1 and 1 + 2⁻¹⁰ → even (1)
      [1 + 3 * 2 ** -11, 0x3c02], // tie → even (mantissa 2)
      [2 ** -25, 0x0000], [3 * 2 ** -25, 0x0002], // subnormal ties to even
      [0.1, 0x2e66],
    ];
    for (const [v, bits] of cases) expect([v, toHalf(v)]).toEqual([v, bits]);
    expect(fromHalf(toHalf(NaN))).toBeNaN();
  });

  it('round-trips every finite half exactly', () => {
    const all = new Uint16Array(65536).map((_, i) => i);
    const floats = halfToFloats(all);
    const back = floatsToHalf(floats);
    for (let i = 0; i < 65536; i++) {
      const exp = (i >> 10) & 0x1f;
      if (exp === 0x1f && (i & 0x3ff) !== 0) continue; // NaN payloads
      if (back[i] !== i) throw new Error(`half 0x${i.toString(16)} → ${floats[i]} → 0x${back[i]!.toString(16)}`);
    }
  });
});
