/**
 * Cross-frame attention (Text2Video-Zero §3.3) by ONNX rewrite, checked numerically in onnxruntime-node against
 * torch. The fixture (scripts/make-attention-fixture.py) is a tiny diffusers-shaped UNet exported twice (dynamo and
 * TorchScript exporters) plus torch's outputs for 3 frames with different samples and different prompts: the plain
 * model, and cross-frame attention written directly in torch (K¹, V¹ projected from frame 0's hidden states).
 */
import * as ort from 'onnxruntime-node';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KinetoError } from '../../../src/engine/errors';
import {
  applyCrossFrameAttention, CROSS_FRAME_METADATA_KEY, findAttentionBlocks, hasCrossFrameAttention, moduleScope,
  rewriteCrossFrameAttention,
} from '../../../src/onnx/cross-frame-attention';
import {
  ATTRIBUTE_TYPE, decodeModel, encodeModel, encodeTensorType, makeAttribute, makeNode, type ModelProto, type NodeProto,
} from '../../../src/onnx/proto';

const ROOT = path.resolve(__dirname, '../../..');
const DIR = path.join(ROOT, 'tests/fixtures/attention');
const read = (f: string) => new Uint8Array(readFileSync(path.join(DIR, f)));
const DYNAMO = read('unet-attn.onnx');
const TORCHSCRIPT = read('unet-attn-torchscript.onnx');

type RefArray = { data: Float32Array; shape: number[] };
const meta = JSON.parse(readFileSync(path.join(DIR, 'reference.json'), 'utf8')) as {
  timestep: number; frames: number; arrays: Record<string, { shape: number[]; offset_floats: number }>;
};
const bin = readFileSync(path.join(DIR, 'reference.bin'));
const allFloats = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
function ref(name: string): RefArray {
  const a = meta.arrays[name]!;
  const size = a.shape.reduce((x, y) => x * y, 1);
  return { data: allFloats.slice(a.offset_floats, a.offset_floats + size), shape: a.shape };
}
const SAMPLE = ref('sample');
const EHS = ref('encoder_hidden_states');
const TORCH_PLAIN = ref('plain');
const TORCH_CROSS = ref('cross_frame');
const FRAME = TORCH_PLAIN.data.length / meta.frames;

const ATTN1 = ['down_blocks.0', 'mid_block', 'up_blocks.0'].map((b) => `${b}.attentions.0.transformer_blocks.0.attn1`);

async function run(model: Uint8Array, sample: RefArray = SAMPLE, ehs: RefArray = EHS): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model);
  try {
    const out = await session.run({
      sample: new ort.Tensor('float32', sample.data, sample.shape),
      timestep: new ort.Tensor('int64', BigInt64Array.from([BigInt(meta.timestep)]), [1]),
      encoder_hidden_states: new ort.Tensor('float32', ehs.data, ehs.shape),
    });
    return out.out_sample!.data as Float32Array;
  } finally {
    await session.release();
  }
}

