/**
 * ONNX graphs the bench builds itself: the reference GEMM stack that bounds what WASM SIMD can reach on this CPU,
 * and the shipped denoiser with its fp16 weights widened to fp32 (no Cast nodes) to see whether the casts cost time.
 */
import { decodeModel, encodeModel, encodeTensorType, makeNode, type ModelProto, type TensorProto } from '../src/onnx/proto';
import { Rng } from '../src/engine/rng';
import { halfToFloats } from '../src/runtime/float16';

const FLOAT = 1;
const FLOAT16 = 10;

/** Shape of the reference graph: `layers` MatMuls of [rows, width] × [width, width], fp32. */
export const GEMM = { rows: 512, width: 1024, layers: 8 } as const;

function floatTensor(name: string, dims: number[], values: Float32Array): TensorProto {
  return { name, dims, dataType: FLOAT, rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength), unknown: [] };
}

/** `x` [rows, width] → `layers` chained MatMuls with seeded weights (scaled to keep activations bounded) → `y`. */
export function gemmStack(): Uint8Array {
  const { rows, width, layers } = GEMM;
  const rng = new Rng(1);
  const initializer = Array.from({ length: layers }, (_, i) => {
    const w = rng.gaussian(width * width);
    for (let j = 0; j < w.length; j++) w[j]! /= Math.sqrt(width);
    return floatTensor(`w${i}`, [width, width], w);
  });
  const node = initializer.map((w, i) => makeNode({ opType: 'MatMul', input: [i === 0 ? 'x' : `h${i}`, w.name!], output: [i === layers - 1 ? 'y' : `h${i + 1}`] }));
  const model: ModelProto = {
    irVersion: 8,
    opsetImport: [{ version: 18, unknown: [] }],
    graph: {
      name: 'gemm-stack', node, initializer, valueInfo: [], unknown: [],
      input: [{ name: 'x', type: encodeTensorType(FLOAT, [rows, width]), unknown: [] }],
      output: [{ name: 'y', type: encodeTensorType(FLOAT, [rows, width]), unknown: [] }],
    },
    metadataProps: [],
    unknown: [],
  };
  return encodeModel(model);
}

/** `model` with each fp16 initializer that only feeds a Cast to float32 stored as float32 instead, the Cast removed. */
export function widenHalfWeights(bytes: Uint8Array): Uint8Array {
  const model = decodeModel(bytes);
  const graph = model.graph!;
  const half = new Map(graph.initializer.filter((t) => t.dataType === FLOAT16).map((t) => [t.name!, t]));
  const uses = new Map<string, number>();
  for (const n of graph.node) for (const i of n.input) uses.set(i, (uses.get(i) ?? 0) + 1);
  const widened = new Map<string, TensorProto>();
  graph.node = graph.node.filter((n) => {
    const t = n.opType === 'Cast' ? half.get(n.input[0]!) : undefined;
    const to = n.attribute.find((a) => a.name === 'to')?.i;
    if (!t || to !== BigInt(FLOAT) || uses.get(t.name!) !== 1) return true;
    const raw = t.rawData!;
    const values = halfToFloats(new Uint16Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)));
    widened.set(t.name!, floatTensor(n.output[0]!, t.dims, values));
    return false;
  });
  graph.initializer = graph.initializer.map((t) => widened.get(t.name!) ?? t);
  return encodeModel(model);
}
