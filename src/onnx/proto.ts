/**
 * The ONNX protobuf subset Kineto rewrites, read and written by hand (no protobuf library, so the worker bundle
 * stays small and nothing is lost): ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
 * ValueInfoProto, OperatorSetIdProto and StringStringEntryProto, after onnx/onnx.proto (IR version 10).
 *
 * Fields Kineto does not model are kept as `unknown`: their bytes, tag included, are written back unchanged.
 * Big payloads (`raw_data`, value-info types, unknown fields) are views into the input, never copies.
 *
 * Round trip: `encodeModel(decodeModel(b))` gives `b` back byte for byte when `b` was written the way every
 * protobuf library writes ONNX (fields in field-number order, minimal varints, proto2 unpacked repeated numbers),
 * which is how onnx, PyTorch and onnxruntime write it. Any other valid encoding is read correctly and written back
 * in that canonical form. Field numbers and wire types: https://protobuf.dev/programming-guides/encoding/.
 */

/** One field Kineto does not model: its number and its complete encoding (tag and payload). */
export type UnknownField = { fieldNumber: number; bytes: Uint8Array };

/** `onnx.StringStringEntryProto`: a metadata entry. */
export type StringStringEntry = { key?: string; value?: string; unknown: UnknownField[] };

/** `onnx.OperatorSetIdProto`: an opset the model imports (`domain` '' or absent is the default ONNX domain). */
export type OperatorSetId = { domain?: string; version?: number; unknown: UnknownField[] };

/** `onnx.TensorProto`, with the payload fields other than `raw_data` (float_data, int64_data, …) left unknown. */
export type TensorProto = {
  dims: number[];
  /** `onnx.TensorProto.DataType`: 1 float32, 6 int32, 7 int64, 10 float16, … */
  dataType?: number;
  name?: string;
  rawData?: Uint8Array;
  docString?: string;
  unknown: UnknownField[];
};

/** `onnx.ValueInfoProto`; `type` is the encoded `TypeProto`, read with {@link decodeTensorType}. */
export type ValueInfoProto = { name?: string; type?: Uint8Array; docString?: string; unknown: UnknownField[] };

/** `onnx.AttributeProto.AttributeType` values. */
export const ATTRIBUTE_TYPE = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8, TENSORS: 9, GRAPHS: 10 } as const;

/** `onnx.AttributeProto`; integers are bigint because ONNX uses the whole int64 range (e.g. Slice's INT64_MAX). */
export type AttributeProto = {
  name?: string;
  /** One of {@link ATTRIBUTE_TYPE}. */
  type?: number;
  f?: number;
  i?: bigint;
  s?: Uint8Array;
  t?: TensorProto;
  g?: GraphProto;
  floats: number[];
  ints: bigint[];
  strings: Uint8Array[];
  tensors: TensorProto[];
  graphs: GraphProto[];
  docString?: string;
  unknown: UnknownField[];
};

/** `onnx.NodeProto`; an empty string in `input` is an omitted optional input. */
export type NodeProto = {
  input: string[];
  output: string[];
  name?: string;
  opType?: string;
  attribute: AttributeProto[];
  docString?: string;
  domain?: string;
  overload?: string;
  /** Per-node metadata; torch's dynamo exporter stores module paths here (`pkg.torch.onnx.name_scopes`). */
  metadataProps: StringStringEntry[];
  unknown: UnknownField[];
};

/** `onnx.GraphProto`; doc_string, sparse initializers, quantization annotations and metadata stay unknown. */
export type GraphProto = {
  node: NodeProto[];
  name?: string;
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  valueInfo: ValueInfoProto[];
  unknown: UnknownField[];
};

/** `onnx.ModelProto`; producer, doc string, functions, training info etc. stay unknown. */
export type ModelProto = {
  irVersion?: number;
  opsetImport: OperatorSetId[];
  graph?: GraphProto;
  metadataProps: StringStringEntry[];
  unknown: UnknownField[];
};

