import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/hash/sha256';

const reference = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('sha256Hex (WebCrypto, one buffer)', () => {
  it('matches node:crypto', async () => {
    for (const n of [0, 3, 64, 100_000]) {
      const data = randomBytes(n);
      expect(await sha256Hex(new Uint8Array(data)), `length ${n}`).toBe(reference(data));
    }
  });
});
