/**
 * sha256 of bytes in memory, with WebCrypto's native digest: model files checked against their manifest, a
 * manifest for the provenance record. Resumable hashing (downloads) is `sha256-resumable.ts`; Blobs too large for
 * one buffer, `sha256-blob.ts`.
 */
import { toHex } from './hex';

/** Digests already computed, by buffer: a source that checked a file does not make loadModel hash it twice. */
const digests = new WeakMap<Uint8Array, string>();

/** The digest as 64 lower-case hex digits. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const known = digests.get(bytes);
  if (known !== undefined) return known;
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  const hex = toHex(new Uint8Array(digest));
  digests.set(bytes, hex);
  return hex;
}
