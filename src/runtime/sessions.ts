/**
 * The engine's model types implemented on onnxruntime. The `ort` module is injected — onnxruntime-web in the
 * browser worker, onnxruntime-node in the CLI — so this file needs only onnxruntime-common's types.
 */
import type * as Ort from 'onnxruntime-common';
import { KinetoError } from '../engine/errors';
import { takesKnownFrames } from '../engine/manifest-conditioning';
import type {
  ComponentSpec, DenoiserConditioning, DenoiserModel, Dtype, EncodedText, Tensor, TensorSpec, TextEncoderModel,
  VaeDecoderModel, VaeEncoderModel,
} from '../engine/types';
import { floatsToHalf, halfToFloats } from './float16';

export type OrtModule = Pick<typeof Ort, 'InferenceSession' | 'Tensor' | 'env'>;

/** Execution provider names as onnxruntime spells them. */
export type ExecutionProvider = 'webgpu' | 'wasm' | 'cpu';

/**
 * On WASM the intra-op threads sleep between runs instead of spinning: on a 2-core machine spinning threads took the
 * cores from the work after the model (sound, video encoding), which ran 1.3–1.6× slower, for no gain inside the
 * model (`npm run bench -- clip sound`, docs/SPEED.md).
 */
const NO_SPINNING = { extra: { session: { intra_op: { allow_spinning: '0' } } } };

export async function createSession(ort: OrtModule, bytes: Uint8Array, ep: ExecutionProvider, file: string,
  options: Ort.InferenceSession.SessionOptions = {}): Promise<Ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(bytes, { executionProviders: [ep], graphOptimizationLevel: 'all', ...(ep === 'wasm' ? NO_SPINNING : {}), ...options });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/out of memory|allocat(e|ion) failed|failed to allocate|bad_alloc/i.test(msg))
      throw new KinetoError('out-of-memory', `There was not enough memory to start ${file} on ${ep === 'webgpu' ? 'WebGPU' : 'the CPU (WASM)'} (${msg}). ` +
        'Close other tabs or apps and try again, or choose a smaller model.', { cause: e });
    if (/protobuf|parse|invalid model|load model/i.test(msg))
      throw new KinetoError('model-file-corrupt', `${file} is not a valid ONNX model (${msg}).`, { cause: e });
    throw new KinetoError('model-load-failed', `onnxruntime (${ep}) could not load ${file}: ${msg}`, { cause: e });
  }
}

/** Measured seconds spent inside `session.run`, summed over all components. */
export class RunClock {
  seconds = 0;
  async time<T>(f: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      this.seconds += (performance.now() - t0) / 1000;
    }
  }
}

/** The tensor playing `role` (its manifest `role`, else its name). */
function spec(c: ComponentSpec, side: 'inputs' | 'outputs', role: string) {
  const s = c[side].find((t) => (t.role ?? t.name) === role);
  if (!s) throw new KinetoError('bad-manifest', `${c.file} has no ${side.slice(0, -1)} named "${role}" in the manifest.`);
  return s;
}

/**
 * Casts numbers to the input dtype the manifest declares (e.g. int64 timesteps for SD-style UNets, float16 samples
 * for fp16 exports with fp16 inputs). A Float32Array going to a float32 input is passed without a copy.
 */
function typed(ort: OrtModule, dtype: Dtype, values: ArrayLike<number>, dims: number[]): Ort.Tensor {
  switch (dtype) {
    case 'float32':
      return new ort.Tensor('float32', values instanceof Float32Array ? values : Float32Array.from(values), dims);
    case 'float16':
      return new ort.Tensor('float16', floatsToHalf(values), dims);
    case 'int64':
      return new ort.Tensor('int64', BigInt64Array.from(Array.from(values, (v) => BigInt(Math.round(v)))), dims);
    case 'int32':
      return new ort.Tensor('int32', Int32Array.from(Array.from(values, Math.round)), dims);
  }
}

