/**
 * Parses and validates a model's manifest.json. Every failure names the field ("latent.channels") and what
 * was expected, because a manifest is often hand-edited (e.g. to correct a Hub export's tensor names).
 * The JSON uses diffusers' snake_case names; this is the one place that maps them to camelCase.
 */
import { KinetoError } from './errors';
import type {
  ComponentSpec, Defaults, ExternalDataSpec, LatentSpec, ModelManifest, SchedulerConfig, TensorSpec, TokenizerSpec,
} from './types';
import type { ComponentName, Preset, PresetName, Requirements, Text2VideoZeroSpec, WeightVariant } from './types';
import {
  BETA_SCHEDULES, DTYPES, LATENT_LAYOUTS, PIPELINE_KINDS, PREDICTION_TYPES, PRESET_NAMES, SCHEDULER_KINDS, TIMESTEP_SPACINGS,
  WARP_FILLS, WEIGHT_VARIANTS,
} from './types';

type Json = Record<string, unknown>;

/**
 * Upper bounds far above any model a browser can run (SD-class latents are 4 × 64 × 64, video models add ≤ a few
 * dozen frames), so that a broken manifest is refused here by name instead of as a huge allocation later.
 */
const MAX_LATENT = { channels: 64, frames: 1024, side: 1024, vaeScaleFactor: 64 } as const;
const MAX_TOKENS = 4096;
const MAX_TRAIN_TIMESTEPS = 100_000;

class Reader {
  constructor(private readonly obj: Json, readonly path: string) {}

  fail(key: string, expected: string, value: unknown): never {
    const where = key === '' ? this.path : this.path ? `${this.path}.${key}` : key;
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

  number(key: string, opts: { integer?: boolean; min?: number; exclusiveMin?: number; max?: number } = {}): number {
    const v = this.obj[key];
    const ok = typeof v === 'number' && Number.isFinite(v) && (!opts.integer || Number.isInteger(v))
      && (opts.min === undefined || v >= opts.min) && (opts.exclusiveMin === undefined || v > opts.exclusiveMin)
      && (opts.max === undefined || v <= opts.max);
    if (!ok) {
      const kind = opts.integer ? 'an integer' : 'a number';
      const low = opts.min !== undefined ? ` ≥ ${opts.min}` : opts.exclusiveMin !== undefined ? ` > ${opts.exclusiveMin}` : '';
      const bound = opts.max !== undefined ? `${low}${low ? ' and' : ''} ≤ ${opts.max}` : low;
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
    const t: TensorSpec = { name: reader.string('name'), dtype: reader.oneOf('dtype', DTYPES), shape: shape as (number | string)[] };
    if (reader.has('role')) t.role = reader.string('role');
    return t;
  });
}

/** A relative path that stays inside the model folder: no `..` segment, no leading `/`, no scheme (`https:`). */
function insideFolder(path: string): boolean {
  return !path.includes('..') && !path.startsWith('/') && !path.includes('\\') && !/^[a-z][a-z0-9+.-]*:/i.test(path);
}

function sha256(r: Reader): string {
  const h = r.string('sha256');
  if (!/^[0-9a-f]{64}$/.test(h)) r.fail('sha256', '64 lower-case hex digits', h);
  return h;
}

function component(r: Reader, key: string): ComponentSpec {
  const c = r.object(key);
  const file = c.string('file');
  if (!insideFolder(file)) c.fail('file', 'a path inside the model folder', file);
  const spec: ComponentSpec = { file, inputs: tensorSpecs(c, 'inputs'), outputs: tensorSpecs(c, 'outputs'), bytes: c.number('bytes', { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER }) };
  if (c.has('sha256')) spec.sha256 = sha256(c);
  sizeAndShapeOptions(c, spec);
  if (c.has('external_data')) {
    spec.externalData = c.array('external_data').map(({ value, reader }) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) reader.fail('', 'an object with "path" and "bytes"', value);
      const path = reader.string('path');
      if (!insideFolder(path)) reader.fail('path', 'a path inside the model folder', path);
      const x: ExternalDataSpec = { path, bytes: reader.number('bytes', { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER }) };
      if (reader.has('sha256')) x.sha256 = sha256(reader);
      return x;
    });
    const seen = new Set<string>();
    for (const x of spec.externalData) {
      if (seen.has(x.path)) c.fail('external_data', 'a list of distinct paths', x.path);
      seen.add(x.path);
    }
  }
  return spec;
}

