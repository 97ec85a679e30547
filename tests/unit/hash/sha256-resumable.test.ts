import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Sha256 } from '../../../src/hash/sha256-resumable';

const reference = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const hashOf = async (b: Uint8Array) => (await Sha256.create()).update(b).hex();

describe('resumable SHA-256', () => {
  it('matches the FIPS 180-4 examples', async () => {
    expect((await Sha256.create()).hex()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await hashOf(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('matches node:crypto on random data at every padding boundary', async () => {
    for (const n of [1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4096]) {
      const data = randomBytes(n);
      expect(await hashOf(data), `length ${n}`).toBe(reference(data));
    }
  });

  it('gives the same digest however the data is split into chunks', async () => {
    const data = randomBytes(300_001);
    for (let trial = 0; trial < 20; trial++) {
      const h = await Sha256.create();
      let i = 0;
      while (i < data.length) {
        const n = Math.min(data.length - i, Math.floor(Math.random() * (trial % 2 ? 200 : 70_000)));
        h.update(data.subarray(i, i + n));
        i += n;
      }
      expect(h.bytes).toBe(data.length);
      expect(h.hex()).toBe(reference(data));
    }
  });

  it('continues from a saved state (JSON round trip), as a resumed download does', async () => {
    const data = randomBytes(1_000_003);
    for (const cut of [0, 1, 63, 64, 65, 500_000, 999_999]) {
      const first = (await Sha256.create()).update(data.subarray(0, cut));
      const saved = JSON.parse(JSON.stringify(first.state()));
      expect(saved.bytes).toBe(cut);
      const resumed = (await Sha256.restore(saved)).update(data.subarray(cut));
      expect(resumed.bytes).toBe(data.length);
      expect(resumed.hex(), `cut at ${cut}`).toBe(reference(data));
    }
  });

  it('hex() does not disturb further updates or a later saved state', async () => {
    const a = randomBytes(100);
    const b = randomBytes(77);
    const h = (await Sha256.create()).update(a);
    expect(h.hex()).toBe(reference(a));
    const saved = h.state();
    expect(h.update(b).hex()).toBe(reference(Buffer.concat([a, b])));
    expect((await Sha256.restore(saved)).update(b).hex()).toBe(reference(Buffer.concat([a, b])));
  });

  it('refuses a damaged state, and one saved by the hand-written hasher it replaced (the download then re-hashes)', async () => {
    const good = (await Sha256.create()).update(randomBytes(10)).state();
    await expect(Sha256.restore({ bytes: 0, saved: 'zz' })).rejects.toThrow(/Invalid SHA-256 state/);
    await expect(Sha256.restore({ ...good, bytes: -1 })).rejects.toThrow(/Invalid SHA-256 state/);
    await expect(Sha256.restore({ ...good, saved: good.saved.slice(0, 20) })).rejects.toThrow(/Invalid SHA-256 state/);
    await expect(Sha256.restore({ ...good, saved: 'ff' + good.saved.slice(2) })).rejects.toThrow(/Invalid SHA-256 state/);
    const old = { h: [1, 2, 3, 4, 5, 6, 7, 8], bytes: 0, tail: '' };
    await expect(Sha256.restore(old as never)).rejects.toThrow(/Invalid SHA-256 state/);
  });

  it('agrees with node:crypto on 16 MiB and reports its speed', async () => {
    const data = randomBytes(16 << 20);
    const h = await Sha256.create();
    const t0 = performance.now();
    const got = h.update(data).hex();
    const seconds = (performance.now() - t0) / 1000;
    expect(got).toBe(reference(data));
    console.log(`resumable SHA-256: ${(16 / seconds).toFixed(0)} MiB/s`);
  });
});
