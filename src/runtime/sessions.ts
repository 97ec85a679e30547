/**
 * The engine's model types implemented on onnxruntime. The `ort` module is injected — onnxruntime-web in the
 * browser worker, onnxruntime-node in the CLI — so this file needs only onnxruntime-common's types.
 */
import type * as Ort from 'onnxruntime-common';
import { KinetoError } from '../engine/errors';
import type {
  ComponentSpec, DenoiserModel, Dtype, EncodedText, Tensor, TextEncoderModel, VaeDecoderModel,
} from '../engine/types';

export type OrtModule = Pick<typeof Ort, 'InferenceSession' | 'Tensor' | 'env'>;

/** Execution provider names as onnxruntime spells them. */
export type ExecutionProvider = 'webgpu' | 'wasm' | 'cpu';

export async function createSession(ort: OrtModule, bytes: Uint8Array, ep: ExecutionProvider, file: string,
  options: Ort.InferenceSession.SessionOptions = {}): Promise<Ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(bytes, { executionProviders: [ep], graphOptimizationLevel: 'all', ...options });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
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

function spec(c: ComponentSpec, side: 'inputs' | 'outputs', name: string) {
  const s = c[side].find((t) => t.name === name);
  if (!s) throw new KinetoError('bad-manifest', `${c.file} has no ${side.slice(0, -1)} named "${name}" in the manifest.`);
  return s;
}

/** Casts numbers to the input dtype the manifest declares (e.g. int64 timesteps for SD-style UNets). */
function typed(ort: OrtModule, dtype: Dtype, values: ArrayLike<number>, dims: number[]): Ort.Tensor {
  switch (dtype) {
    case 'float32':
      return new ort.Tensor('float32', Float32Array.from(values), dims);
    case 'int64':
      return new ort.Tensor('int64', BigInt64Array.from(Array.from(values, (v) => BigInt(Math.round(v)))), dims);
    case 'int32':
      return new ort.Tensor('int32', Int32Array.from(Array.from(values, Math.round)), dims);
    case 'float16':
      throw new KinetoError('bad-manifest', 'float16 model inputs are not supported; export with float32 inputs and float16 weights.');
  }
}

async function readFloat(t: Ort.Tensor): Promise<Float32Array> {
  if (t.type !== 'float32') throw new KinetoError('model-load-failed', `Expected a float32 output, got ${t.type}.`);
  const data = t.location === 'cpu' ? (t.data as Float32Array) : ((await t.getData(true)) as Float32Array);
  return data;
}

/** Text encodings stay where onnxruntime put them (a GPU buffer on WebGPU) and go straight back into the UNet. */
class OrtEncodedText implements EncodedText {
  constructor(readonly tensor: Ort.Tensor) {}
  get shape(): readonly number[] {
    return this.tensor.dims;
  }
  dispose(): void {
    this.tensor.dispose();
  }
}

export class OrtTextEncoder implements TextEncoderModel {
  constructor(private readonly ort: OrtModule, private readonly session: Ort.InferenceSession,
    private readonly c: ComponentSpec, private readonly clock: RunClock) {}

  async encode(ids: number[][]): Promise<EncodedText> {
    const input = spec(this.c, 'inputs', 'input_ids');
    const len = ids[0]?.length ?? 0;
    const feeds = { input_ids: typed(this.ort, input.dtype, ids.flat(), [ids.length, len]) };
    const out = await this.clock.time(() => this.session.run(feeds));
    const name = this.c.outputs[0]!.name;
    for (const [k, t] of Object.entries(out)) if (k !== name) t.dispose();
    feeds.input_ids.dispose();
    return new OrtEncodedText(out[name]!);
  }
}

export class OrtDenoiser implements DenoiserModel {
  constructor(private readonly ort: OrtModule, private readonly session: Ort.InferenceSession,
    private readonly c: ComponentSpec, private readonly clock: RunClock) {}

  async predict(sample: Tensor, timestep: number, text: EncodedText): Promise<Tensor> {
    if (!(text instanceof OrtEncodedText)) throw new KinetoError('internal', 'Text encoding came from another runtime.');
    const batch = sample.shape[0]!;
    const tSpec = spec(this.c, 'inputs', 'timestep');
    const tDims = tSpec.shape.length === 0 ? [] : [batch];
    const feeds: Record<string, Ort.Tensor> = {
      sample: new this.ort.Tensor('float32', sample.data, sample.shape),
      timestep: typed(this.ort, tSpec.dtype, new Array<number>(tDims.length ? batch : 1).fill(timestep), tDims),
      encoder_hidden_states: text.tensor,
    };
    const out = await this.clock.time(() => this.session.run(feeds));
    feeds.timestep!.dispose();
    const t = out[this.c.outputs[0]!.name]!;
    const data = await readFloat(t);
    return { data, shape: [...t.dims] };
  }
}

export class OrtVaeDecoder implements VaeDecoderModel {
  constructor(private readonly ort: OrtModule, private readonly session: Ort.InferenceSession,
    private readonly c: ComponentSpec, private readonly clock: RunClock) {}

  async decode(latents: Tensor): Promise<Tensor> {
    const name = this.c.inputs[0]!.name;
    const out = await this.clock.time(() => this.session.run({ [name]: new this.ort.Tensor('float32', latents.data, latents.shape) }));
    const t = out[this.c.outputs[0]!.name]!;
    return { data: await readFloat(t), shape: [...t.dims] };
  }
}
