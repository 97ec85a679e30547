/**
 * The hand-written ONNX protobuf reader/writer: byte-exact round trips of real models, unknown fields kept
 * byte for byte, the awkward encodings (negative int64, packed numbers, UTF-8, empty-but-present strings), clear
 * errors on bad bytes, and a model built from scratch that onnxruntime runs.
 */
import * as ort from 'onnxruntime-node';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ATTRIBUTE_TYPE, decodeAttribute, decodeModel, decodeNode, decodeTensor, decodeTensorType, encodeAttribute,
  encodeModel, encodeNode, encodeTensor, encodeTensorType, int64Tensor, makeAttribute, makeNode, ProtoDecodeError,
  type ModelProto,
} from '../../../src/onnx/proto';

const ROOT = path.resolve(__dirname, '../../..');
const MODEL_FILES = [
  ...readdirSync(path.join(ROOT, 'public/models/kineto-shapes')).filter((f) => f.endsWith('.onnx')).map((f) => `public/models/kineto-shapes/${f}`),
  ...readdirSync(path.join(ROOT, 'tests/fixtures/attention')).filter((f) => f.endsWith('.onnx')).map((f) => `tests/fixtures/attention/${f}`),
];
const read = (rel: string) => new Uint8Array(readFileSync(path.join(ROOT, rel)));

/** Hand-assembled protobuf: [fieldNumber, wireType, payload] where payload is bytes (LEN) or a number list. */
function varint(n: bigint): number[] {
  let u = BigInt.asUintN(64, n);
  const out: number[] = [];
  while (u >= 0x80n) { out.push(Number(u & 0x7fn) | 0x80); u >>= 7n; }
  out.push(Number(u));
  return out;
}
function field(no: number, wire: number, payload: number[]): number[] {
  return [...varint(BigInt(no * 8 + wire)), ...(wire === 2 ? varint(BigInt(payload.length)) : []), ...payload];
}
const str = (s: string) => [...new TextEncoder().encode(s)];

