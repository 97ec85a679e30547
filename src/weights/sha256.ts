/**
 * Incremental SHA-256 (FIPS 180-4), because WebCrypto's `subtle.digest` needs the whole message in one buffer:
 * a download is hashed chunk by chunk as it arrives, and the running state is saved with the partial file so a
 * resumed download (even after a page reload) continues the same hash without reading the stored bytes again.
 *
 * Notation as in FIPS 180-4 §6.2: H⁽ⁱ⁾ the eight 32-bit working hash words, W the 64-word message schedule,
 * K the round constants (first 32 bits of the fractional parts of the cube roots of the first 64 primes).
 */

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** H⁽⁰⁾: first 32 bits of the fractional parts of the square roots of the first 8 primes. */
const H0 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/** A hash in progress as plain JSON: the working hash words, the message length so far, and the unprocessed tail. */
export type Sha256State = {
  /** H⁽ⁱ⁾ after the last complete 64-byte block. */
  h: number[];
  /** Message bytes hashed so far (tail included). */
  bytes: number;
  /** Bytes after the last complete block (fewer than 64), as lower-case hex. */
  tail: string;
};

export class Sha256 {
  private readonly h = new Uint32Array(H0);
  private readonly w = new Uint32Array(64);
  /** The partial block: `used` bytes of `block` are waiting for 64. */
  private readonly block = new Uint8Array(64);
  private used = 0;
  private length = 0;

  /** Bytes hashed so far. */
  get bytes(): number {
    return this.length;
  }

  update(data: Uint8Array): this {
    let i = 0;
    this.length += data.byteLength;
    if (this.used > 0) {
      const n = Math.min(64 - this.used, data.byteLength);
      this.block.set(data.subarray(0, n), this.used);
      this.used += n;
      i = n;
      if (this.used < 64) return this;
      this.compress(this.block, 0);
      this.used = 0;
    }
    for (; i + 64 <= data.byteLength; i += 64) this.compress(data, i);
    if (i < data.byteLength) {
      this.block.set(data.subarray(i), 0);
      this.used = data.byteLength - i;
    }
    return this;
  }

  /** The digest as 64 lower-case hex digits; the hasher itself is left untouched (more updates may follow). */
  hex(): string {
    const copy = Sha256.restore(this.state());
    // Padding (FIPS 180-4 §5.1.1): 0x80, zeros to 56 mod 64, then the message length in bits, big-endian 64-bit.
    const bitsHigh = Math.floor(copy.length / 0x20000000);
    const bitsLow = (copy.length * 8) >>> 0;
    const pad = new Uint8Array(((copy.used < 56 ? 56 : 120) - copy.used) + 8);
    pad[0] = 0x80;
    const view = new DataView(pad.buffer);
    view.setUint32(pad.length - 8, bitsHigh);
    view.setUint32(pad.length - 4, bitsLow);
    copy.update(pad);
    return Array.from(copy.h, (x) => x.toString(16).padStart(8, '0')).join('');
  }

  state(): Sha256State {
    return {
      h: Array.from(this.h),
      bytes: this.length,
      tail: Array.from(this.block.subarray(0, this.used), (b) => b.toString(16).padStart(2, '0')).join(''),
    };
  }

  /** A hasher continuing from `state`; throws on a malformed state (a damaged record). */
  static restore(state: Sha256State): Sha256 {
    const ok = Array.isArray(state.h) && state.h.length === 8 && state.h.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffffffff)
      && Number.isSafeInteger(state.bytes) && state.bytes >= 0 && typeof state.tail === 'string'
      && /^(?:[0-9a-f]{2}){0,63}$/.test(state.tail) && state.tail.length / 2 === state.bytes % 64;
    if (!ok) throw new Error('Invalid SHA-256 state.');
    const s = new Sha256();
    s.h.set(state.h);
    s.length = state.bytes;
    for (let i = 0; i < state.tail.length; i += 2) s.block[i / 2] = parseInt(state.tail.slice(i, i + 2), 16);
    s.used = state.tail.length / 2;
    return s;
  }

  /** One 64-byte block at `data[offset]` (FIPS 180-4 §6.2.2). */
  private compress(data: Uint8Array, offset: number): void {
    const w = this.w;
    const h = this.h;
    // 1. Prepare the message schedule W.
    for (let t = 0; t < 16; t++) {
      const j = offset + t * 4;
      w[t] = (data[j]! << 24) | (data[j + 1]! << 16) | (data[j + 2]! << 8) | data[j + 3]!;
    }
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15]!;
      const y = w[t - 2]!;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0;
    }
    // 2. Initialise the working variables a…h with H⁽ⁱ⁻¹⁾.
    let a = h[0]!, b = h[1]!, c = h[2]!, d = h[3]!, e = h[4]!, f = h[5]!, g = h[6]!, k = h[7]!;
    // 3. 64 rounds.
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const T1 = (k + S1 + ch + K[t]! + w[t]!) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const T2 = (S0 + maj) | 0;
      k = g;
      g = f;
      f = e;
      e = (d + T1) | 0;
      d = c;
      c = b;
      b = a;
      a = (T1 + T2) | 0;
    }
    // 4. H⁽ⁱ⁾ = H⁽ⁱ⁻¹⁾ + working variables.
    h[0] = h[0]! + a;
    h[1] = h[1]! + b;
    h[2] = h[2]! + c;
    h[3] = h[3]! + d;
    h[4] = h[4]! + e;
    h[5] = h[5]! + f;
    h[6] = h[6]! + g;
    h[7] = h[7]! + k;
  }
}
