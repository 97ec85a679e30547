/**
 * Parses and validates a model's manifest.json. Every failure names the field ("latent.channels") and what
 * was expected, because a manifest is often hand-edited (e.g. to correct a Hub export's tensor names).
 * The JSON uses diffusers' snake_case names; this is the one place that maps them to camelCase.
 */
import { KinetoError } from './errors';
import type {
  ComponentSpec, Defaults, LatentSpec, ModelManifest, SchedulerConfig, TensorSpec, TokenizerSpec,
} from './types';
import { BETA_SCHEDULES, DTYPES, PREDICTION_TYPES, SCHEDULER_KINDS, TIMESTEP_SPACINGS } from './types';

type Json = Record<string, unknown>;

class Reader {
  constructor(private readonly obj: Json, private readonly path: string) {}

  fail(key: string, expected: string, value: unknown): never {
    const where = this.path ? `${this.path}.${key}` : key;
    const got = value === undefined ? 'it is missing' : `got ${JSON.stringify(value)}`;
    throw new KinetoError('bad-manifest', `Invalid model manifest: "${where}" must be ${expected} (${got}).`);
  }

  has(key: string): boolean {
    return this.obj[key] !== undefined;
  }

  string(key: string): string {
    const v = this.obj[key];
    if (typeof v !== 'string' || v === '') this.fail(key, 'a non-empty string', v);
    return v;
  }

  optionalString(key: string, fallback: string): string {
    return this.has(key) ? (typeof this.obj[key] === 'string' ? (this.obj[key] as string) : this.fail(key, 'a string', this.obj[key])) : fallback;
  }

  number(key: string, opts: { integer?: boolean; min?: number; exclusiveMin?: number } = {}): number {
    const v = this.obj[key];
    const ok = typeof v === 'number' && Number.isFinite(v) && (!opts.integer || Number.isInteger(v))
      && (opts.min === undefined || v >= opts.min) && (opts.exclusiveMin === undefined || v > opts.exclusiveMin);
    if (!ok) {
      const kind = opts.integer ? 'an integer' : 'a number';
      const bound = opts.min !== undefined ? ` ≥ ${opts.min}` : opts.exclusiveMin !== undefined ? ` > ${opts.exclusiveMin}` : '';
      this.fail(key, kind + bound, v);
    }
    return v as number;
  }

  boolean(key: string, fallback: boolean): boolean {
    if (!this.has(key)) return fallback;
    const v = this.obj[key];
    return typeof v === 'boolean' ? v : this.fail(key, 'true or false', v);
  }

  oneOf<T extends string>(key: string, options: readonly T[]): T {
    const v = this.obj[key];
    if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) this.fail(key, `one of ${options.map((o) => `"${o}"`).join(', ')}`, v);
    return v as T;
  }

  object(key: string): Reader {
    const v = this.obj[key];
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(key, 'an object', v);
    return new Reader(v as Json, this.path ? `${this.path}.${key}` : key);
  }

  array(key: string): { value: unknown; reader: Reader; index: number }[] {
    const v = this.obj[key];
    if (!Array.isArray(v)) this.fail(key, 'an array', v);
    const base = this.path ? `${this.path}.${key}` : key;
    return v.map((value, index) => ({
      value,
      index,
      reader: new Reader(typeof value === 'object' && value !== null ? (value as Json) : {}, `${base}[${index}]`),
    }));
  }

  raw(key: string): unknown {
    return this.obj[key];
  }
}

function tensorSpecs(r: Reader, key: string): TensorSpec[] {
  const items = r.array(key);
  if (items.length === 0) r.fail(key, 'a non-empty array', []);
  return items.map(({ reader }) => {
    const shape = reader.raw('shape');
    if (!Array.isArray(shape) || !shape.every((d) => (typeof d === 'number' && Number.isInteger(d) && d >= 0) || (typeof d === 'string' && d !== '')))
      reader.fail('shape', 'an array of sizes (integers) or symbolic names (strings)', shape);
    return { name: reader.string('name'), dtype: reader.oneOf('dtype', DTYPES), shape: shape as (number | string)[] };
  });
}

function component(r: Reader, key: string): ComponentSpec {
  const c = r.object(key);
  const file = c.string('file');
  if (file.includes('..') || file.startsWith('/')) c.fail('file', 'a path inside the model folder', file);
  const spec: ComponentSpec = { file, inputs: tensorSpecs(c, 'inputs'), outputs: tensorSpecs(c, 'outputs'), bytes: c.number('bytes', { integer: true, min: 0 }) };
  if (c.has('sha256')) {
    const h = c.string('sha256');
    if (!/^[0-9a-f]{64}$/.test(h)) c.fail('sha256', '64 lower-case hex digits', h);
    spec.sha256 = h;
  }
  return spec;
}

function requireTensor(spec: ComponentSpec, where: string, side: 'inputs' | 'outputs', name: string): void {
  if (!spec[side].some((t) => t.name === name))
    throw new KinetoError('bad-manifest', `Invalid model manifest: "components.${where}.${side}" must list a tensor named "${name}".`);
}