describe('round trip', () => {
  it.each(MODEL_FILES)('%s: decode + encode gives the same bytes', (rel) => {
    const bytes = read(rel);
    const out = encodeModel(decodeModel(bytes));
    expect(out.length).toBe(bytes.length);
    expect(Buffer.compare(Buffer.from(out), Buffer.from(bytes))).toBe(0);
  });

  it('reads the denoiser the way onnx.load does', () => {
    const m = decodeModel(read('public/models/kineto-shapes/denoiser.onnx'));
    // Values from `onnx.load` in the training venv for the shipped export (re-pin when the model is re-exported).
    expect(m.irVersion).toBe(10);
    expect(m.opsetImport.map((o) => [o.domain ?? '', o.version])).toEqual([['', 18]]);
    const g = m.graph!;
    expect(g.node.length).toBe(607);
    expect(g.input.map((v) => v.name)).toEqual(['sample', 'timestep', 'encoder_hidden_states', 'cond_latents', 'cond_mask']);
    expect(decodeTensorType(g.input[0]!.type!)).toEqual({ elemType: 1, shape: ['batch', 4, '4*frames4', 16, 16] });
    expect(g.output.map((v) => v.name)).toEqual(['out_sample']);
    // Every float initializer's raw_data holds exactly its elements (a view into the file, not a copy).
    const floats = g.initializer.filter((t) => t.dataType === 1 && t.rawData);
    expect(floats.length).toBeGreaterThan(10);
    for (const t of floats) expect(t.rawData!.length).toBe(4 * t.dims.reduce((a, b) => a * b, 1));
    const conv = g.node.find((n) => n.opType === 'Conv')!;
    expect(conv.name).toMatch(/^node_/);
    expect(conv.metadataProps.find((e) => e.key === 'pkg.torch.onnx.name_scopes')?.value).toMatch(/^\[''/);
  });

  it('keeps a decoded model usable after editing: renaming a node changes only that node', () => {
    const bytes = read('public/models/kineto-shapes/vae_decoder.onnx');
    const m = decodeModel(bytes);
    const g = m.graph!;
    const edited: ModelProto = { ...m, graph: { ...g, node: g.node.map((n, i) => (i === 3 ? { ...n, name: 'renamed' } : n)) } };
    const again = decodeModel(encodeModel(edited));
    expect(again.graph!.node.map((n) => n.name)).toEqual(g.node.map((n, i) => (i === 3 ? 'renamed' : n.name)));
    expect(again.graph!.initializer.map((t) => [t.name, t.rawData?.length])).toEqual(g.initializer.map((t) => [t.name, t.rawData?.length]));
  });
});

describe('unknown fields', () => {
  // A NodeProto with unmodelled fields 10 (device_configurations-like, LEN), 99 (varint) and 15 (fixed64)
  // interleaved by number among modelled ones.
  const nodeBytes = new Uint8Array([
    ...field(1, 2, str('x')),
    ...field(2, 2, str('y')),
    ...field(3, 2, str('relu')),
    ...field(4, 2, str('Relu')),
    ...field(10, 2, [1, 2, 3, 250]),
    ...field(15, 1, [1, 2, 3, 4, 5, 6, 7, 8]),
    ...field(99, 0, varint(-5n)),
  ]);

  it('are kept byte for byte and in place', () => {
    const n = decodeNode(nodeBytes);
    expect(n).toMatchObject({ input: ['x'], output: ['y'], name: 'relu', opType: 'Relu' });
    expect(n.unknown.map((u) => u.fieldNumber)).toEqual([10, 15, 99]);
    expect([...n.unknown[0]!.bytes]).toEqual(field(10, 2, [1, 2, 3, 250]));
    expect(Buffer.compare(Buffer.from(encodeNode(n)), Buffer.from(nodeBytes))).toBe(0);
  });

  it('survive edits of the modelled fields', () => {
    const n = decodeNode(nodeBytes);
    const out = decodeNode(encodeNode({ ...n, name: 'changed', input: ['a', '', 'b'] }));
    expect(out).toMatchObject({ input: ['a', '', 'b'], name: 'changed' });
    expect(out.unknown.map((u) => [...u.bytes])).toEqual(n.unknown.map((u) => [...u.bytes]));
  });

  it('include groups (wire types 3/4), skipped whole', () => {
    const bytes = new Uint8Array([...field(3, 2, str('n')), ...varint(BigInt(50 * 8 + 3)), ...field(1, 0, [7]), ...varint(BigInt(50 * 8 + 4))]);
    const n = decodeNode(bytes);
    expect(n.name).toBe('n');
    expect(n.unknown).toHaveLength(1);
    expect(Buffer.compare(Buffer.from(encodeNode(n)), Buffer.from(bytes))).toBe(0);
  });
});

describe('encodings', () => {
  it('int64 attributes cover the full range (negative = 10-byte varint, INT64_MAX for Slice ends)', () => {
    for (const i of [0n, 1n, -1n, -(2n ** 63n), 2n ** 63n - 1n, 300n]) {
      const a = makeAttribute({ name: 'v', type: ATTRIBUTE_TYPE.INT, i });
      const bytes = encodeAttribute(a);
      expect(decodeAttribute(bytes).i).toBe(i);
    }
    // -1 is ten varint bytes, as protobuf writes every negative int64.
    expect([...encodeAttribute(makeAttribute({ name: '', type: ATTRIBUTE_TYPE.INT, i: -1n }))])
      .toEqual([...field(1, 2, []), ...field(3, 0, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), ...field(20, 0, [2])]);
    const ints = [-3n, 0n, 2n ** 40n];
    expect(decodeAttribute(encodeAttribute(makeAttribute({ name: 'p', type: ATTRIBUTE_TYPE.INTS, ints }))).ints).toEqual(ints);
  });

  it('floats and float lists are float32', () => {
    const a = decodeAttribute(encodeAttribute(makeAttribute({ name: 'eps', type: ATTRIBUTE_TYPE.FLOATS, f: 1e-5, floats: [0.5, -2, 1 / 3] })));
    expect(a.f).toBe(Math.fround(1e-5));
    expect(a.floats).toEqual([0.5, -2, Math.fround(1 / 3)]);
  });

  it('reads packed repeated numbers (proto3 writers) and writes them unpacked, as onnx.proto (proto2) does', () => {
    const packed = new Uint8Array([...field(1, 2, str('perm')), ...field(8, 2, [...varint(0n), ...varint(2n), ...varint(1n)]), ...field(20, 0, [7])]);
    const a = decodeAttribute(packed);
    expect(a.ints).toEqual([0n, 2n, 1n]);
    const unpacked = encodeAttribute(a);
    expect([...unpacked]).toEqual([...field(1, 2, str('perm')), ...field(8, 0, [0]), ...field(8, 0, [2]), ...field(8, 0, [1]), ...field(20, 0, [7])]);
    const dims = decodeTensor(new Uint8Array(field(1, 2, [2, 3]))).dims;
    expect(dims).toEqual([2, 3]);
  });

  it('keeps UTF-8 names and tells an empty string from an absent one', () => {
    const n = makeNode({ opType: 'Identity', input: ['größe→x'], output: [''], name: '' });
    const back = decodeNode(encodeNode(n));
    expect(back.input).toEqual(['größe→x']);
    expect(back.output).toEqual(['']);
    expect(back.name).toBe('');
    expect(back.domain).toBeUndefined();
    expect(decodeNode(encodeNode({ ...n, name: undefined })).name).toBeUndefined();
  });

  it('tensor types round-trip through ValueInfoProto.type', () => {
    const t = encodeTensorType(7, ['batch', 4, null]);
    expect(decodeTensorType(t)).toEqual({ elemType: 7, shape: ['batch', 4, null] });
    expect(decodeTensorType(new Uint8Array(field(4, 2, [])))).toBeNull(); // a sequence type, not a tensor
  });

  it('int64Tensor stores little-endian raw data', () => {
    const t = decodeTensor(encodeTensor(int64Tensor([0n, -1n, 5n], 'idx')));
    expect(t).toMatchObject({ name: 'idx', dims: [3], dataType: 7 });
    expect([...new BigInt64Array(t.rawData!.slice().buffer)]).toEqual([0n, -1n, 5n]);
  });
});

describe('errors', () => {
  it('throws ProtoDecodeError on truncated or malformed bytes', () => {
    const bytes = read('public/models/kineto-shapes/vae_decoder.onnx');
    expect(() => decodeModel(bytes.subarray(0, bytes.length - 7))).toThrow(ProtoDecodeError);
    expect(() => decodeNode(new Uint8Array([0x0f]))).toThrow(/unknown wire type 7/); // field 1, wire type 7
    expect(() => decodeNode(new Uint8Array([0x1a, 0x05, 0x61]))).toThrow(/runs past the end/);
    expect(() => decodeNode(new Uint8Array([0x1a, 0x02, 0xc3, 0x28]))).toThrow(/not valid UTF-8/);
    expect(() => decodeNode(new Uint8Array([0x08, 0x80]))).toThrow(/truncated varint/);
  });
});

describe('writer', () => {
  it('builds a model from scratch that onnxruntime runs: y = x + Constant([1, 2])', async () => {
    const floatType = encodeTensorType(1, [2]);
    const value = new Float32Array([1, 2]);
    const model: ModelProto = {
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17, unknown: [] }],
      metadataProps: [],
      unknown: [],
      graph: {
        name: 'scratch',
        node: [
          makeNode({
            opType: 'Constant', input: [], output: ['c'], name: 'const',
            attribute: [makeAttribute({ name: 'value', type: ATTRIBUTE_TYPE.TENSOR, t: { dims: [2], dataType: 1, rawData: new Uint8Array(value.buffer), unknown: [] } })],
          }),
          makeNode({ opType: 'Add', input: ['x', 'c'], output: ['y'], name: 'add' }),
        ],
        initializer: [],
        input: [{ name: 'x', type: floatType, unknown: [] }],
        output: [{ name: 'y', type: floatType, unknown: [] }],
        valueInfo: [],
        unknown: [],
      },
    };
    const session = await ort.InferenceSession.create(encodeModel(model));
    const out = await session.run({ x: new ort.Tensor('float32', new Float32Array([10, 20]), [2]) });
    expect([...(out.y!.data as Float32Array)]).toEqual([11, 22]);
    await session.release();
  });
});
