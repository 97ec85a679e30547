/**
 * Cross-frame attention by rewriting an image UNet's ONNX graph at load time — Text2Video-Zero
 * (Khachatryan et al. 2023, "Text2Video-Zero: Text-to-Image Diffusion Models are Zero-Shot Video Generators"),
 * §3.3:
 *
 *     Cross-Frame-Attn(Qᵏ, K^{1:m}, V^{1:m}) = Softmax(Qᵏ (K¹)ᵀ / √c) V¹      for every frame k = 1..m
 *
 * Frames are stacked on the batch axis. In every self-attention block the key and value tensors are replaced, right
 * after the `to_k` / `to_v` projections (where the batch axis is still axis 0, before any [B, T, h·d] → [B·h, T, d]
 * head split), by frame 0's, broadcast back to the full batch:
 *
 *     K  ─┬─ Gather(axis 0, indices [0]) ─ K[0:1] ─┐
 *         └─ Shape ─────────────────────────────── Expand ─ K¹ repeated B times ─→ every former consumer of K
 *
 * Frame 0 is therefore computed exactly as before, and cross-attention (`attn2`, keys from the text) is untouched.
 * When one batch holds several videos (classifier-free guidance as [uncond frames, cond frames]), pass `frames` so
 * that each video is anchored on its own first frame, as Text2Video-Zero's processor does per `video_length` chunk.
 *
 * Finding the blocks:
 * 1. By module path (`names`). Each node's module path is read from (a) torch's dynamo exporter metadata
 *    `pkg.torch.onnx.name_scopes` (or `namespace`), else (b) a TorchScript-exporter node name such as
 *    `/down_blocks.0/attentions.0/transformer_blocks.0/attn1/to_k/MatMul`, and written with dots:
 *    `down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_k`. A block is a module path `P` that matches
 *    `namePattern` (default {@link DEFAULT_SELF_ATTENTION_PATTERN}: ends in `attn1`) and has nodes under `P.to_k`
 *    and `P.to_v`; K and V are the single tensors leaving those scopes.
 * 2. By structure (`structure`), used when no node carries a module path, or when the names find no block and no
 *    `namePattern` was given: every `Softmax` between a `MatMul(Q, Kᵀ)` and a `MatMul(·, V)`, where walking up from
 *    Q, K and V through layout ops (Reshape, Transpose, (Un)Squeeze, Cast, scaling by constants) reaches
 *    projections `MatMul(x, W)` (optionally `+ b`) with constant W. It is self-attention when Q, K and V are
 *    projected from the same tensor x, cross-attention otherwise.
 * 3. Fused attention ops, always searched: `com.microsoft.MultiHeadAttention` (separate Q/K/V, packed K/V
 *    [B, L, N, 2, H], or packed Q/K/V [B, S, N, 3, H] as onnxruntime's UNet fusion writes self-attention) and ONNX
 *    `Attention` (opset 23). Only the node's own K and V inputs are replaced; packed Q/K/V is first split into
 *    separate [B, S, N·H] inputs (which also lets it run on onnxruntime's CPU kernel, which lacks packed Q/K/V).
 *    Self-attention when the input is packed Q/K/V, or Q and K come from the same tensor or projection input.
 *
 * Not handled: `com.microsoft.Attention` (Q/K/V weights inside the op; the rewrite throws), projections through
 * Gemm (frames merged with tokens; throws), attention inside If/Loop bodies (not searched), and models stored with
 * external data (their graph could be rewritten, but Kineto hands this function one self-contained file).
 */
import { KinetoError } from '../engine/errors';
import {
  ATTRIBUTE_TYPE, decodeModel, decodeTensorType, encodeModel, int64Tensor, makeAttribute, makeNode,
  type GraphProto, type ModelProto, type NodeProto,
} from './proto';

/** Model metadata key that marks a rewritten model; its value lists the rewritten blocks, comma separated. */
export const CROSS_FRAME_METADATA_KEY = 'kineto.cross_frame_attention';
/** Prefix of every node the rewrite adds. */
export const CROSS_FRAME_NODE_PREFIX = 'kineto_cross_frame/';
/** diffusers names self-attention `attn1` (`…transformer_blocks.N.attn1`) and cross-attention `attn2`. */
export const DEFAULT_SELF_ATTENTION_PATTERN = /(^|\.)attn1$/;