export function parseManifest(json: unknown): ModelManifest {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new KinetoError('bad-manifest', 'Invalid model manifest: the file must contain a JSON object.');
  const r = new Reader(json as Json, '');
  const format = r.oneOf('format', ['kineto-model/1'] as const);
  const tr = r.object('tokenizer');
  const tokenizer: TokenizerSpec = {
    kind: tr.oneOf('kind', ['word-level', 'clip'] as const),
    file: tr.string('file'),
    maxLength: tr.number('max_length', { integer: true, min: 1 }),
    padId: tr.number('pad_id', { integer: true, min: 0 }),
  };
  if (tr.has('unknown_id')) tokenizer.unknownId = tr.number('unknown_id', { integer: true, min: 0 });

  const cr = r.object('components');
  const components: ModelManifest['components'] = { text_encoder: component(cr, 'text_encoder'), denoiser: component(cr, 'denoiser') };
  if (cr.has('vae_decoder')) components.vae_decoder = component(cr, 'vae_decoder');
  requireTensor(components.text_encoder, 'text_encoder', 'inputs', 'input_ids');
  for (const name of ['sample', 'timestep', 'encoder_hidden_states']) requireTensor(components.denoiser, 'denoiser', 'inputs', name);

  const lr = r.object('latent');
  const latent: LatentSpec = {
    layout: lr.oneOf('layout', ['BCFHW'] as const),
    channels: lr.number('channels', { integer: true, min: 1 }),
    frames: lr.number('frames', { integer: true, min: 1 }),
    framesMultipleOf: lr.has('frames_multiple_of') ? lr.number('frames_multiple_of', { integer: true, min: 1 }) : 1,
    height: lr.number('height', { integer: true, min: 1 }),
    width: lr.number('width', { integer: true, min: 1 }),
    vaeScaleFactor: lr.number('vae_scale_factor', { integer: true, min: 1 }),
    scalingFactor: lr.number('scaling_factor', { exclusiveMin: 0 }),
  };

  const sr = r.object('scheduler');
  const scheduler: SchedulerConfig = {
    numTrainTimesteps: sr.number('num_train_timesteps', { integer: true, min: 2 }),
    betaSchedule: sr.oneOf('beta_schedule', BETA_SCHEDULES),
    betaStart: sr.number('beta_start', { exclusiveMin: 0 }),
    betaEnd: sr.number('beta_end', { exclusiveMin: 0 }),
    predictionType: sr.oneOf('prediction_type', PREDICTION_TYPES),
    timestepSpacing: sr.oneOf('timestep_spacing', TIMESTEP_SPACINGS),
    stepsOffset: sr.has('steps_offset') ? sr.number('steps_offset', { integer: true, min: 0 }) : 0,
    setAlphaToOne: sr.boolean('set_alpha_to_one', true),
  };

  const dr = r.object('defaults');
  const defaults: Defaults = {
    steps: dr.number('steps', { integer: true, min: 1 }),
    guidanceScale: dr.number('guidance_scale', { min: 1 }),
    frames: dr.number('frames', { integer: true, min: 1 }),
    fps: dr.number('fps', { integer: true, min: 1 }),
    scheduler: dr.oneOf('scheduler', SCHEDULER_KINDS),
    outputSize: dr.number('output_size', { integer: true, min: 1 }),
    negativePrompt: dr.optionalString('negative_prompt', ''),
  };

  const manifest: ModelManifest = {
    format,
    id: r.string('id'),
    name: r.string('name'),
    description: r.optionalString('description', ''),
    license: r.string('license'),
    pipeline: r.oneOf('pipeline', ['text-to-video'] as const),
    tokenizer,
    components,
    latent,
    scheduler,
    defaults,
  };
  if (r.has('preview')) {
    const pr = r.object('preview').object('latent_rgb');
    const w = pr.raw('weights');
    const b = pr.raw('bias');
    const okW = Array.isArray(w) && w.length === latent.channels && w.every((row) => Array.isArray(row) && row.length === 3 && row.every((x) => typeof x === 'number'));
    if (!okW) throw new KinetoError('bad-manifest', `Invalid model manifest: "preview.latent_rgb.weights" must be ${latent.channels} rows of 3 numbers.`);
    if (!(Array.isArray(b) && b.length === 3 && b.every((x) => typeof x === 'number')))
      throw new KinetoError('bad-manifest', 'Invalid model manifest: "preview.latent_rgb.bias" must be 3 numbers.');
    manifest.preview = { latentRgb: { weights: w as number[][], bias: b as number[] } };
  }
  if (r.has('vocabulary')) {
    const v = r.raw('vocabulary');
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new KinetoError('bad-manifest', 'Invalid model manifest: "vocabulary" must be an array of strings.');
    manifest.vocabulary = v as string[];
  }
  if (defaults.frames > latent.frames || defaults.frames % latent.framesMultipleOf !== 0)
    throw new KinetoError('bad-manifest', `Invalid model manifest: "defaults.frames" must be a multiple of ${latent.framesMultipleOf} up to ${latent.frames} (got ${defaults.frames}).`);
  return manifest;
}