/** The path, relative to the manifest, of an external-data file of `c` (its location is relative to `c.file`). */
export function externalDataFile(c: ComponentSpec, x: ExternalDataSpec): string {
  const slash = c.file.lastIndexOf('/');
  const dir = slash < 0 ? '' : c.file.slice(0, slash + 1);
  return dir + x.path.replace(/^(\.\/)+/, '');
}

/** `where` is the component's full path, e.g. "components.denoiser" or "presets.fast.denoiser.variants.int8". */
function requireTensor(spec: ComponentSpec, where: string, side: 'inputs' | 'outputs', name: string): void {
  if (!spec[side].some((t) => (t.role ?? t.name) === name))
    throw new KinetoError('bad-manifest', `Invalid model manifest: "${where}.${side}" must list a tensor named "${name}" (or with "role": "${name}").`);
}

/** The variant a component uses when none is picked for a device: fp32 when offered (it runs anywhere). */
const UNPICKED_ORDER: readonly WeightVariant[] = ['fp32', 'int8', 'fp16'];

type ParsedComponent = { spec: ComponentSpec; variants?: Partial<Record<WeightVariant, ComponentSpec>> };

/**
 * A component, or one offered in weight variants: `"variants": { "fp16": {…}, "fp32": {…} }`, where each variant's
 * fields override the component's own (which then hold what the variants share, e.g. `inputs`, and may leave out
 * `file` and `bytes`). Each variant must make a complete component.
 */
function componentWithVariants(cr: Reader, key: ComponentName): ParsedComponent {
  const c = cr.object(key);
  if (!c.has('variants')) return { spec: component(cr, key) };
  const vr = c.object('variants');
  const raw = c.raw('variants') as Json;
  const shared: Json = { ...(cr.raw(key) as Json) };
  delete shared.variants;
  const names = Object.keys(raw);
  if (names.length === 0) c.fail('variants', `an object with at least one of ${WEIGHT_VARIANTS.map((v) => `"${v}"`).join(', ')}`, raw);
  const variants: Partial<Record<WeightVariant, ComponentSpec>> = {};
  for (const name of names) {
    if (!(WEIGHT_VARIANTS as readonly string[]).includes(name)) vr.fail(name, `named one of ${WEIGHT_VARIANTS.map((v) => `"${v}"`).join(', ')}`, raw[name]);
    vr.object(name);
    const merged = { ...shared, ...(raw[name] as Json) };
    variants[name as WeightVariant] = component(new Reader({ [name]: merged }, `${cr.path}.${key}.variants`), name);
  }
  const fallback = UNPICKED_ORDER.find((v) => variants[v] !== undefined)!;
  return { spec: variants[fallback]!, variants };
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
    maxLength: tr.number('max_length', { integer: true, min: 1, max: MAX_TOKENS }),
    padId: tr.number('pad_id', { integer: true, min: 0 }),
  };
  if (!insideFolder(tokenizer.file)) tr.fail('file', 'a path inside the model folder', tokenizer.file);
  if (tr.has('unknown_id')) tokenizer.unknownId = tr.number('unknown_id', { integer: true, min: 0 });
  if (tr.has('url')) tokenizer.url = httpsUrl(tr, 'url');

  const cr = r.object('components');
  const parsed: Partial<Record<ComponentName, ParsedComponent>> = {
    text_encoder: componentWithVariants(cr, 'text_encoder'),
    denoiser: componentWithVariants(cr, 'denoiser'),
  };
  if (cr.has('vae_decoder')) parsed.vae_decoder = componentWithVariants(cr, 'vae_decoder');
  const components: ModelManifest['components'] = { text_encoder: parsed.text_encoder!.spec, denoiser: parsed.denoiser!.spec };
  if (parsed.vae_decoder) components.vae_decoder = parsed.vae_decoder.spec;
  const variants: NonNullable<ModelManifest['variants']> = {};
  for (const [name, p] of Object.entries(parsed) as [ComponentName, ParsedComponent][]) if (p.variants) variants[name] = p.variants;
  for (const [where, spec] of specsOf(`components.text_encoder`, parsed.text_encoder!)) requireTensor(spec, where, 'inputs', 'input_ids');
  for (const [where, spec] of specsOf(`components.denoiser`, parsed.denoiser!)) requireDenoiserTensors(spec, where);

  const lr = r.object('latent');
  const latent: LatentSpec = {
    layout: lr.oneOf('layout', LATENT_LAYOUTS),
    channels: lr.number('channels', { integer: true, min: 1, max: MAX_LATENT.channels }),
    frames: lr.number('frames', { integer: true, min: 1, max: MAX_LATENT.frames }),
    framesMultipleOf: lr.has('frames_multiple_of') ? lr.number('frames_multiple_of', { integer: true, min: 1, max: MAX_LATENT.frames }) : 1,
    height: lr.number('height', { integer: true, min: 1, max: MAX_LATENT.side }),
    width: lr.number('width', { integer: true, min: 1, max: MAX_LATENT.side }),
    vaeScaleFactor: lr.number('vae_scale_factor', { integer: true, min: 1, max: MAX_LATENT.vaeScaleFactor }),
    scalingFactor: lr.number('scaling_factor', { exclusiveMin: 0 }),
  };

  const sr = r.object('scheduler');
  const scheduler: SchedulerConfig = {
    numTrainTimesteps: sr.number('num_train_timesteps', { integer: true, min: 2, max: MAX_TRAIN_TIMESTEPS }),
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
    pipeline: r.oneOf('pipeline', PIPELINE_KINDS),
    tokenizer,
    components,
    latent,
    scheduler,
    defaults,
  };
  if (Object.keys(variants).length > 0) manifest.variants = variants;
  if (r.has('presets')) manifest.presets = presets(r, cr);
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
  hubFields(r, manifest);
  return manifest;
}

