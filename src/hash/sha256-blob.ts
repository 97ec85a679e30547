/**
 * sha256 of a Blob or File (a picked model folder's weights, which were never checked): WebCrypto's native digest
 * when the file fits comfortably in one buffer, otherwise the incremental hasher over the Blob's stream, so a
 * multi-GB file is never held in memory whole.
 */
import { sha256Hex } from './sha256';
import { Sha256 } from './sha256-resumable';

/** Files up to this size are hashed in one buffer, with WebCrypto (`sha256.ts`). */
export const SUBTLE_DIGEST_MAX_BYTES = 512 << 20;

export async function sha256OfBlob(blob: Blob, onBytes?: (hashedBytes: number) => void): Promise<string> {
  if (blob.size <= SUBTLE_DIGEST_MAX_BYTES) {
    const hex = await sha256Hex(new Uint8Array(await blob.arrayBuffer()));
    onBytes?.(blob.size);
    return hex;
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