export type CrossFrameOptions = {
  /**
   * Selects self-attention blocks by module path, dot-separated (e.g.
   * `down_blocks.0.attentions.0.transformer_blocks.0.attn1`). Default {@link DEFAULT_SELF_ATTENTION_PATTERN}.
   */
  namePattern?: RegExp;
  /**
   * Frames per video when the batch holds several videos back to back, e.g. 8 for classifier-free guidance run as
   * one batch [uncond f0…f7, cond f0…f7]: each group of `frames` batch elements then attends to its own first
   * element. Default: the whole batch is one video, anchored on batch element 0. The batch must be a multiple.
   */
  frames?: number;
};

/** How a fused attention op holds its inputs: Q, K, V apart; K and V packed in `key`; all three in `query`. */
export const FUSED_LAYOUTS = ['separate', 'packed-kv', 'packed-qkv'] as const;
export type FusedLayout = (typeof FUSED_LAYOUTS)[number];

/** One attention block found in the graph (plain data: it can be logged, filtered or built by hand). */
export type AttentionBlock = {
  /** Module path; `attention@<Softmax node>` when found by structure; `<op>@<node>` for a fused op. */
  name: string;
  foundBy: 'names' | 'structure' | 'fused-op';
  /** `self` when Q, K and V are projected from one tensor; `cross` otherwise (K, V from the text). */
  kind: 'self' | 'cross';
} & (
  /** Unfused: the tensors holding K and V right after their projections, batch axis first. */
  | { form: 'projections'; key: string; value: string }
  /** Fused: the op's index in `graph.node`. */
  | { form: 'fused'; node: number; opType: string; layout: FusedLayout }
);

export type CrossFrameResult = {
  model: Uint8Array;
  /** The rewritten blocks, in graph order. */
  rewritten: string[];
};

/**
 * Rewrites every self-attention block of `model` (an ONNX UNet with frames on the batch axis) to attend to frame
 * 0's keys and values. Throws a `model-load-failed` KinetoError when no self-attention block is found, when the
 * model was rewritten already, or when a block cannot be rewritten safely.
 */
export function rewriteCrossFrameAttention(model: Uint8Array, opts: CrossFrameOptions = {}): CrossFrameResult {
  const proto = decodeModel(model);
  if (hasCrossFrameAttention(proto)) {
    throw new KinetoError('model-load-failed',
      'This UNet already has cross-frame attention (Kineto rewrote it before); pass the original model instead of rewriting it twice.');
  }
  const blocks = findAttentionBlocks(proto, opts).filter((b) => b.kind === 'self');
  if (blocks.length === 0) throw new KinetoError('model-load-failed', noBlocksMessage(proto, opts));
  return { model: encodeModel(applyCrossFrameAttention(proto, blocks, opts)), rewritten: blocks.map((b) => b.name) };
}

/** True when the model carries the rewrite's metadata entry or nodes. */
export function hasCrossFrameAttention(model: Uint8Array | ModelProto): boolean {
  const proto = model instanceof Uint8Array ? decodeModel(model) : model;
  if (proto.metadataProps.some((e) => e.key === CROSS_FRAME_METADATA_KEY)) return true;
  return (proto.graph?.node ?? []).some((n) => n.name?.startsWith(CROSS_FRAME_NODE_PREFIX));
}

// ---------------------------------------------------------------------------------------------------------------
// Graph index

type GraphIndex = {
  graph: GraphProto;
  producer: Map<string, NodeProto>;
  consumers: Map<string, NodeProto[]>;
  initializers: Set<string>;
  graphOutputs: Set<string>;
  /** Memo for {@link isStatic}. */
  staticMemo: Map<string, boolean>;
};

function indexGraph(graph: GraphProto): GraphIndex {
  const producer = new Map<string, NodeProto>();
  const consumers = new Map<string, NodeProto[]>();
  for (const n of graph.node) {
    for (const o of n.output) if (o) producer.set(o, n);
    for (const i of n.input) {
      if (!i) continue;
      const list = consumers.get(i);
      if (list) list.push(n);
      else consumers.set(i, [n]);
    }
  }
  return {
    graph, producer, consumers,
    initializers: new Set(graph.initializer.map((t) => t.name ?? '')),
    graphOutputs: new Set(graph.output.map((v) => v.name ?? '')),
    staticMemo: new Map(),
  };
}