// ---------------------------------------------------------------------------------------------------------------
// Wire format

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_SGROUP = 3;
const WIRE_EGROUP = 4;
const WIRE_I32 = 5;

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/** Thrown for bytes that are not a valid encoding of the message being read. */
export class ProtoDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtoDecodeError';
  }
}

class Reader {
  pos: number;
  readonly view: DataView;
  constructor(readonly buf: Uint8Array, start: number, readonly end: number) {
    this.pos = start;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** A varint as an unsigned 64-bit bigint. */
  varintBig(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtoDecodeError(`truncated varint at byte ${this.pos}`);
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    throw new ProtoDecodeError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  /** A varint as a JS number: fast for the small non-negative values that tags, lengths and enums are. */
  varint(): number {
    const start = this.pos;
    let result = 0;
    let mult = 1;
    for (let i = 0; i < 7; i++) {
      if (this.pos >= this.end) throw new ProtoDecodeError(`truncated varint at byte ${this.pos}`);
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * mult;
      if (b < 0x80) return result;
      mult *= 128;
    }
    this.pos = start;
    const big = BigInt.asIntN(64, this.varintBig());
    if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new ProtoDecodeError(`integer ${big} at byte ${start} does not fit a JS number`);
    }
    return Number(big);
  }

  /** The [start, end) of a length-delimited payload, advancing past it. */
  lenRange(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    if (len < 0 || start + len > this.end) throw new ProtoDecodeError(`length ${len} at byte ${start} runs past the end of its message`);
    this.pos = start + len;
    return [start, start + len];
  }

  bytes(): Uint8Array {
    const [s, e] = this.lenRange();
    return this.buf.subarray(s, e);
  }

  string(): string {
    const [s, e] = this.lenRange();
    try {
      return utf8Decoder.decode(this.buf.subarray(s, e));
    } catch {
      throw new ProtoDecodeError(`string at byte ${s} is not valid UTF-8`);
    }
  }

  float32(): number {
    if (this.pos + 4 > this.end) throw new ProtoDecodeError(`truncated float at byte ${this.pos}`);
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** Skips the payload of a field whose tag has just been read. */
  skip(wireType: number, fieldNumber: number): void {
    switch (wireType) {
      case WIRE_VARINT: this.varintBig(); return;
      case WIRE_I64: this.advance(8); return;
      case WIRE_LEN: this.lenRange(); return;
      case WIRE_I32: this.advance(4); return;
      case WIRE_SGROUP:
        for (;;) {
          const tag = this.varint();
          if ((tag & 7) === WIRE_EGROUP) {
            if (tag >>> 3 !== fieldNumber) throw new ProtoDecodeError(`mismatched end-group at byte ${this.pos}`);
            return;
          }
          this.skip(tag & 7, tag >>> 3);
        }
      default:
        throw new ProtoDecodeError(`unknown wire type ${wireType} at byte ${this.pos}`);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) throw new ProtoDecodeError(`truncated field at byte ${this.pos}`);
    this.pos += n;
  }
}

/**
 * Collects output as a list of chunks so that large payloads (weights) are referenced, not copied, until the one
 * final concatenation. Small writes go to a scratch buffer.
 */
class Writer {
  private chunks: Uint8Array[] = [];
  private scratch: Uint8Array;
  /** Bytes of `scratch` before `start` are already in `chunks`. */
  private start = 0;
  private used = 0;
  private flushed = 0;

  constructor(initialBytes = 64) {
    this.scratch = new Uint8Array(initialBytes);
  }

  get length(): number {
    return this.flushed + this.used - this.start;
  }

  private ensure(n: number): void {
    if (this.used + n <= this.scratch.length) return;
    this.flush();
    this.scratch = new Uint8Array(Math.max(n, Math.min(this.scratch.length * 2, 64 * 1024)));
    this.start = 0;
    this.used = 0;
  }

  private flush(): void {
    if (this.used === this.start) return;
    this.chunks.push(this.scratch.subarray(this.start, this.used));
    this.flushed += this.used - this.start;
    this.start = this.used;
  }

  byte(b: number): void {
    this.ensure(1);
    this.scratch[this.used++] = b;
  }

  varint(n: number): void {
    if (n < 0 || !Number.isSafeInteger(n)) {
      this.varintBig(BigInt(n));
      return;
    }
    this.ensure(10);
    while (n >= 0x80) {
      this.scratch[this.used++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    this.scratch[this.used++] = n;
  }

  /** Signed or unsigned 64-bit; negatives take 10 bytes, as protobuf writes int32/int64. */
  varintBig(v: bigint): void {
    let u = BigInt.asUintN(64, v);
    this.ensure(10);
    while (u >= 0x80n) {
      this.scratch[this.used++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.scratch[this.used++] = Number(u);
  }

  tag(fieldNumber: number, wireType: number): void {
    this.varint(fieldNumber * 8 + wireType);
  }

  float32(v: number): void {
    this.ensure(4);
    new DataView(this.scratch.buffer, this.scratch.byteOffset + this.used, 4).setFloat32(0, v, true);
    this.used += 4;
  }

  /** Appends bytes; big ones are kept by reference. */
  raw(b: Uint8Array): void {
    if (b.length >= 1024) {
      this.flush();
      this.chunks.push(b);
      this.flushed += b.length;
      return;
    }
    this.ensure(b.length);
    this.scratch.set(b, this.used);
    this.used += b.length;
  }

  lenDelimited(fieldNumber: number, b: Uint8Array): void {
    this.tag(fieldNumber, WIRE_LEN);
    this.varint(b.length);
    this.raw(b);
  }

  /** Appends another writer's output as a length-delimited field. */
  message(fieldNumber: number, inner: Writer): void {
    this.tag(fieldNumber, WIRE_LEN);
    this.varint(inner.length);
    inner.flush();
    this.flush();
    for (const c of inner.chunks) this.chunks.push(c);
    this.flushed += inner.flushed;
  }

  finish(): Uint8Array {
    this.flush();
    if (this.chunks.length === 1) return this.chunks[0]!.slice();
    const out = new Uint8Array(this.flushed);
    let off = 0;
    for (const c of this.chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Schema-driven codec: one table per message says which fields are modelled and how.

type Kind = 'string' | 'bytes' | 'int' | 'int64' | 'float' | 'message';
type FieldSpec = { no: number; key: string; kind: Kind; repeated?: boolean; codec?: () => Codec };
type Msg = Record<string, unknown> & { unknown: UnknownField[] };
type Codec = { specs: FieldSpec[]; byNo: Map<number, FieldSpec>; name: string };

function codec(name: string, specs: FieldSpec[]): Codec {
  const sorted = [...specs].sort((a, b) => a.no - b.no);
  return { name, specs: sorted, byNo: new Map(sorted.map((s) => [s.no, s])) };
}

const WIRE_OF: Record<Kind, number> = { string: WIRE_LEN, bytes: WIRE_LEN, int: WIRE_VARINT, int64: WIRE_VARINT, float: WIRE_I32, message: WIRE_LEN };

function readScalar(r: Reader, spec: FieldSpec): unknown {
  switch (spec.kind) {
    case 'string': return r.string();
    case 'bytes': return r.bytes();
    case 'int': return r.varint();
    case 'int64': return BigInt.asIntN(64, r.varintBig());
    case 'float': return r.float32();
    case 'message': {
      const [s, e] = r.lenRange();
      return decodeWith(spec.codec!(), r.buf, s, e);
    }
  }
}

function decodeWith(c: Codec, buf: Uint8Array, start: number, end: number): Msg {
  const msg: Msg = { unknown: [] };
  for (const s of c.specs) if (s.repeated) msg[s.key] = [];
  const r = new Reader(buf, start, end);
  while (r.pos < end) {
    const fieldStart = r.pos;
    const tag = r.varint();
    const no = Math.floor(tag / 8);
    const wire = tag & 7;
    if (no === 0) throw new ProtoDecodeError(`${c.name}: field number 0 at byte ${fieldStart}`);
    const spec = c.byNo.get(no);
    if (spec && wire === WIRE_OF[spec.kind]) {
      const v = readScalar(r, spec);
      if (spec.repeated) (msg[spec.key] as unknown[]).push(v);
      else msg[spec.key] = v;
    } else if (spec && spec.repeated && wire === WIRE_LEN && (spec.kind === 'int' || spec.kind === 'int64' || spec.kind === 'float')) {
      // A packed repeated number (proto3 writers): read every element.
      const [s, e] = r.lenRange();
      const inner = new Reader(buf, s, e);
      const arr = msg[spec.key] as unknown[];
      while (inner.pos < e) arr.push(readScalar(inner, spec));
    } else {
      r.skip(wire, no);
      msg.unknown.push({ fieldNumber: no, bytes: buf.subarray(fieldStart, r.pos) });
    }
  }
  if (r.pos !== end) throw new ProtoDecodeError(`${c.name}: field runs past the end of the message`);
  return msg;
}

function writeScalar(w: Writer, spec: FieldSpec, v: unknown): void {
  switch (spec.kind) {
    case 'string': w.lenDelimited(spec.no, utf8Encoder.encode(v as string)); return;
    case 'bytes': w.lenDelimited(spec.no, v as Uint8Array); return;
    case 'int': w.tag(spec.no, WIRE_VARINT); w.varint(v as number); return;
    case 'int64': w.tag(spec.no, WIRE_VARINT); w.varintBig(v as bigint); return;
    case 'float': w.tag(spec.no, WIRE_I32); w.float32(v as number); return;
    case 'message': {
      const inner = new Writer();
      encodeWith(spec.codec!(), v as Msg, inner);
      w.message(spec.no, inner);
    }
  }
}

/** Modelled fields in field-number order, unknown fields merged in by number (keeping their own order). */
function encodeWith(c: Codec, msg: Msg, w: Writer): void {
  const unknown = msg.unknown ?? [];
  let u = 0;
  for (const spec of c.specs) {
    while (u < unknown.length && unknown[u]!.fieldNumber < spec.no) w.raw(unknown[u++]!.bytes);
    const v = msg[spec.key];
    if (v === undefined) continue;
    if (spec.repeated) for (const item of v as unknown[]) writeScalar(w, spec, item);
    else writeScalar(w, spec, v);
  }
  while (u < unknown.length) w.raw(unknown[u++]!.bytes);
}

const entryCodec = codec('StringStringEntryProto', [
  { no: 1, key: 'key', kind: 'string' },
  { no: 2, key: 'value', kind: 'string' },
]);
const opsetCodec = codec('OperatorSetIdProto', [
  { no: 1, key: 'domain', kind: 'string' },
  { no: 2, key: 'version', kind: 'int' },
]);
const tensorCodec = codec('TensorProto', [
  { no: 1, key: 'dims', kind: 'int', repeated: true },
  { no: 2, key: 'dataType', kind: 'int' },
  { no: 8, key: 'name', kind: 'string' },
  { no: 9, key: 'rawData', kind: 'bytes' },
  { no: 12, key: 'docString', kind: 'string' },
]);
const valueInfoCodec = codec('ValueInfoProto', [
  { no: 1, key: 'name', kind: 'string' },
  { no: 2, key: 'type', kind: 'bytes' },
  { no: 3, key: 'docString', kind: 'string' },
]);
const attributeCodec: Codec = codec('AttributeProto', [
  { no: 1, key: 'name', kind: 'string' },
  { no: 2, key: 'f', kind: 'float' },
  { no: 3, key: 'i', kind: 'int64' },
  { no: 4, key: 's', kind: 'bytes' },
  { no: 5, key: 't', kind: 'message', codec: () => tensorCodec },
  { no: 6, key: 'g', kind: 'message', codec: () => graphCodec },
  { no: 7, key: 'floats', kind: 'float', repeated: true },
  { no: 8, key: 'ints', kind: 'int64', repeated: true },
  { no: 9, key: 'strings', kind: 'bytes', repeated: true },
  { no: 10, key: 'tensors', kind: 'message', repeated: true, codec: () => tensorCodec },
  { no: 11, key: 'graphs', kind: 'message', repeated: true, codec: () => graphCodec },
  { no: 13, key: 'docString', kind: 'string' },
  { no: 20, key: 'type', kind: 'int' },
]);
const nodeCodec = codec('NodeProto', [
  { no: 1, key: 'input', kind: 'string', repeated: true },
  { no: 2, key: 'output', kind: 'string', repeated: true },
  { no: 3, key: 'name', kind: 'string' },
  { no: 4, key: 'opType', kind: 'string' },
  { no: 5, key: 'attribute', kind: 'message', repeated: true, codec: () => attributeCodec },
  { no: 6, key: 'docString', kind: 'string' },
  { no: 7, key: 'domain', kind: 'string' },
  { no: 8, key: 'overload', kind: 'string' },
  { no: 9, key: 'metadataProps', kind: 'message', repeated: true, codec: () => entryCodec },
]);
const graphCodec: Codec = codec('GraphProto', [
  { no: 1, key: 'node', kind: 'message', repeated: true, codec: () => nodeCodec },
  { no: 2, key: 'name', kind: 'string' },
  { no: 5, key: 'initializer', kind: 'message', repeated: true, codec: () => tensorCodec },
  { no: 11, key: 'input', kind: 'message', repeated: true, codec: () => valueInfoCodec },
  { no: 12, key: 'output', kind: 'message', repeated: true, codec: () => valueInfoCodec },
  { no: 13, key: 'valueInfo', kind: 'message', repeated: true, codec: () => valueInfoCodec },
]);
const modelCodec = codec('ModelProto', [
  { no: 1, key: 'irVersion', kind: 'int' },
  { no: 7, key: 'graph', kind: 'message', codec: () => graphCodec },
  { no: 8, key: 'opsetImport', kind: 'message', repeated: true, codec: () => opsetCodec },
  { no: 14, key: 'metadataProps', kind: 'message', repeated: true, codec: () => entryCodec },
]);

function decodeAs<T>(c: Codec, bytes: Uint8Array): T {
  return decodeWith(c, bytes, 0, bytes.length) as unknown as T;
}

function encodeAs(c: Codec, msg: object): Uint8Array {
  const w = new Writer();
  encodeWith(c, msg as Msg, w);
  return w.finish();
}

// ---------------------------------------------------------------------------------------------------------------
// Public API

/**
 * Reads an ONNX model. The result holds views into `bytes` (weights are not copied), so keep `bytes` unchanged
 * while the model is in use. Throws {@link ProtoDecodeError} for bytes that are not a protobuf message.
 */
export function decodeModel(bytes: Uint8Array): ModelProto {
  return decodeAs<ModelProto>(modelCodec, bytes);
}

/** Writes an ONNX model into one new buffer. */
export function encodeModel(model: ModelProto): Uint8Array {
  return encodeAs(modelCodec, model);
}

export function decodeGraph(bytes: Uint8Array): GraphProto {
  return decodeAs<GraphProto>(graphCodec, bytes);
}
export function encodeGraph(graph: GraphProto): Uint8Array {
  return encodeAs(graphCodec, graph);
}
export function decodeNode(bytes: Uint8Array): NodeProto {
  return decodeAs<NodeProto>(nodeCodec, bytes);
}
export function encodeNode(node: NodeProto): Uint8Array {
  return encodeAs(nodeCodec, node);
}
export function decodeAttribute(bytes: Uint8Array): AttributeProto {
  return decodeAs<AttributeProto>(attributeCodec, bytes);
}
export function encodeAttribute(attribute: AttributeProto): Uint8Array {
  return encodeAs(attributeCodec, attribute);
}
export function decodeTensor(bytes: Uint8Array): TensorProto {
  return decodeAs<TensorProto>(tensorCodec, bytes);
}
export function encodeTensor(tensor: TensorProto): Uint8Array {
  return encodeAs(tensorCodec, tensor);
}
export function decodeValueInfo(bytes: Uint8Array): ValueInfoProto {
  return decodeAs<ValueInfoProto>(valueInfoCodec, bytes);
}
export function encodeValueInfo(valueInfo: ValueInfoProto): Uint8Array {
  return encodeAs(valueInfoCodec, valueInfo);
}

/** A dimension of a tensor type: a fixed size, a symbolic name, or unknown. */
export type Dim = number | string | null;

/**
 * Reads `TypeProto.tensor_type` (element type and shape) from an encoded TypeProto, as found in
 * `ValueInfoProto.type`. Returns null for non-tensor types; `shape` is null when the rank is unknown.
 */
export function decodeTensorType(type: Uint8Array): { elemType: number; shape: Dim[] | null } | null {
  const typeMsg = decodeWith(typeCodec, type, 0, type.length) as { tensor?: { elemType?: number; shape?: { dim: { value?: number; param?: string }[] } } };
  if (!typeMsg.tensor) return null;
  const shape = typeMsg.tensor.shape ? typeMsg.tensor.shape.dim.map((d) => d.value ?? d.param ?? null) : null;
  return { elemType: typeMsg.tensor.elemType ?? 0, shape };
}

/** Encodes a `TypeProto` holding a tensor type, for `ValueInfoProto.type`; `null` dims are left unknown. */
export function encodeTensorType(elemType: number, shape: readonly Dim[]): Uint8Array {
  const dim = shape.map((d) => ({ ...(typeof d === 'number' ? { value: d } : typeof d === 'string' ? { param: d } : {}), unknown: [] }));
  return encodeAs(typeCodec, { tensor: { elemType, shape: { dim, unknown: [] }, unknown: [] }, unknown: [] });
}

const dimCodec = codec('TensorShapeProto.Dimension', [
  { no: 1, key: 'value', kind: 'int' },
  { no: 2, key: 'param', kind: 'string' },
]);
const shapeCodec = codec('TensorShapeProto', [{ no: 1, key: 'dim', kind: 'message', repeated: true, codec: () => dimCodec }]);
const tensorTypeCodec = codec('TypeProto.Tensor', [
  { no: 1, key: 'elemType', kind: 'int' },
  { no: 2, key: 'shape', kind: 'message', codec: () => shapeCodec },
]);
const typeCodec = codec('TypeProto', [{ no: 1, key: 'tensor', kind: 'message', codec: () => tensorTypeCodec }]);

/** An int64 1-D tensor, e.g. for a `Constant` node's `value`. */
export function int64Tensor(values: readonly bigint[], name?: string): TensorProto {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, v, true));
  return { dims: [values.length], dataType: 7, ...(name === undefined ? {} : { name }), rawData: raw, unknown: [] };
}

/** A node with the given fields and empty lists elsewhere. */
export function makeNode(n: { opType: string; input: string[]; output: string[]; name?: string; domain?: string; attribute?: AttributeProto[] }): NodeProto {
  return {
    input: n.input,
    output: n.output,
    ...(n.name === undefined ? {} : { name: n.name }),
    opType: n.opType,
    attribute: n.attribute ?? [],
    ...(n.domain === undefined ? {} : { domain: n.domain }),
    metadataProps: [],
    unknown: [],
  };
}

/** An attribute with an empty list in every repeated field. */
export function makeAttribute(a: Partial<Omit<AttributeProto, 'unknown'>> & { name: string; type: number }): AttributeProto {
  return { floats: [], ints: [], strings: [], tensors: [], graphs: [], ...a, unknown: [] };
}