/** max |a − b| over frame `f` (or all frames). */
function maxDiff(a: Float32Array, b: Float32Array, f?: number): number {
  const [s, e] = f === undefined ? [0, a.length] : [f * FRAME, (f + 1) * FRAME];
  let m = 0;
  for (let i = s; i < e; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** The fixture with every node name and node metadata removed, so that only the graph structure is left. */
function stripNames(bytes: Uint8Array): Uint8Array {
  const m = decodeModel(bytes);
  return encodeModel({ ...m, graph: { ...m.graph!, node: m.graph!.node.map((n) => ({ ...n, name: undefined, metadataProps: [] })) } });
}

/** Repeats frame 0 of a reference array `frames` times. */
function repeatFrame0(a: RefArray, frames: number): RefArray {
  const per = a.data.length / a.shape[0]!;
  const data = new Float32Array(per * frames);
  for (let f = 0; f < frames; f++) data.set(a.data.subarray(0, per), f * per);
  return { data, shape: [frames, ...a.shape.slice(1)] };
}

describe.each([
  ['dynamo export (module paths in node metadata)', DYNAMO],
  ['TorchScript export (module paths in node names)', TORCHSCRIPT],
])('%s', (_label, original) => {
  it('finds the three attn1 blocks by name, and attn2 only as cross-attention', () => {
    const m = decodeModel(original);
    const self = findAttentionBlocks(m);
    expect(self.map((b) => [b.name, b.foundBy, b.kind])).toEqual(ATTN1.map((n) => [n, 'names', 'self']));
    const both = findAttentionBlocks(m, { namePattern: /attn[12]$/ });
    expect(both.filter((b) => b.kind === 'cross').map((b) => b.name)).toEqual(ATTN1.map((n) => n.replace(/attn1$/, 'attn2')));
  });

  it('the unmodified model matches torch (sanity check of inputs and reference)', async () => {
    expect(maxDiff(await run(original), TORCH_PLAIN.data)).toBeLessThan(1e-4);
  });

  it('rewritten: matches torch cross-frame attention; frame 0 unchanged, frames 1 and 2 changed', async () => {
    const { model, rewritten } = rewriteCrossFrameAttention(original);
    expect(rewritten).toEqual(ATTN1);
    const plain = await run(original);
    const cross = await run(model);
    expect(maxDiff(cross, TORCH_CROSS.data)).toBeLessThan(1e-4);
    expect(maxDiff(cross, plain, 0)).toBeLessThan(1e-5);
    // torch says frames 1 and 2 move by 0.14 and 0.08 at most.
    expect(maxDiff(cross, plain, 1)).toBeGreaterThan(0.05);
    expect(maxDiff(cross, plain, 2)).toBeGreaterThan(0.05);
  });

  it('without names or metadata, the structural search finds the same three blocks and gives the same result', async () => {
    const stripped = stripNames(original);
    const blocks = findAttentionBlocks(decodeModel(stripped));
    expect(blocks.map((b) => [b.foundBy, b.kind])).toEqual([
      ['structure', 'self'], ['structure', 'cross'], ['structure', 'self'], ['structure', 'cross'], ['structure', 'self'], ['structure', 'cross'],
    ]);
    const { model, rewritten } = rewriteCrossFrameAttention(stripped);
    expect(rewritten).toHaveLength(3);
    expect(maxDiff(await run(model), TORCH_CROSS.data)).toBeLessThan(1e-4);
  });
});

describe('attn2 (cross-attention to the prompt) is left alone', () => {
  it('no node under attn2 changes', () => {
    const before = decodeModel(DYNAMO).graph!.node;
    const after = new Map(decodeModel(rewriteCrossFrameAttention(DYNAMO).model).graph!.node.map((n) => [n.name, n]));
    const attn2 = before.filter((n) => /\.attn2(\.|$)/.test(moduleScope(n) ?? ''));
    expect(attn2.length).toBeGreaterThan(30);
    for (const n of attn2) expect(after.get(n.name)?.input).toEqual(n.input);
  });

  it('rewriting attn2 too would be caught: the output then leaves the torch reference', async () => {
    const m = decodeModel(DYNAMO);
    const all = findAttentionBlocks(m, { namePattern: /attn[12]$/ });
    const wrong = encodeModel(applyCrossFrameAttention(m, all));
    expect(maxDiff(await run(wrong), TORCH_CROSS.data)).toBeGreaterThan(0.05);
  });

  it('with identical frames, cross-frame attention changes nothing, even with a prompt per frame', async () => {
    const { model } = rewriteCrossFrameAttention(DYNAMO);
    const same = repeatFrame0(SAMPLE, 3);
    expect(maxDiff(await run(model, same, repeatFrame0(EHS, 3)), await run(DYNAMO, same, repeatFrame0(EHS, 3)))).toBeLessThan(1e-5);
    // Identical samples but different prompts: attn1 of the first block still sees identical frames, later blocks
    // do not; frame 0 is unchanged either way.
    const cross = await run(model, same, EHS);
    const plain = await run(DYNAMO, same, EHS);
    expect(maxDiff(cross, plain, 0)).toBeLessThan(1e-5);
    expect(maxDiff(cross, plain, 1)).toBeGreaterThan(1e-3);
  });
});

/** Frames `order` of a reference array, back to back. */
function pickFrames(a: RefArray, order: number[]): RefArray {
  const per = a.data.length / a.shape[0]!;
  const data = new Float32Array(per * order.length);
  order.forEach((f, i) => data.set(a.data.subarray(f * per, (f + 1) * per), i * per));
  return { data, shape: [order.length, ...a.shape.slice(1)] };
}

describe('several videos in one batch (frames option, e.g. classifier-free guidance as one batch)', () => {
  // Video A = the reference frames 0,1,2; video B = the same frames reversed (2,1,0), so its first frame differs.
  const order = [0, 1, 2, 2, 1, 0];

  it('each group of `frames` batch elements attends to its own first frame', async () => {
    const grouped = rewriteCrossFrameAttention(DYNAMO, { frames: 3 }).model;
    const single = rewriteCrossFrameAttention(DYNAMO).model;
    const out = await run(grouped, pickFrames(SAMPLE, order), pickFrames(EHS, order));
    expect(maxDiff(out.subarray(0, 3 * FRAME), TORCH_CROSS.data)).toBeLessThan(1e-4);
    const videoB = await run(single, pickFrames(SAMPLE, [2, 1, 0]), pickFrames(EHS, [2, 1, 0]));
    expect(maxDiff(out.subarray(3 * FRAME), videoB)).toBeLessThan(1e-5);
    // Without the option, video B would be anchored on video A's first frame.
    const ungrouped = await run(single, pickFrames(SAMPLE, order), pickFrames(EHS, order));
    expect(maxDiff(ungrouped.subarray(3 * FRAME), videoB)).toBeGreaterThan(0.05);
  });

  it('frames = batch is the same as no option; bad values are refused', async () => {
    const a = await run(rewriteCrossFrameAttention(DYNAMO, { frames: 3 }).model);
    expect(maxDiff(a, TORCH_CROSS.data)).toBeLessThan(1e-4);
    for (const frames of [0, 1.5, -2]) {
      expect(() => rewriteCrossFrameAttention(DYNAMO, { frames })).toThrow(/frames must be a whole number/);
    }
  });
});

describe('rewrite contract', () => {
  it('one frame: the rewritten model equals the original', async () => {
    const { model } = rewriteCrossFrameAttention(DYNAMO);
    const one = repeatFrame0(SAMPLE, 1);
    const ehs = repeatFrame0(EHS, 1);
    expect(maxDiff(await run(model, one, ehs), await run(DYNAMO, one, ehs))).toBeLessThan(1e-6);
  });

  it('marks the model and refuses a second application', () => {
    const { model } = rewriteCrossFrameAttention(DYNAMO);
    expect(hasCrossFrameAttention(DYNAMO)).toBe(false);
    expect(hasCrossFrameAttention(model)).toBe(true);
    expect(decodeModel(model).metadataProps.find((e) => e.key === CROSS_FRAME_METADATA_KEY)?.value).toBe(ATTN1.join(','));
    expect(() => rewriteCrossFrameAttention(model)).toThrow(/already has cross-frame attention/);
  });

  it('leaves everything but the node list and the marker as it was', () => {
    const before = decodeModel(DYNAMO);
    const after = decodeModel(rewriteCrossFrameAttention(DYNAMO).model);
    const rest = (m: ModelProto) => encodeModel({ ...m, metadataProps: [], graph: { ...m.graph!, node: [] } });
    expect(Buffer.compare(Buffer.from(rest(after)), Buffer.from(rest(before)))).toBe(0);
    // 1 Constant + (Gather, Shape, Expand) for K and V of 3 blocks.
    expect(after.graph!.node.length - before.graph!.node.length).toBe(1 + 3 * 2 * 3);
  });

  it('throws a KinetoError naming the problem when there is no self-attention', () => {
    for (const f of ['vae_decoder.onnx', 'denoiser.onnx']) {
      const bytes = new Uint8Array(readFileSync(path.join(ROOT, 'public/models/kineto-shapes', f)));
      let error: unknown;
      try { rewriteCrossFrameAttention(bytes); } catch (e) { error = e; }
      expect(error).toBeInstanceOf(KinetoError);
      expect((error as KinetoError).code).toBe('model-load-failed');
      expect((error as KinetoError).message).toMatch(/Found no self-attention/);
    }
    expect(() => rewriteCrossFrameAttention(DYNAMO, { namePattern: /attn9$/ })).toThrow(/no module path matches \/attn9\$\//);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Fused attention ops, on graphs built here: x [B, S, D] (frames on B), ctx [B, L, D] → y, checked against
// attention written out in plain JS.

const B = 3;
const S = 6;
const L = 5;
const HEADS = 2;
const HEAD_DIM = 4;
const D = HEADS * HEAD_DIM;

/** Deterministic values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

/** x [rows, k] · w [k, cols]. */
function matmul(x: Float32Array, rows: number, w: Float32Array, k: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
    let acc = 0;
    for (let i = 0; i < k; i++) acc += x[r * k + i]! * w[i * cols + c]!;
    out[r * cols + c] = acc;
  }
  return out;
}

/** Multi-head attention for one frame: q [sq, D], k and v [sk, D] → [sq, D]. */
function attend(q: Float32Array, k: Float32Array, v: Float32Array, sq: number, sk: number): Float32Array {
  const out = new Float32Array(sq * D);
  for (let h = 0; h < HEADS; h++) for (let i = 0; i < sq; i++) {
    const scores = Array.from({ length: sk }, (_, j) => {
      let dot = 0;
      for (let d = 0; d < HEAD_DIM; d++) dot += q[i * D + h * HEAD_DIM + d]! * k[j * D + h * HEAD_DIM + d]!;
      return dot / Math.sqrt(HEAD_DIM);
    });
    const max = Math.max(...scores);
    const e = scores.map((x) => Math.exp(x - max));
    const sum = e.reduce((a, b) => a + b, 0);
    for (let d = 0; d < HEAD_DIM; d++) {
      out[i * D + h * HEAD_DIM + d] = e.reduce((acc, p, j) => acc + (p / sum) * v[j * D + h * HEAD_DIM + d]!, 0);
    }
  }
  return out;
}

const frame = (a: Float32Array, f: number, rows: number) => a.subarray(f * rows * D, (f + 1) * rows * D);

/** Per frame f: attention of q_f to k and v of frame `kvFrame(f)`. */
function attendFrames(q: Float32Array, k: Float32Array, v: Float32Array, sk: number, kvFrame: (f: number) => number): Float32Array {
  const out = new Float32Array(B * S * D);
  for (let f = 0; f < B; f++) out.set(attend(frame(q, f, S), frame(k, kvFrame(f), sk), frame(v, kvFrame(f), sk), S, sk), f * S * D);
  return out;
}

type Init = { name: string; dims: number[]; data: Float32Array | BigInt64Array };

function buildModel(nodes: NodeProto[], inits: Init[], opset = 17): Uint8Array {
  const f32 = (name: string, dims: (number | string)[]) => ({ name, type: encodeTensorType(1, dims), unknown: [] });
  return encodeModel({
    irVersion: 10,
    opsetImport: [{ domain: '', version: opset, unknown: [] }, { domain: 'com.microsoft', version: 1, unknown: [] }],
    metadataProps: [],
    unknown: [],
    graph: {
      name: 'fused',
      node: nodes,
      initializer: inits.map((t) => ({
        name: t.name, dims: t.dims, dataType: t.data instanceof BigInt64Array ? 7 : 1,
        rawData: new Uint8Array(t.data.buffer.slice(0)), unknown: [],
      })),
      input: [f32('x', ['frames', S, D]), f32('ctx', ['frames', L, D])],
      output: [f32('y', ['frames', S, D])],
      valueInfo: [],
      unknown: [],
    },
  });
}

const X = values(B * S * D, 1);
const CTX = values(B * L * D, 2);
const W = (seed: number, cols = D) => values(D * cols, seed).map((x) => x * 0.5);
const mha = (input: string[], output: string, name: string) => makeNode({
  opType: 'MultiHeadAttention', domain: 'com.microsoft', input, output: [output], name,
  attribute: [makeAttribute({ name: 'num_heads', type: ATTRIBUTE_TYPE.INT, i: BigInt(HEADS) })],
});
const mm = (a: string, w: string, out: string) => makeNode({ opType: 'MatMul', input: [a, w], output: [out], name: `mm_${out}` });

async function runFused(model: Uint8Array): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model);
  try {
    const out = await session.run({ x: new ort.Tensor('float32', X, [B, S, D]), ctx: new ort.Tensor('float32', CTX, [B, L, D]) });
    return out.y!.data as Float32Array;
  } finally {
    await session.release();
  }
}

function maxAbs(a: Float32Array, b: Float32Array): number {
  return a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);
}

describe('fused attention ops', () => {
  it('MultiHeadAttention with separate Q/K/V: self-attention rewritten, the cross-attention after it untouched', async () => {
    const [wq, wk, wv, wq2, wk2, wv2] = [11, 12, 13, 14, 15, 16].map((s) => W(s));
    const model = buildModel([
      mm('x', 'wq', 'q'), mm('x', 'wk', 'k'), mm('x', 'wv', 'v'), mha(['q', 'k', 'v'], 'h', 'self_mha'),
      mm('h', 'wq2', 'q2'), mm('ctx', 'wk2', 'k2'), mm('ctx', 'wv2', 'v2'), mha(['q2', 'k2', 'v2'], 'y', 'cross_mha'),
    ], [
      { name: 'wq', dims: [D, D], data: wq! }, { name: 'wk', dims: [D, D], data: wk! }, { name: 'wv', dims: [D, D], data: wv! },
      { name: 'wq2', dims: [D, D], data: wq2! }, { name: 'wk2', dims: [D, D], data: wk2! }, { name: 'wv2', dims: [D, D], data: wv2! },
    ]);
    const blocks = findAttentionBlocks(decodeModel(model));
    expect(blocks.map((b) => [b.name, b.kind, b.form === 'fused' && b.layout])).toEqual([
      ['MultiHeadAttention@self_mha', 'self', 'separate'], ['MultiHeadAttention@cross_mha', 'cross', 'separate'],
    ]);
    const { model: rewritten, rewritten: names } = rewriteCrossFrameAttention(model);
    expect(names).toEqual(['MultiHeadAttention@self_mha']);

    const proj = (a: Float32Array, rows: number, w: Float32Array) => matmul(a, B * rows, w, D, D);
    const expected = (kvFrame: (f: number) => number) => {
      const h = attendFrames(proj(X, S, wq!), proj(X, S, wk!), proj(X, S, wv!), S, kvFrame);
      return attendFrames(proj(h, S, wq2!), proj(CTX, L, wk2!), proj(CTX, L, wv2!), L, (f) => f);
    };
    expect(maxAbs(await runFused(model), expected((f) => f))).toBeLessThan(1e-4);
    const cross = await runFused(rewritten);
    expect(maxAbs(cross, expected(() => 0))).toBeLessThan(1e-4);
    expect(maxAbs(cross, expected((f) => f))).toBeGreaterThan(1e-2);
  });

  it('MultiHeadAttention with packed Q/K/V [B, S, N, 3, H] (onnxruntime UNet fusion) is split and rewritten', async () => {
    const wqkv = W(21, 3 * D);
    const model = buildModel([
      mm('x', 'wqkv', 'qkv_flat'),
      makeNode({ opType: 'Reshape', input: ['qkv_flat', 'packed_shape'], output: ['qkv'], name: 'reshape_qkv' }),
      mha(['qkv'], 'y', 'packed_mha'),
    ], [
      { name: 'wqkv', dims: [D, 3 * D], data: wqkv },
      { name: 'packed_shape', dims: [5], data: BigInt64Array.from([0n, 0n, BigInt(HEADS), 3n, BigInt(HEAD_DIM)]) },
    ]);
    expect(findAttentionBlocks(decodeModel(model)).map((b) => [b.kind, b.form === 'fused' && b.layout])).toEqual([['self', 'packed-qkv']]);
    // onnxruntime's CPU kernel has no packed Q/K/V; the rewritten model (separate inputs) runs.
    await expect(runFused(model)).rejects.toThrow(/Packed QKV/);
    const rewritten = rewriteCrossFrameAttention(model).model;

    // Unpack the projection the way the [N, 3, H] layout stores it: head n's q, k, v at columns (n·3 + i)·H.
    const flat = matmul(X, B * S, wqkv, D, 3 * D);
    const [q, k, v] = [0, 1, 2].map((i) => Float32Array.from({ length: B * S * D }, (_, idx) => {
      const row = Math.floor(idx / D);
      const n = Math.floor((idx % D) / HEAD_DIM);
      return flat[row * 3 * D + (n * 3 + i) * HEAD_DIM + (idx % HEAD_DIM)]!;
    }));
    const out = await runFused(rewritten);
    expect(maxAbs(out, attendFrames(q!, k!, v!, S, () => 0))).toBeLessThan(1e-4);
    expect(maxAbs(out.subarray(0, S * D), attendFrames(q!, k!, v!, S, (f) => f).subarray(0, S * D))).toBeLessThan(1e-5);
  });

  it('ONNX Attention (opset 23) with separate Q/K/V', async () => {
    const [wq, wk, wv] = [31, 32, 33].map((s) => W(s));
    const model = buildModel([
      mm('x', 'wq', 'q'), mm('x', 'wk', 'k'), mm('x', 'wv', 'v'),
      makeNode({
        opType: 'Attention', input: ['q', 'k', 'v'], output: ['y'], name: 'attn',
        attribute: [
          makeAttribute({ name: 'q_num_heads', type: ATTRIBUTE_TYPE.INT, i: BigInt(HEADS) }),
          makeAttribute({ name: 'kv_num_heads', type: ATTRIBUTE_TYPE.INT, i: BigInt(HEADS) }),
        ],
      }),
    ], [{ name: 'wq', dims: [D, D], data: wq! }, { name: 'wk', dims: [D, D], data: wk! }, { name: 'wv', dims: [D, D], data: wv! }], 23);
    const { model: rewritten, rewritten: names } = rewriteCrossFrameAttention(model);
    expect(names).toEqual(['Attention@attn']);
    const [q, k, v] = [wq!, wk!, wv!].map((w) => matmul(X, B * S, w, D, D));
    expect(maxAbs(await runFused(model), attendFrames(q!, k!, v!, S, (f) => f))).toBeLessThan(1e-4);
    expect(maxAbs(await runFused(rewritten), attendFrames(q!, k!, v!, S, () => 0))).toBeLessThan(1e-4);
  });

  it('refuses com.microsoft Attention (projection weights inside the op) with a clear error', () => {
    const model = buildModel([makeNode({
      opType: 'Attention', domain: 'com.microsoft', input: ['x', 'w', 'b'], output: ['y'], name: 'ms_attn',
      attribute: [makeAttribute({ name: 'num_heads', type: ATTRIBUTE_TYPE.INT, i: BigInt(HEADS) })],
    })], [{ name: 'w', dims: [D, 3 * D], data: W(41, 3 * D) }, { name: 'b', dims: [3 * D], data: new Float32Array(3 * D) }]);
    expect(() => rewriteCrossFrameAttention(model)).toThrow(/com.microsoft Attention op, which keeps the Q\/K\/V projection weights inside/);
  });
});