const SHAPE_SOURCES = new Set(['Shape', 'Size', 'Constant', 'ConstantOfShape']);
const NONDETERMINISTIC = new Set(['RandomNormal', 'RandomUniform', 'RandomNormalLike', 'RandomUniformLike', 'Multinomial', 'Bernoulli']);

/**
 * True for tensors that do not depend on the data in the graph inputs: initializers, Constant outputs and anything
 * computed only from them or from shapes (e.g. a 1/√d scale computed from `Shape`). Graph inputs are not static.
 */
function isStatic(ix: GraphIndex, t: string): boolean {
  const memo = ix.staticMemo.get(t);
  if (memo !== undefined) return memo;
  // Iterative post-order walk: UNet graphs are deep enough to overflow a recursive one.
  const stack: string[] = [t];
  while (stack.length > 0) {
    const cur = stack[stack.length - 1]!;
    if (ix.staticMemo.has(cur)) { stack.pop(); continue; }
    if (ix.initializers.has(cur)) { ix.staticMemo.set(cur, true); stack.pop(); continue; }
    const p = ix.producer.get(cur);
    if (!p || NONDETERMINISTIC.has(p.opType ?? '')) { ix.staticMemo.set(cur, false); stack.pop(); continue; }
    if (SHAPE_SOURCES.has(p.opType ?? '') && (p.domain ?? '') === '') { ix.staticMemo.set(cur, true); stack.pop(); continue; }
    const pending = p.input.filter((i) => i && !ix.staticMemo.has(i));
    if (pending.length > 0) {
      if (pending.some((i) => stack.includes(i))) { ix.staticMemo.set(cur, false); stack.pop(); continue; } // cycle guard
      stack.push(...pending);
      continue;
    }
    ix.staticMemo.set(cur, p.input.every((i) => !i || ix.staticMemo.get(i) === true));
    stack.pop();
  }
  return ix.staticMemo.get(t)!;
}

// ---------------------------------------------------------------------------------------------------------------
// 1. Finding blocks by module path

/**
 * The module path of a node, dot-separated, or undefined when the node carries none. Reads torch's dynamo metadata
 * (`pkg.torch.onnx.name_scopes` = "['', 'down_blocks.0', …, '….attn1.to_k', 'linear_4']", or `namespace` =
 * ": UNet/down_blocks.0: Block/…/linear_4: aten.linear.default"), else a TorchScript-style name
 * ("/down_blocks.0/…/attn1/to_k/MatMul"). The last element (the op itself) is dropped.
 */
export function moduleScope(node: NodeProto): string | undefined {
  const meta = new Map(node.metadataProps.map((e) => [e.key ?? '', e.value ?? '']));
  const scopes = meta.get('pkg.torch.onnx.name_scopes');
  if (scopes !== undefined) {
    const items = [...scopes.matchAll(/'([^']*)'|"([^"]*)"/g)].map((m) => m[1] ?? m[2] ?? '');
    if (items.length >= 2) return items[items.length - 2];
  }
  const ns = meta.get('namespace');
  if (ns !== undefined && ns.includes('/')) {
    const names = ns.split('/').map((seg) => seg.split(': ')[0] ?? '');
    return names[names.length - 2];
  }
  const name = node.name ?? '';
  if (name.includes('/')) {
    const parts = name.split('/').filter((p) => p.length > 0);
    return parts.slice(0, -1).join('.');
  }
  return undefined;
}

function within(scope: string | undefined, prefix: string): boolean {
  return scope !== undefined && (scope === prefix || scope.startsWith(prefix + '.'));
}

/** The tensors that leave a set of nodes (used outside it or as graph outputs), and the ones that enter it. */
function boundary(ix: GraphIndex, nodes: NodeProto[]): { outputs: string[]; dataInputs: string[] } {
  const inside = new Set(nodes);
  const produced = new Set(nodes.flatMap((n) => n.output));
  const outputs: string[] = [];
  for (const n of nodes) {
    for (const o of n.output) {
      if (!o) continue;
      const usedOutside = (ix.consumers.get(o) ?? []).some((c) => !inside.has(c)) || ix.graphOutputs.has(o);
      if (usedOutside) outputs.push(o);
    }
  }
  const dataInputs = [...new Set(nodes.flatMap((n) => n.input))].filter((i) => i && !produced.has(i) && !isStatic(ix, i));
  return { outputs, dataInputs };
}

