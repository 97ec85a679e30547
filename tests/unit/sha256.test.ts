import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Sha256 } from '../../src/weights/sha256';

const reference = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('incremental SHA-256', () => {
  it('matches the FIPS 180-4 examples', () => {
    expect(new Sha256().hex()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(new Sha256().update(new TextEncoder().encode('abc')).hex()).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('matches node:crypto on random data at every padding boundary', () => {
    for (const n of [1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4096]) {
      const data = randomBytes(n);
      expect(new Sha256().update(data).hex(), `length ${n}`).toBe(reference(data));
    }
  });

  it('gives the same digest however the data is split into chunks', () => {
    const data = randomBytes(300_001);
    for (let trial = 0; trial < 20; trial++) {
      const h = new Sha256();
      let i = 0;
      while (i < data.length) {
        const n = Math.min(data.length - i, Math.floor(Math.random() * (trial % 2 ? 200 : 70_000)));
        h.update(data.subarray(i, i + n));
        i += n;
      }
      expect(h.hex()).toBe(reference(data));
    }
  });

  it('continues from a saved state (JSON round trip), as a resumed download does', () => {
    const data = randomBytes(1_000_003);
    for (const cut of [0, 1, 63, 64, 65, 500_000, 999_999]) {
      const first = new Sha256().update(data.subarray(0, cut));
      const saved = JSON.parse(JSON.stringify(first.state()));
      expect(saved.bytes).toBe(cut);
      const resumed = Sha256.restore(saved).update(data.subarray(cut));
      expect(resumed.hex(), `cut at ${cut}`).toBe(reference(data));
    }
  });

  it('hex() does not disturb further updates', () => {
    const a = randomBytes(100);
    const b = randomBytes(77);
    const h = new Sha256().update(a);
    expect(h.hex()).toBe(reference(a));
    expect(h.update(b).hex()).toBe(reference(Buffer.concat([a, b])));
  });

  it('refuses a damaged state', () => {
    expect(() => Sha256.restore({ h: [1, 2, 3], bytes: 0, tail: '' })).toThrow(/Invalid SHA-256 state/);
    expect(() => Sha256.restore({ ...new Sha256().update(randomBytes(10)).state(), bytes: 11 })).toThrow(/Invalid/);
  });

  it('agrees with node:crypto on 16 MiB and reports its speed', () => {
    const data = randomBytes(16 << 20);
    const t0 = performance.now();
    const got = new Sha256().update(data).hex();
    const seconds = (performance.now() - t0) / 1000;
    expect(got).toBe(reference(data));
    console.log(`incremental SHA-256: ${(16 / seconds).toFixed(0)} MiB/s`);
  });
});
