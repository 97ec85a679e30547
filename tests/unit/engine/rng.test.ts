import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/engine/rng';

/** Reference xoshiro128** written with BigInt-free plain uint32 math, independent of the class. */
function referenceUint32(seed: number, n: number): number[] {
  let x = seed >>> 0;
  const sm = () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Number((BigInt(z ^ (z >>> 16)) * 0x85ebca6bn) & 0xffffffffn);
    z = Number((BigInt((z ^ (z >>> 13)) >>> 0) * 0xc2b2ae35n) & 0xffffffffn);
    return (z ^ (z >>> 16)) >>> 0;
  };
  const s = [sm(), sm(), sm(), sm()];
  const mul = (a: number, b: number) => Number((BigInt(a) * BigInt(b)) & 0xffffffffn);
  const rotl = (v: number, k: number) => ((v << k) | (v >>> (32 - k))) >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(mul(rotl(mul(s[1]!, 5), 7), 9));
    const t = (s[1]! << 9) >>> 0;
    s[2] = (s[2]! ^ s[0]!) >>> 0;
    s[3] = (s[3]! ^ s[1]!) >>> 0;
    s[1] = (s[1]! ^ s[2]!) >>> 0;
    s[0] = (s[0]! ^ s[3]!) >>> 0;
    s[2] = (s[2]! ^ t) >>> 0;
    s[3] = rotl(s[3]!, 11);
  }
  return out;
}

describe('Rng', () => {
  it('matches an independent BigInt xoshiro128** reference', () => {
    for (const seed of [0, 1, 42, 0xffffffff]) {
      const r = new Rng(seed);
      const got = Array.from({ length: 64 }, () => r.nextUint32());
      expect(got).toEqual(referenceUint32(seed, 64));
    }
  });

  it('fills a block with the same stream as nextUint32, and carries on from where the block ends', () => {
    for (const seed of [0, 1, 42, 0xffffffff]) {
      const r = new Rng(seed);
      const block = Array.from(r.fillUint32(new Uint32Array(40)));
      const after = Array.from({ length: 24 }, () => r.nextUint32());
      expect([...block, ...after]).toEqual(referenceUint32(seed, 64));
    }
  });

  it('pins the first values for seed 1234 (cross-machine reproducibility)', () => {
    const r = new Rng(1234);
    const g = r.gaussian(4);
    // Recomputing these from the reference stream and Box–Muller must give the same float32 values.
    const u = referenceUint32(1234, 4);
    const f = (a: number, b: number) => ((a >>> 5) * 67108864 + (b >>> 6)) / 9007199254740992;
    const u1 = 1 - f(u[0]!, u[1]!);
    const u2 = f(u[2]!, u[3]!);
    const rad = Math.sqrt(-2 * Math.log(u1));
    expect(g[0]).toBe(Math.fround(rad * Math.cos(2 * Math.PI * u2)));
    expect(g[1]).toBe(Math.fround(rad * Math.sin(2 * Math.PI * u2)));
  });

  it('same seed → same noise; different seed → different noise', () => {
    expect(new Rng(7).gaussian(1000)).toEqual(new Rng(7).gaussian(1000));
    expect(new Rng(7).gaussian(1000)).not.toEqual(new Rng(8).gaussian(1000));
  });

  it('gives standard normal statistics', () => {
    const g = new Rng(99).gaussian(200_000);
    let mean = 0;
    for (const v of g) mean += v;
    mean /= g.length;
    let varSum = 0;
    let tail = 0;
    for (const v of g) {
      varSum += (v - mean) ** 2;
      if (Math.abs(v) > 1.96) tail++;
    }
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(varSum / g.length - 1)).toBeLessThan(0.015);
    expect(Math.abs(tail / g.length - 0.05)).toBeLessThan(0.003);
  });
});
