/**
 * sha256 of a Blob or File (a picked model folder's weights, which were never checked): WebCrypto's native digest
 * when the file fits comfortably in one buffer, otherwise the incremental hasher over the Blob's stream, so a
 * multi-GB file is never held in memory whole.
 */
import { toHex } from './hex';
import { Sha256 } from './sha256';

/** Files up to this size are hashed with `crypto.subtle.digest` in one buffer. */
export const SUBTLE_DIGEST_MAX_BYTES = 512 << 20;

export async function sha256OfBlob(blob: Blob, onBytes?: (hashedBytes: number) => void): Promise<string> {
  if (blob.size <= SUBTLE_DIGEST_MAX_BYTES) {
    const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
    onBytes?.(blob.size);
    return toHex(new Uint8Array(digest));
  }
  const hasher = await Sha256.create();
  const reader = blob.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hasher.update(value);
    onBytes?.(hasher.bytes);
  }
  return hasher.hex();
}