/** A float32 or float16 output as float32 numbers (downloaded from the GPU when it lives there). */
async function readFloat(t: Ort.Tensor): Promise<Float32Array> {
  if (t.type !== 'float32' && t.type !== 'float16') throw new KinetoError('model-load-failed', `Expected a float32 or float16 output, got ${t.type}.`);
  const data = t.location === 'cpu' ? t.data : await t.getData(true);
  if (data instanceof Float32Array) return data;
  if (data instanceof Uint16Array) return halfToFloats(data);
  return Float32Array.from(data as ArrayLike<number>); // a native Float16Array
}

/** The batch size an input's manifest shape fixes (a number), or null when the dimension is symbolic. */
export function fixedBatch(c: ComponentSpec, input: string): number | null {
  const d = spec(c, 'inputs', input).shape[0];
  return typeof d === 'number' ? d : null;
}

/** Text encodings stay where onnxruntime put them (a GPU buffer on WebGPU) and go straight back into the UNet. */
class OrtEncodedText implements EncodedText {
  /** The same encoding cast to another dtype, made once when a denoiser input wants that dtype. */
  private cast: Ort.Tensor | null = null;
  constructor(readonly tensor: Ort.Tensor) {}
  get shape(): readonly number[] {
    return this.tensor.dims;
  }
  async as(ort: OrtModule, dtype: Dtype): Promise<Ort.Tensor> {
    if (this.tensor.type === dtype) return this.tensor;
    if (this.cast?.type === dtype) return this.cast;
    this.cast?.dispose();
    this.cast = typed(ort, dtype, await readFloat(this.tensor), [...this.tensor.dims]);
    return this.cast;
  }
  dispose(): void {
    this.tensor.dispose();
    this.cast?.dispose();
  }
}

export class OrtTextEncoder implements TextEncoderModel {
  constructor(private readonly ort: OrtModule, private readonly session: Ort.InferenceSession,
    private readonly c: ComponentSpec, private readonly clock: RunClock) {}

  /**
   * One row of hidden states per row of ids. When the manifest fixes the encoder's batch at 1 (the ORT-web SD-Turbo
   * export), rows are encoded one run each — identical rows once — and joined on the CPU into one float32 tensor.
   */
  async encode(ids: number[][]): Promise<EncodedText> {
    const batch = fixedBatch(this.c, 'input_ids');
    if (batch === 1 && ids.length > 1) return this.encodeRows(ids);
    if (batch !== null && batch !== ids.length)
      throw new KinetoError('bad-manifest', `${this.c.file} takes a batch of ${batch} prompts (manifest input_ids shape); got ${ids.length}.`);
    return new OrtEncodedText(await this.run(ids));
  }

  private async run(ids: number[][]): Promise<Ort.Tensor> {
    const input = spec(this.c, 'inputs', 'input_ids');
    const len = ids[0]?.length ?? 0;
    const ids64 = typed(this.ort, input.dtype, ids.flat(), [ids.length, len]);
    const out = await this.clock.time(() => this.session.run({ [input.name]: ids64 }));
    const name = this.c.outputs[0]!.name;
    for (const [k, t] of Object.entries(out)) if (k !== name) t.dispose();
    ids64.dispose();
    return out[name]!;
  }

  private async encodeRows(ids: number[][]): Promise<EncodedText> {
    const byRow = new Map<string, Float32Array>();
    let dims: readonly number[] = [];
    for (const row of ids) {
      const key = row.join(',');
      if (byRow.has(key)) continue;
      const t = await this.run([row]);
      dims = t.dims;
      byRow.set(key, (await readFloat(t)).slice());
      t.dispose();
    }
    const rowSize = dims.slice(1).reduce((a, b) => a * b, 1);
    const data = new Float32Array(ids.length * rowSize);
    ids.forEach((row, i) => data.set(byRow.get(row.join(','))!, i * rowSize));
    return new OrtEncodedText(new this.ort.Tensor('float32', data, [ids.length, ...dims.slice(1)]));
  }
}

export class OrtDenoiser implements DenoiserModel {
  constructor(private readonly ort: OrtModule, private readonly session: Ort.InferenceSession,
    private readonly c: ComponentSpec, private readonly clock: RunClock) {}

