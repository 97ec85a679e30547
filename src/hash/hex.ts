/** Bytes as lower-case hex, two digits each: how sha256 digests and saved hash states are written. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
