/**
 * Test fixture: moves an ONNX model's initializer weights into an external-data file, as exporters do for models
 * over protobuf's 2 GB limit (`onnx.save_model(..., save_as_external_data=True)`), by rewriting the protobuf
 * directly (no protobuf library): each TensorProto in GraphProto.initializer loses `raw_data` (field 9) and gains
 * `external_data` (field 13: location / offset / length entries) and `data_location = EXTERNAL` (field 14).
 * Field numbers from onnx/onnx.proto; wire format from https://protobuf.dev/programming-guides/encoding/.
 */

type Field = { no: number; wireType: number; start: number; end: number; valueStart: number; valueEnd: number };

function readVarint(b: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (;;) {
    const byte = b[pos++]!;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return [value, pos];
    scale *= 128;
  }
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

function fields(b: Uint8Array): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < b.length) {
    const start = pos;
    const [key, p1] = readVarint(b, pos);
    const no = Math.floor(key / 8);
    const wireType = key % 8;
    let valueStart = p1;
    let valueEnd: number;
    if (wireType === 0) valueEnd = readVarint(b, p1)[1];
    else if (wireType === 1) valueEnd = p1 + 8;
    else if (wireType === 5) valueEnd = p1 + 4;
    else if (wireType === 2) {
      const [len, p2] = readVarint(b, p1);
      valueStart = p2;
      valueEnd = p2 + len;
    } else throw new Error(`unsupported wire type ${wireType}`);
    out.push({ no, wireType, start, end: valueEnd, valueStart, valueEnd });
    pos = valueEnd;
  }
  return out;
}

function lenField(no: number, payload: Uint8Array): Uint8Array {
  const head = [...varint(no * 8 + 2), ...varint(payload.length)];
  const out = new Uint8Array(head.length + payload.length);
  out.set(head);
  out.set(payload, head.length);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const entry = (key: string, value: string) => lenField(13, concat([lenField(1, utf8(key)), lenField(2, utf8(value))]));

/**
 * The model with the raw_data of every initializer of at least `minBytes` moved to `location`, and that file's
 * bytes. Small tensors stay inline, as with onnx's `size_threshold` (1024 there too): onnxruntime's shape inference
 * must read shape constants from the graph itself.
 */
export function toExternalData(model: Uint8Array, location: string, minBytes = 1024): { model: Uint8Array; data: Uint8Array } {
  const data: Uint8Array[] = [];
  let offset = 0;
  const tensor = (t: Uint8Array): Uint8Array => {
    const fs = fields(t);
    const raw = fs.find((f) => f.no === 9 && f.wireType === 2);
    if (!raw || raw.valueEnd - raw.valueStart < minBytes) return t;
    const bytes = t.subarray(raw.valueStart, raw.valueEnd);
    const kept = fs.filter((f) => f !== raw).map((f) => t.subarray(f.start, f.end));
    data.push(bytes);
    const parts = [...kept, entry('location', location), entry('offset', String(offset)), entry('length', String(bytes.length)), new Uint8Array([14 * 8, 1])];
    offset += bytes.length;
    return concat(parts);
  };
  const graph = (g: Uint8Array) => concat(fields(g).map((f) => (f.no === 5 && f.wireType === 2 ? lenField(5, tensor(g.subarray(f.valueStart, f.valueEnd))) : g.subarray(f.start, f.end))));
  const out = concat(fields(model).map((f) => (f.no === 7 && f.wireType === 2 ? lenField(7, graph(model.subarray(f.valueStart, f.valueEnd))) : model.subarray(f.start, f.end))));
  return { model: out, data: concat(data) };
}
