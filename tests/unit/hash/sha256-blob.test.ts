import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256OfBlob } from '../../../src/hash/sha256-blob';

const reference = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('sha256OfBlob', () => {
  it('matches node:crypto and reports the bytes hashed', async () => {
    for (const n of [0, 3, 64, 100_000]) {
      const data = randomBytes(n);
      const seen: number[] = [];
      expect(await sha256OfBlob(new Blob([data]), (b) => seen.push(b)), `length ${n}`).toBe(reference(data));
      expect(seen.at(-1)).toBe(n);
    }
  });
});