function findByNames(ix: GraphIndex, pattern: RegExp): AttentionBlock[] {
  const scopes = new Map<NodeProto, string>();
  for (const n of ix.graph.node) {
    const s = moduleScope(n);
    if (s !== undefined) scopes.set(n, s);
  }
  const paths: string[] = [];
  for (const s of scopes.values()) {
    const m = /^(.+)\.to_k(\.|$)/.exec(s);
    if (m && !paths.includes(m[1]!) && pattern.test(m[1]!)) paths.push(m[1]!);
  }
  const blocks: AttentionBlock[] = [];
  for (const path of paths) {
    const under = (sub: string) => ix.graph.node.filter((n) => within(scopes.get(n), `${path}.${sub}`));
    const k = under('to_k');
    const v = under('to_v');
    const q = under('to_q');
    if (v.length === 0) {
      throw new KinetoError('model-load-failed', `Attention block ${path} has a to_k projection but no to_v; cannot rewrite it for cross-frame attention.`);
    }
    const kb = boundary(ix, k);
    const vb = boundary(ix, v);
    const key = singleOutput(path, 'to_k', kb.outputs);
    const value = singleOutput(path, 'to_v', vb.outputs);
    checkBatchFirst(ix, path, key);
    checkBatchFirst(ix, path, value);
    // attn1 is self-attention in diffusers; confirm it when the query projection is visible.
    const qIn = q.length > 0 ? boundary(ix, q).dataInputs : null;
    const kind = qIn === null || sameSet(qIn, kb.dataInputs) ? 'self' : 'cross';
    blocks.push({ name: path, foundBy: 'names', kind, form: 'projections', key, value });
  }
  return blocks;
}

