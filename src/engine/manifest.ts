/**
 * Parses and validates a model's manifest.json. Every failure names the field ("latent.channels") and what
 * was expected, because a manifest is often hand-edited (e.g. to correct a Hub export's tensor names).
 * The JSON uses diffusers' snake_case names; this is the one place that maps them to camelCase. Reading fields is
 * `manifest-reader.ts`, components and their tensors `manifest-components.ts`, known-frame inputs and the VAE encoder
 * `manifest-conditioning.ts`.
 */
import { KinetoError } from './errors';
import { decoderScale } from './frame-size';
import {
  type ParsedComponent, componentWithVariants, requireDenoiserTensors, requireTensor, specsOf,
} from './manifest-components';
import { checkConditioningInputs, checkVaeEncoder, parseConditioning } from './manifest-conditioning';
import { httpsUrl, insideFolder, type Json, Reader } from './manifest-reader';
import type { ComponentName, ComponentSpec, Defaults, LatentSpec, ModelManifest, Preset, PresetName, Requirements, SchedulerConfig, Text2VideoZeroSpec, TokenizerSpec } from './types';
import {
  BETA_SCHEDULES, LATENT_LAYOUTS, PIPELINE_KINDS, PREDICTION_TYPES, PRESET_NAMES, SCHEDULER_KINDS, TIMESTEP_SPACINGS, WARP_FILLS,
} from './types';

export { externalDataFile } from './manifest-components';

/**
 * Upper bounds far above any model a browser can run (SD-class latents are 4 × 64 × 64, video models add ≤ a few
 * dozen frames), so that a broken manifest is refused here by name instead of as a huge allocation later.
 */
const MAX_LATENT = { channels: 64, frames: 1024, side: 1024, vaeScaleFactor: 64 } as const;
const MAX_TOKENS = 4096;
const MAX_TRAIN_TIMESTEPS = 100_000;

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
  if (cr.has('vae_encoder')) parsed.vae_encoder = componentWithVariants(cr, 'vae_encoder');
  const components: ModelManifest['components'] = { text_encoder: parsed.text_encoder!.spec, denoiser: parsed.denoiser!.spec };
  if (parsed.vae_decoder) components.vae_decoder = parsed.vae_decoder.spec;
  if (parsed.vae_encoder) components.vae_encoder = parsed.vae_encoder.spec;
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
  if (components.vae_decoder) decoderScale(components.vae_decoder, latent);
  knownFrameFields(r, manifest, parsed);
  if (defaults.frames > latent.frames || defaults.frames % latent.framesMultipleOf !== 0)
    throw new KinetoError('bad-manifest', `Invalid model manifest: "defaults.frames" must be a multiple of ${latent.framesMultipleOf} up to ${latent.frames} (got ${defaults.frames}).`);
  hubFields(r, manifest);
  return manifest;
}

/** The VAE encoder, every denoiser's conditioning inputs (presets' included) and the `conditioning` block. */
function knownFrameFields(r: Reader, m: ModelManifest, parsed: Partial<Record<ComponentName, ParsedComponent>>): void {
  if (parsed.vae_encoder)
    for (const [, spec] of specsOf('components.vae_encoder', parsed.vae_encoder)) checkVaeEncoder(spec, m.latent, m.components.vae_decoder !== undefined);
  const denoisers: [string, ComponentSpec][] = specsOf('components.denoiser', parsed.denoiser!);
  for (const [name, p] of Object.entries(m.presets ?? {})) {
    const where = `presets.${name}.denoiser`;
    if (p.denoiserVariants) denoisers.push(...Object.entries(p.denoiserVariants).map(([k, spec]): [string, ComponentSpec] => [`${where}.variants.${k}`, spec]));
    else if (p.denoiser) denoisers.push([where, p.denoiser]);
    const known = `presets.${name}.known_frames_denoiser`;
    if (p.knownFramesDenoiserVariants) denoisers.push(...Object.entries(p.knownFramesDenoiserVariants).map(([k, spec]): [string, ComponentSpec] => [`${known}.variants.${k}`, spec]));
    else if (p.knownFramesDenoiser) denoisers.push([known, p.knownFramesDenoiser]);
  }
  const takes = denoisers.map(([where, spec]) => checkConditioningInputs(spec, where, m.latent));
  const deaf = denoisers.find(([where], i) => where.includes('.known_frames_denoiser') && !takes[i]);
  if (deaf) r.fail(deaf[0], 'a denoiser with "cond_latents" and "cond_mask" inputs (it runs the windows with known frames)', deaf[1].inputs.map((t) => t.name));
  const conditioned = denoisers[takes.indexOf(true)];
  if (conditioned && m.pipeline !== 'text-to-video')
    r.fail('pipeline', `"text-to-video" for a denoiser with known-frame inputs ("${conditioned[0]}")`, m.pipeline);
  const conditioning = parseConditioning(r, conditioned?.[0] ?? null, m.latent);
  if (conditioning) m.conditioning = conditioning;
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
    if (p.has('known_frames_denoiser')) {
      const parsed = componentWithVariants(p, 'known_frames_denoiser');
      for (const [where, spec] of specsOf(`${p.path}.known_frames_denoiser`, parsed)) requireDenoiserTensors(spec, where);
      preset.knownFramesDenoiser = parsed.spec;
      if (parsed.variants) preset.knownFramesDenoiserVariants = parsed.variants;
    }
    out[name as PresetName] = preset;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Fields for Hub models: where the files are, licence, device requirements, the Text2Video-Zero pipeline.

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