/** Each spec of a parsed component with its path: the variants when offered, else the component itself. */
function specsOf(where: string, p: ParsedComponent): [string, ComponentSpec][] {
  return p.variants ? Object.entries(p.variants).map(([k, spec]) => [`${where}.variants.${k}`, spec]) : [[where, p.spec]];
}

function requireDenoiserTensors(spec: ComponentSpec, where: string): void {
  for (const name of ['sample', 'timestep', 'encoder_hidden_states']) requireTensor(spec, where, 'inputs', name);
}

/** Fields that name one file; a preset's denoiser never inherits them from `components.denoiser`. */
const FILE_FIELDS = ['file', 'bytes', 'bytes_approximate', 'sha256', 'external_data', 'variants'];

/**
 * `presets`: `{ "fast": { "denoiser": { "file": …, "bytes": …, "sha256": … }, "scheduler": "lcm", "steps": 4,
 * "guidance_scale": 1 }, "quality": { "scheduler": "ddim", "steps": 30, "guidance_scale": 3 } }`. A preset's
 * `denoiser` takes its tensors (and free-dimension overrides) from `components.denoiser` unless it gives its own,
 * never its file, size or hash; it may offer `variants` like a component.
 */
function presets(r: Reader, cr: Reader): NonNullable<ModelManifest['presets']> {
  const pr = r.object('presets');
  const raw = r.raw('presets') as Json;
  const offered = PRESET_NAMES.map((n) => `"${n}"`).join(', ');
  if (Object.keys(raw).length === 0) r.fail('presets', `an object with at least one of ${offered}`, raw);
  const out: NonNullable<ModelManifest['presets']> = {};
  for (const name of Object.keys(raw)) {
    if (!(PRESET_NAMES as readonly string[]).includes(name)) pr.fail(name, `named one of ${offered}`, raw[name]);
    const p = pr.object(name);
    const preset: Preset = {
      scheduler: p.oneOf('scheduler', SCHEDULER_KINDS),
      steps: p.number('steps', { integer: true, min: 1 }),
      guidanceScale: p.number('guidance_scale', { min: 1 }),
    };
    if (p.has('denoiser')) {
      p.object('denoiser');
      const base = Object.fromEntries(Object.entries(cr.raw('denoiser') as Json).filter(([k]) => !FILE_FIELDS.includes(k)));
      const merged = { ...base, ...(p.raw('denoiser') as Json) };
      const parsed = componentWithVariants(new Reader({ denoiser: merged }, p.path), 'denoiser');
      for (const [where, spec] of specsOf(`${p.path}.denoiser`, parsed)) requireDenoiserTensors(spec, where);
      preset.denoiser = parsed.spec;
      if (parsed.variants) preset.denoiserVariants = parsed.variants;
    }
    out[name as PresetName] = preset;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Fields for Hub models: where the files are, licence, device requirements, the Text2Video-Zero pipeline.

function httpsUrl(r: Reader, key: string): string {
  const v = r.string(key);
  if (!/^https:\/\/[^\s]+$/.test(v)) r.fail(key, 'an https:// URL', v);
  return v;
}

/** `bytes_approximate` and `free_dimension_overrides` of a component. */
function sizeAndShapeOptions(c: Reader, spec: ComponentSpec): void {
  if (c.boolean('bytes_approximate', false)) spec.bytesApproximate = true;
  if (!c.has('free_dimension_overrides')) return;
  const o = c.object('free_dimension_overrides');
  const raw = c.raw('free_dimension_overrides') as Json;
  const overrides: Record<string, number> = {};
  for (const name of Object.keys(raw)) overrides[name] = o.number(name, { integer: true, min: 1 });
  spec.freeDimensionOverrides = overrides;
}

function requirements(r: Reader): Requirements {
  const q = r.object('requirements');
  const out: Requirements = { webgpu: q.boolean('webgpu', false), shaderF16: q.boolean('shader_f16', false) };
  if (out.shaderF16 && !out.webgpu) q.fail('webgpu', 'true when "shader_f16" is true', q.raw('webgpu'));
  if (q.has('memory_gb')) out.memoryGb = q.number('memory_gb', { exclusiveMin: 0 });
  if (q.has('largest_buffer_mb')) out.largestBufferMb = q.number('largest_buffer_mb', { exclusiveMin: 0 });
  return out;
}

function text2videoZero(r: Reader, steps: number): Text2VideoZeroSpec {
  const spec: Text2VideoZeroSpec = { motion: { dx: 1, dy: 0 }, warpAfterSteps: 1, renoiseToStep: 0, fill: 'edge', crossFrameAttention: false };
  if (!r.has('text2video_zero')) return spec;
  const t = r.object('text2video_zero');
  if (t.has('motion')) {
    const m = t.object('motion');
    spec.motion = { dx: m.number('dx'), dy: m.number('dy') };
  }
  if (t.has('warp_after_steps')) spec.warpAfterSteps = t.number('warp_after_steps', { integer: true, min: 1 });
  if (t.has('renoise_to_step')) spec.renoiseToStep = t.number('renoise_to_step', { integer: true, min: 0 });
  if (t.has('fill')) spec.fill = t.oneOf('fill', WARP_FILLS);
  spec.crossFrameAttention = t.boolean('cross_frame_attention', false);
  if (spec.renoiseToStep >= spec.warpAfterSteps)
    t.fail('renoise_to_step', `an integer below "warp_after_steps" (${spec.warpAfterSteps})`, spec.renoiseToStep);
  if (steps < spec.warpAfterSteps)
    t.fail('warp_after_steps', `at most "defaults.steps" (${steps})`, spec.warpAfterSteps);
  return spec;
}

function hubFields(r: Reader, m: ModelManifest): void {
  if (r.has('license_url')) m.licenseUrl = httpsUrl(r, 'license_url');
  if (r.has('license_notice')) m.licenseNotice = r.string('license_notice');
  if (r.has('base_url')) {
    const base = httpsUrl(r, 'base_url');
    if (!base.endsWith('/')) r.fail('base_url', 'an https:// URL ending in "/"', base);
    m.baseUrl = base;
  }
  if (r.has('requirements')) m.requirements = requirements(r);
  const wanted = m.pipeline === 'text2video-zero' ? 'BCHW' : 'BCFHW';
  if (m.latent.layout !== wanted)
    new Reader({ layout: m.latent.layout }, 'latent').fail('layout', `"${wanted}" for pipeline "${m.pipeline}"`, m.latent.layout);
  if (m.pipeline === 'text2video-zero') m.text2videoZero = text2videoZero(r, m.defaults.steps);
  else if (r.has('text2video_zero')) r.fail('text2video_zero', `absent for pipeline "${m.pipeline}"`, r.raw('text2video_zero'));
}
