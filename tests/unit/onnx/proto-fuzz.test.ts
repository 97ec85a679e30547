/**
 * Fuzzed ONNX bytes into the protobuf codec (src/onnx/proto.ts): truncations, bit flips, and length or varint
 * fields overwritten to point far past the end must end in a `ProtoDecodeError` (or a model, when the damage is
 * harmless) — never another exception, a hang, or a structure larger than the bytes could describe.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/engine/rng';
import { decodeModel, decodeTensorType, type ModelProto, ProtoDecodeError } from '../../../src/onnx/proto';

const ROOT = path.resolve(__dirname, '../../..');
const MODELS = ['public/models/kineto-shapes/vae_decoder.onnx', 'public/models/kineto-shapes/text_encoder.onnx', 'tests/fixtures/attention/unet-attn.onnx'];
const CASES_PER_MODEL = 350;

/** A varint that claims a length of about 2^34 bytes (or a huge tag / integer, depending on where it lands). */
const HUGE_VARINT = [0xff, 0xff, 0xff, 0xff, 0x7f];

function mutate(bytes: Uint8Array, rng: Rng): { out: Uint8Array; what: string } {
  const at = rng.nextUint32() % bytes.length;
  switch (rng.nextUint32() % 4) {
    case 0:
      return { out: bytes.slice(0, at), what: `truncated to ${at} bytes` };
    case 1: {
      const out = bytes.slice();
      const flips = 1 + (rng.nextUint32() % 8);
      for (let i = 0; i < flips; i++) out[rng.nextUint32() % out.length]! ^= 1 << (rng.nextUint32() % 8);
      return { out, what: `${flips} bit flips` };
    }
    case 2: {
      // A length field a few bytes into a message: overwrite the byte after a LEN tag (wire type 2) with a huge varint.
      const out = bytes.slice();
      let p = at;
      while (p < out.length - HUGE_VARINT.length - 1 && (out[p]! & 7) !== 2) p++;
      out.set(HUGE_VARINT, Math.min(p + 1, out.length - HUGE_VARINT.length));
      return { out, what: `length at byte ${p + 1} made huge` };
    }
    default: {
      const out = bytes.slice();
      out.set(HUGE_VARINT, Math.min(at, out.length - HUGE_VARINT.length));
      return { out, what: `huge varint written at byte ${at}` };
    }
  }
}

/** Counts every array element and object in `v`: each needs at least one byte of input. */
function elements(v: unknown, seen = new Set<unknown>()): number {
  if (v === null || typeof v !== 'object' || seen.has(v) || ArrayBuffer.isView(v)) return 0;
  seen.add(v);
  const items = Array.isArray(v) ? v : Object.values(v);
  return (Array.isArray(v) ? v.length : 1) + items.reduce<number>((n, x) => n + elements(x, seen), 0);
}

describe('fuzzed ONNX bytes', () => {
  for (const file of MODELS) {
    it(`${CASES_PER_MODEL} seeded mutations of ${file}: ProtoDecodeError or a bounded model`, () => {
      const bytes = new Uint8Array(readFileSync(path.join(ROOT, file)));
      const rng = new Rng(MODELS.indexOf(file) + 101);
      let rejected = 0;
      for (let i = 0; i < CASES_PER_MODEL; i++) {
        const { out, what } = mutate(bytes, rng);
        let model: ModelProto;
        try {
          model = decodeModel(out);
          for (const v of [...(model.graph?.input ?? []), ...(model.graph?.output ?? [])]) if (v.type) decodeTensorType(v.type);
        } catch (e) {
          expect(e, `case ${i}: ${what}: ${String(e)}`).toBeInstanceOf(ProtoDecodeError);
          rejected++;
          continue;
        }
        expect(elements(model), `case ${i}: ${what}`).toBeLessThanOrEqual(out.length);
      }
      expect(rejected).toBeGreaterThan(CASES_PER_MODEL / 4);
    });
  }

  it('a length field past the end is refused before anything is allocated for it', () => {
    // Field 7 (graph), wire type 2, length 2^34: the reader must compare it with the bytes left, not allocate.
    const claim = new Uint8Array([0x3a, ...HUGE_VARINT]);
    expect(() => decodeModel(claim)).toThrow(ProtoDecodeError);
    expect(() => decodeModel(claim)).toThrow(/runs past the end/);
  });
});