function singleOutput(path: string, sub: string, outputs: string[]): string {
  if (outputs.length !== 1) {
    throw new KinetoError('model-load-failed',
      `Attention block ${path}: expected one tensor to leave ${sub}, found ${outputs.length} (${outputs.join(', ') || 'none'}); cannot rewrite it for cross-frame attention.`);
  }
  return outputs[0]!;
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** K and V must still have the frames on axis 0: a projection through Gemm (2-D) has them merged with tokens. */
function checkBatchFirst(ix: GraphIndex, block: string, tensor: string): void {
  const p = ix.producer.get(tensor);
  const vi = ix.graph.valueInfo.find((v) => v.name === tensor);
  const rank = vi?.type ? decodeTensorType(vi.type)?.shape?.length : undefined;
  if (p?.opType === 'Gemm' || (rank !== undefined && rank < 3)) {
    throw new KinetoError('model-load-failed',
      `Attention block ${block}: ${tensor} is ${p?.opType === 'Gemm' ? 'made by Gemm' : `rank ${rank}`}, so frames and tokens share one axis; cross-frame attention needs the projection as a batched MatMul ([frames, tokens, channels]).`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Finding blocks by structure

/** Ops that move or scale data without mixing frames: walked through from the attention MatMuls to the projections. */
const LAYOUT_OPS = new Set(['Reshape', 'Transpose', 'Squeeze', 'Unsqueeze', 'Identity', 'Cast', 'Mul', 'Div', 'Flatten']);
/** Ops between Q·Kᵀ and Softmax: scaling and masking. */
const SCORE_OPS = new Set(['Mul', 'Div', 'Add', 'Sub', 'Cast', 'Identity', 'Where']);
/** Ops between Softmax and the ·V MatMul. */
const PROB_OPS = new Set(['Cast', 'Identity', 'Dropout']);

/** The data operand of a layout/score op: the one input that is not static, or undefined when that is ambiguous. */
function dataOperand(ix: GraphIndex, n: NodeProto): string | undefined {
  if (n.opType === 'Reshape' || n.opType === 'Transpose' || n.opType === 'Squeeze' || n.opType === 'Unsqueeze'
    || n.opType === 'Flatten' || n.opType === 'Cast' || n.opType === 'Identity') return n.input[0];
  const dynamic = n.input.filter((i) => i && !isStatic(ix, i));
  return dynamic.length === 1 ? dynamic[0] : undefined;
}

/** Walks up from `t` through `ops` (at most 16 steps); returns the first node of another type and the tensor it made. */
function walkUp(ix: GraphIndex, t: string, ops: Set<string>): { tensor: string; node: NodeProto | undefined } {
  for (let steps = 0; steps < 16; steps++) {
    const p = ix.producer.get(t);
    if (!p || (p.domain ?? '') !== '' || !ops.has(p.opType ?? '')) return { tensor: t, node: p };
    const next = dataOperand(ix, p);
    if (next === undefined) return { tensor: t, node: p };
    t = next;
  }
  return { tensor: t, node: ix.producer.get(t) };
}

/** A projection `MatMul(x, W)` or `MatMul(x, W) + b` with static W (and b): returns the projected tensor and x. */
function projection(ix: GraphIndex, t: string): { out: string; x: string } | undefined {
  const top = walkUp(ix, t, LAYOUT_OPS);
  let n = top.node;
  if (n?.opType === 'Add') {
    const dyn = n.input.filter((i) => i && !isStatic(ix, i));
    if (dyn.length !== 1) return undefined;
    n = ix.producer.get(dyn[0]!);
  }
  if (n?.opType !== 'MatMul' || (n.domain ?? '') !== '') return undefined;
  const [x, w] = n.input;
  if (!x || !w || !isStatic(ix, w) || isStatic(ix, x)) return undefined;
  return { out: top.tensor, x };
}

function findByStructure(ix: GraphIndex): AttentionBlock[] {
  const blocks: AttentionBlock[] = [];
  ix.graph.node.forEach((softmax, index) => {
    if (softmax.opType !== 'Softmax' || (softmax.domain ?? '') !== '' || !softmax.input[0] || !softmax.output[0]) return;
    const qk = walkUp(ix, softmax.input[0], SCORE_OPS).node;
    if (qk?.opType !== 'MatMul' || !qk.input[0] || !qk.input[1]) return;
    let probs = softmax.output[0];
    let av: NodeProto | undefined;
    for (let steps = 0; steps < 4 && !av; steps++) {
      const cs = ix.consumers.get(probs) ?? [];
      av = cs.find((c) => c.opType === 'MatMul' && c.input[0] === probs);
      const pass = cs.find((c) => PROB_OPS.has(c.opType ?? ''));
      if (!av && pass?.output[0]) probs = pass.output[0];
      else break;
    }
    if (!av?.input[1]) return;
    const q = projection(ix, qk.input[0]);
    const k = projection(ix, qk.input[1]);
    const v = projection(ix, av.input[1]);
    if (!q || !k || !v) return;
    blocks.push({
      name: `attention@${softmax.name || `#${index}`}`,
      foundBy: 'structure',
      kind: q.x === k.x && k.x === v.x ? 'self' : 'cross',
      form: 'projections',
      key: k.out,
      value: v.out,
    });
  });
  return blocks;
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Fused attention ops

function isMicrosoft(n: NodeProto): boolean {
  return n.domain === 'com.microsoft';
}
function isOnnxDomain(n: NodeProto): boolean {
  return (n.domain ?? '') === '' || n.domain === 'ai.onnx';
}

/** Q and K come from one tensor: the same name, or projections of the same input. */
function sameSource(ix: GraphIndex, q: string, k: string): boolean {
  if (q === k) return true;
  const pq = projection(ix, q);
  return pq !== undefined && pq.x === projection(ix, k)?.x;
}

function findFused(ix: GraphIndex): AttentionBlock[] {
  const blocks: AttentionBlock[] = [];
  ix.graph.node.forEach((n, index) => {
    const label = moduleScope(n) || `${n.opType}@${n.name || `#${index}`}`;
    const [q = '', k = '', v = ''] = n.input;
    if (isMicrosoft(n) && n.opType === 'Attention') {
      throw new KinetoError('model-load-failed',
        `${label} is a com.microsoft Attention op, which keeps the Q/K/V projection weights inside the op, so its keys cannot be swapped for frame 0's. Export the UNet without attention fusion, or with onnxruntime's packed-QKV MultiHeadAttention.`);
    }
    if (isMicrosoft(n) && n.opType === 'MultiHeadAttention') {
      if (!k) {
        if (n.input.slice(3).some((i) => i)) {
          throw new KinetoError('model-load-failed', `${label}: packed Q/K/V MultiHeadAttention with extra inputs (bias, masks, past state) is not supported by the cross-frame rewrite.`);
        }
        blocks.push({ name: label, foundBy: 'fused-op', kind: 'self', form: 'fused', node: index, opType: n.opType, layout: 'packed-qkv' });
        return;
      }
      const layout = v ? 'separate' : 'packed-kv';
      blocks.push({ name: label, foundBy: 'fused-op', kind: sameSource(ix, q, k) ? 'self' : 'cross', form: 'fused', node: index, opType: n.opType, layout });
      return;
    }
    if (isOnnxDomain(n) && n.opType === 'Attention' && k && v) {
      if (n.input.slice(4).some((i) => i)) return; // past key/value: a decoder cache, not a UNet
      blocks.push({ name: label, foundBy: 'fused-op', kind: sameSource(ix, q, k) ? 'self' : 'cross', form: 'fused', node: index, opType: n.opType, layout: 'separate' });
    }
  });
  return blocks;
}

/** Where a block sits in the graph, for listing blocks in graph order. */
function position(ix: GraphIndex, b: AttentionBlock): number {
  if (b.form === 'fused') return b.node;
  const p = ix.producer.get(b.key);
  return p ? ix.graph.node.indexOf(p) : -1;
}

/**
 * The attention blocks of the model's main graph, in graph order: unfused ones by module path when the nodes carry
 * one, else (or when the names find none and no `namePattern` was given) by structure; fused attention ops always.
 * By name, only blocks matching the pattern are listed (so `attn2` only when the pattern selects it); by structure
 * and as fused ops, cross-attention is listed too, with `kind: 'cross'`.
 */
export function findAttentionBlocks(model: ModelProto, opts: CrossFrameOptions = {}): AttentionBlock[] {
  if (!model.graph) throw new KinetoError('model-load-failed', 'This ONNX model has no graph.');
  const ix = indexGraph(model.graph);
  let unfused: AttentionBlock[] | undefined;
  if (model.graph.node.some((n) => moduleScope(n) !== undefined)) {
    const pattern = opts.namePattern ?? DEFAULT_SELF_ATTENTION_PATTERN;
    const byNames = findByNames(ix, new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')));
    if (byNames.length > 0 || opts.namePattern) unfused = byNames;
  }
  const blocks = [...(unfused ?? findByStructure(ix)), ...findFused(ix)];
  return blocks
    .map((b) => ({ b, at: position(ix, b) }))
    .sort((x, y) => x.at - y.at)
    .map(({ b }) => b);
}

function noBlocksMessage(model: ModelProto, opts: CrossFrameOptions): string {
  const nodes = model.graph?.node ?? [];
  const softmax = nodes.filter((n) => n.opType === 'Softmax').length;
  const pattern = opts.namePattern ?? DEFAULT_SELF_ATTENTION_PATTERN;
  return `Found no self-attention to rewrite for cross-frame attention: no module path matches ${pattern} with to_k/to_v `
    + `projections, none of the ${softmax} Softmax nodes sits in a MatMul(Q,Kᵀ)·V pattern whose Q, K and V are `
    + 'projected from one tensor (packed in_proj weights, as in torch.nn.MultiheadAttention, are not recognised), '
    + 'and no MultiHeadAttention/Attention op attends within its own input.';
}

// ---------------------------------------------------------------------------------------------------------------
// Applying the rewrite

/**
 * Returns a copy of `model` in which each block attends to frame 0's K and V, broadcast to the batch: for
 * `projections` blocks every consumer of K and V reads the broadcast tensors; for `fused` blocks only that op's K
 * and V inputs change. `model` itself is not modified. Blocks are applied as given (pass `kind: 'cross'` ones only
 * to experiment: that ties every frame to frame 0's prompt).
 */
export function applyCrossFrameAttention(model: ModelProto, blocks: readonly AttentionBlock[],
  opts: Pick<CrossFrameOptions, 'frames'> = {}): ModelProto {
  const graph = model.graph;
  if (!graph) throw new KinetoError('model-load-failed', 'This ONNX model has no graph.');
  const { frames } = opts;
  if (frames !== undefined && !(Number.isInteger(frames) && frames >= 1)) {
    throw new KinetoError('bad-parameter', `frames must be a whole number ≥ 1 (frames per video in the batch); got ${frames}.`);
  }
  const opset = model.opsetImport.find((o) => (o.domain ?? '') === '' || o.domain === 'ai.onnx')?.version ?? 0;
  // Expand needs opset 8; Slice with tensor inputs (packed Q/K/V split, per-video groups) needs 10.
  const needed = frames !== undefined || blocks.some((b) => b.form === 'fused' && b.layout === 'packed-qkv') ? 10 : 8;
  if (opset < needed) {
    throw new KinetoError('model-load-failed', `Cross-frame attention needs ONNX opset ${needed} or newer; this model uses opset ${opset}.`);
  }

  const taken = new Set<string>([
    ...graph.node.flatMap((n) => [...n.input, ...n.output, n.name ?? '']),
    ...graph.initializer.map((t) => t.name ?? ''),
    ...graph.input.map((v) => v.name ?? ''),
  ]);
  const fresh = (base: string): string => {
    let name = base;
    for (let i = 1; taken.has(name); i++) name = `${base}_${i}`;
    taken.add(name);
    return name;
  };

  // 1. int64 constants shared by all blocks, placed first.
  const constants: NodeProto[] = [];
  const constantNames = new Map<string, string>();
  const int64 = (values: bigint[]): string => {
    const key = values.join(',');
    let name = constantNames.get(key);
    if (!name) {
      name = fresh(`${CROSS_FRAME_NODE_PREFIX}const_${key.replace(/-/g, 'm').replace(/,/g, '_')}`);
      constantNames.set(key, name);
      constants.push(makeNode({
        opType: 'Constant', input: [], output: [name], name,
        attribute: [makeAttribute({ name: 'value', type: ATTRIBUTE_TYPE.TENSOR, t: int64Tensor(values) })],
      }));
    }
    return name;
  };
  const node = (base: string, opType: string, input: string[], output: string, attribute = [] as NodeProto['attribute']): NodeProto =>
    makeNode({ opType, input, output: [output], name: fresh(`${base}/${opType}`), attribute });

  // 2. `t` → frame 0's `t` repeated over the batch: Expand(Gather(t, [0], axis 0), Shape(t)). With `frames`,
  //    per video: [B, …] → Reshape [B/frames, frames, …] → Gather(axis 1, [0]) → Expand → Reshape back to [B, …].
  const axis = (i: bigint) => [makeAttribute({ name: 'axis', type: ATTRIBUTE_TYPE.INT, i })];
  const firstFrame = (t: string, base: string, out: NodeProto[]): string => {
    const first = fresh(`${t}__first_frame`);
    const shape = fresh(`${t}__shape`);
    const broadcast = fresh(`${t}__cross_frame`);
    out.push(node(base, 'Shape', [t], shape));
    if (frames === undefined) {
      out.push(
        node(base, 'Gather', [t, int64([0n])], first, axis(0n)),
        node(base, 'Expand', [first, shape], broadcast),
      );
      return broadcast;
    }
    const rest = fresh(`${t}__shape_rest`);
    const groupedShape = fresh(`${t}__grouped_shape`);
    const grouped = fresh(`${t}__grouped`);
    const groupedExpanded = fresh(`${t}__grouped_cross_frame`);
    const groupedShapeActual = fresh(`${t}__grouped_shape_actual`);
    out.push(
      node(base, 'Slice', [shape, int64([1n]), int64([2n ** 63n - 1n]), int64([0n])], rest),
      node(base, 'Concat', [int64([-1n, BigInt(frames)]), rest], groupedShape, axis(0n)),
      node(base, 'Reshape', [t, groupedShape], grouped),
      node(base, 'Gather', [grouped, int64([0n])], first, axis(1n)),
      node(base, 'Shape', [grouped], groupedShapeActual),
      node(base, 'Expand', [first, groupedShapeActual], groupedExpanded),
      node(base, 'Reshape', [groupedExpanded, shape], broadcast),
    );
    return broadcast;
  };

  // 3. Plan the edits: tensors renamed everywhere (unfused K, V), node inputs edited (fused ops), nodes to insert.
  const replace = new Map<string, string>();
  const after = new Map<NodeProto | undefined, NodeProto[]>();
  const before = new Map<NodeProto, NodeProto[]>();
  const slots = new Map<NodeProto, string[]>();
  const producer = new Map(graph.node.flatMap((n) => n.output.map((o) => [o, n] as const)));
  for (const block of blocks) {
    const base = `${CROSS_FRAME_NODE_PREFIX}${block.name}`;
    if (block.form === 'projections') {
      for (const [role, tensor] of [['k', block.key], ['v', block.value]] as const) {
        if (replace.has(tensor)) continue;
        const p = producer.get(tensor);
        const list = after.get(p) ?? [];
        replace.set(tensor, firstFrame(tensor, `${base}/${role}`, list));
        after.set(p, list);
      }
      continue;
    }
    const target = graph.node[block.node];
    if (!target || target.opType !== block.opType) {
      throw new KinetoError('model-load-failed', `Attention block ${block.name}: node ${block.node} is not a ${block.opType}.`);
    }
    const pre = before.get(target) ?? [];
    const input = [...(slots.get(target) ?? target.input)];
    if (block.layout === 'packed-qkv') {
      // [B, S, N, 3, H] → q, k, v as [B, S, N·H]; k and v from frame 0.
      const packed = input[0]!;
      const parts = (['q', 'k', 'v'] as const).map((role, i) => {
        const sliced = fresh(`${packed}__${role}_packed`);
        const flat = fresh(`${packed}__${role}`);
        pre.push(
          node(`${base}/${role}`, 'Slice', [packed, int64([BigInt(i)]), int64([BigInt(i + 1)]), int64([3n])], sliced),
          node(`${base}/${role}`, 'Reshape', [sliced, int64([0n, 0n, -1n])], flat),
        );
        return role === 'q' ? flat : firstFrame(flat, `${base}/${role}`, pre);
      });
      input.splice(0, 3, ...parts);
    } else {
      input[1] = firstFrame(input[1]!, `${base}/k`, pre);
      if (block.layout === 'separate') input[2] = firstFrame(input[2]!, `${base}/v`, pre);
    }
    before.set(target, pre);
    slots.set(target, input);
  }

  // 4. Rebuild the node list in topological order: constants, then each node with its insertions.
  const out: NodeProto[] = [...constants, ...(after.get(undefined) ?? [])];
  for (const n of graph.node) {
    out.push(...(before.get(n) ?? []));
    const edited = slots.get(n);
    out.push(rewireNode(edited ? { ...n, input: edited } : n, replace, new Set()));
    out.push(...(after.get(n) ?? []));
  }
  return {
    ...model,
    graph: { ...graph, node: out },
    metadataProps: [...model.metadataProps, { key: CROSS_FRAME_METADATA_KEY, value: blocks.map((b) => b.name).join(','), unknown: [] }],
  };
}

/**
 * `n` with its inputs renamed by `replace`, also inside its subgraphs (If/Loop bodies read outer tensors by
 * name), except names a subgraph defines itself (`local`). Returns `n` itself when nothing changes.
 */
function rewireNode(n: NodeProto, replace: Map<string, string>, local: Set<string>): NodeProto {
  const input = n.input.map((i) => (local.has(i) ? i : replace.get(i) ?? i));
  const attribute = n.attribute.map((a) => {
    if (!a.g && a.graphs.length === 0) return a;
    const g = a.g && rewireGraph(a.g, replace, local);
    const graphs = a.graphs.map((sg) => rewireGraph(sg, replace, local));
    return g === a.g && graphs.every((sg, j) => sg === a.graphs[j]) ? a : { ...a, ...(g ? { g } : {}), graphs };
  });
  const changed = input.some((x, i) => x !== n.input[i]) || attribute.some((a, i) => a !== n.attribute[i]);
  return changed ? { ...n, input, attribute } : n;
}

function rewireGraph(g: GraphProto, replace: Map<string, string>, outerLocal: Set<string>): GraphProto {
  const local = new Set([...outerLocal, ...g.input.map((v) => v.name ?? ''), ...g.initializer.map((t) => t.name ?? ''),
    ...g.node.flatMap((n) => n.output)]);
  const node = g.node.map((n) => rewireNode(n, replace, local));
  return node.some((n, i) => n !== g.node[i]) ? { ...g, node } : g;
}
