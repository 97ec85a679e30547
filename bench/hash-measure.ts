/**
 * SHA-256 throughput of the hashers the weight manager could use, on the same bytes in download-sized chunks, in
 * whichever runtime imports this (Node for the bench itself, Chromium through bench/pages/hash-bench.ts). The native
 * digest (WebCrypto, whole buffer, not resumable) is the ceiling the resumable hashers are compared with.
 */
import { createSHA256 } from 'hash-wasm';
import { Sha256 } from '../src/hash/sha256-resumable';

export type HashRate = { label: string; mbPerS: number; hex: string };

/** Chunk size of the bench: what a fetch body stream hands over at a time is of this order. */
export const HASH_CHUNK = 64 << 10;

function testBytes(mb: number): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(mb << 20);
  let x = 0x9e3779b9;
  for (let i = 0; i < data.length; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    data[i] = x;
    data[i + 1] = x >>> 8;
    data[i + 2] = x >>> 16;
    data[i + 3] = x >>> 24;
  }
  return data;
}

const hexOf = (b: ArrayBuffer) => Array.from(new Uint8Array(b), (v) => v.toString(16).padStart(2, '0')).join('');

async function timed(label: string, mb: number, run: () => Promise<string> | string): Promise<HashRate> {
  const t = performance.now();
  const hex = await run();
  return { label, mbPerS: mb / ((performance.now() - t) / 1000), hex };
}

/** Hashes `mb` MiB with each hasher (chunked where the hasher is incremental); every digest must agree. */
export async function measureHashers(mb: number): Promise<HashRate[]> {
  const data = testBytes(mb);
  const chunked = (update: (c: Uint8Array) => void) => {
    for (let i = 0; i < data.length; i += HASH_CHUNK) update(data.subarray(i, i + HASH_CHUNK));
  };
  const rates = [
    await timed('weight manager (src/hash/sha256-resumable.ts), 64 KiB chunks', mb, async () => {
      const h = await Sha256.create();
      chunked((c) => h.update(c));
      return h.hex();
    }),
    await timed('hash-wasm createSHA256, 64 KiB chunks', mb, async () => {
      const h = await createSHA256();
      h.init();
      chunked((c) => h.update(c));
      return h.digest('hex');
    }),
    await timed('WebCrypto digest, one buffer (not resumable)', mb, async () => hexOf(await crypto.subtle.digest('SHA-256', data))),
  ];
  if (new Set(rates.map((r) => r.hex)).size !== 1) throw new Error(`The hashers disagree: ${rates.map((r) => `${r.label} ${r.hex}`).join('; ')}`);
  return rates;
}