  /**
   * The timestep goes in as the manifest declares it: a scalar (shape []), one value for the whole batch (a fixed
   * size such as [1]), or one value per batch item (a symbolic size such as ["batch"]).
   */
  async predict(sample: Tensor, timestep: number, text: EncodedText, conditioning?: DenoiserConditioning): Promise<Tensor> {
    if (!(text instanceof OrtEncodedText)) throw new KinetoError('internal', 'Text encoding came from another runtime.');
    const batch = sample.shape[0]!;
    const [sSpec, tSpec, eSpec] = (['sample', 'timestep', 'encoder_hidden_states'] as const).map((r) => spec(this.c, 'inputs', r)) as [TensorSpec, TensorSpec, TensorSpec];
    const t0 = tSpec.shape[0];
    const tDims = tSpec.shape.length === 0 ? [] : [typeof t0 === 'number' ? t0 : batch];
    const x = typed(this.ort, sSpec.dtype, sample.data, sample.shape);
    const ts = typed(this.ort, tSpec.dtype, new Array<number>(tDims[0] ?? 1).fill(timestep), tDims);
    const feeds: Record<string, Ort.Tensor> = {
      [sSpec.name]: x,
      [tSpec.name]: ts,
      [eSpec.name]: await text.as(this.ort, eSpec.dtype),
    };
    const known = this.knownFrameFeeds(sample, conditioning);
    Object.assign(feeds, known);
    const out = await this.clock.time(() => this.session.run(feeds));
    ts.dispose();
    if (x.data !== sample.data) x.dispose();
    for (const t of Object.values(known)) t.dispose();
    const t = out[this.c.outputs[0]!.name]!;
    const data = await readFloat(t);
    return { data, shape: [...t.dims] };
  }

  /**
   * The `cond_latents` and `cond_mask` feeds of a conditioned denoiser: the known frames given, or none known (zeros:
   * the `text_to_video` mask it was trained with) for a plain clip. Known frames for a denoiser without those inputs
   * are a bug in the caller, not a model fault.
   */
  private knownFrameFeeds(sample: Tensor, conditioning: DenoiserConditioning | undefined): Record<string, Ort.Tensor> {
    if (!takesKnownFrames(this.c)) {
      if (conditioning) throw new KinetoError('internal', `${this.c.file} takes no known frames (no cond_latents / cond_mask inputs in the manifest).`);
      return {};
    }
    const [b, , f, h, w] = sample.shape as [number, number, number, number, number];
    const given = conditioning ?? { latents: { data: new Float32Array(sample.data.length), shape: sample.shape }, mask: { data: new Float32Array(b * f * h * w), shape: [b, 1, f, h, w] } };
    const [lSpec, mSpec] = (['cond_latents', 'cond_mask'] as const).map((r) => spec(this.c, 'inputs', r)) as [TensorSpec, TensorSpec];
    return {
      [lSpec.name]: typed(this.ort, lSpec.dtype, given.latents.data, given.latents.shape),
      [mSpec.name]: typed(this.ort, mSpec.dtype, given.mask.data, given.mask.shape),
    };
  }
}

export class OrtVaeEncoder implements VaeEncoderModel {
  constructor(private readonly ort: OrtModule, private readonly session: Ort.InferenceSession,
    private readonly c: ComponentSpec, private readonly clock: RunClock) {}

  async encode(frames: Tensor): Promise<Tensor> {
    const input = spec(this.c, 'inputs', 'sample');
    const x = typed(this.ort, input.dtype, frames.data, frames.shape);
    const out = await this.clock.time(() => this.session.run({ [input.name]: x }));
    if (x.data !== frames.data) x.dispose();
    const t = out[this.c.outputs[0]!.name]!;
    return { data: await readFloat(t), shape: [...t.dims] };
  }
}

export class OrtVaeDecoder implements VaeDecoderModel {
  constructor(private readonly ort: OrtModule, private readonly session: Ort.InferenceSession,
    private readonly c: ComponentSpec, private readonly clock: RunClock) {}

  async decode(latents: Tensor): Promise<Tensor> {
    const input = this.c.inputs[0]!;
    const out = await this.clock.time(() => this.session.run({ [input.name]: typed(this.ort, input.dtype, latents.data, latents.shape) }));
    const t = out[this.c.outputs[0]!.name]!;
    return { data: await readFloat(t), shape: [...t.dims] };
  }
}
