import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KinetoError } from '../../../src/engine/errors';
import { externalDataFile, parseManifest } from '../../../src/engine/manifest';

const good = JSON.parse(readFileSync('public/models/kineto-shapes/manifest.json', 'utf8'));
const clone = () => structuredClone(good);

function expectBad(m: unknown, field: string) {
  try {
    parseManifest(m);
  } catch (e) {
    expect(e).toBeInstanceOf(KinetoError);
    expect((e as KinetoError).code).toBe('bad-manifest');
    expect((e as KinetoError).message).toContain(field);
    return;
  }
  throw new Error(`manifest with bad ${field} was accepted`);
}

describe('parseManifest', () => {
  it('accepts the shipped manifest and maps diffusers names to camelCase', () => {
    const m = parseManifest(good);
    expect(m.scheduler.numTrainTimesteps).toBe(1000);
    expect(m.scheduler.predictionType).toBe('v_prediction');
    expect(m.scheduler.timestepSpacing).toBe('trailing');
    expect(m.latent.channels).toBe(4);
    expect(m.components.denoiser.inputs.map((i) => i.name)).toEqual(['sample', 'timestep', 'encoder_hidden_states', 'cond_latents', 'cond_mask']);
    expect(m.defaults.scheduler).toBe('ddim');
  });

  it('names a missing field', () => {
    const m = clone();
    delete m.latent.channels;
    expectBad(m, '"latent.channels"');
  });

  it('names a field of the wrong type', () => {
    const m = clone();
    m.scheduler.num_train_timesteps = 'many';
    expectBad(m, '"scheduler.num_train_timesteps"');
  });

  it('names an unknown enum value with the allowed ones', () => {
    const m = clone();
    m.scheduler.prediction_type = 'noise';
    expectBad(m, '"epsilon", "v_prediction", "sample"');
  });

  it('rejects a component file outside the model folder', () => {
    const m = clone();
    m.components.denoiser.file = '../../etc/passwd';
    expectBad(m, '"components.denoiser.file"');
  });

  it('rejects a denoiser without the required inputs', () => {
    const m = clone();
    m.components.denoiser.inputs = m.components.denoiser.inputs.filter((i: { name: string }) => i.name !== 'timestep');
    expectBad(m, 'timestep');
  });

  it('rejects a bad tensor dtype and a bad sha256', () => {
    const m = clone();
    m.components.text_encoder.inputs[0].dtype = 'int8';
    expectBad(m, '"components.text_encoder.inputs[0].dtype"');
    const m2 = clone();
    m2.components.vae_decoder.sha256 = 'xyz';
    expectBad(m2, '"components.vae_decoder.sha256"');
  });

  it('rejects non-objects and default frames the latent cannot hold', () => {
    expectBad([], 'JSON object');
    const m = clone();
    m.defaults.frames = 15;
    expectBad(m, '"defaults.frames"');
  });
});

describe('external data', () => {
  const withExternal = (entries: unknown) => {
    const m = clone();
    m.components.denoiser.file = 'unet/model.onnx';
    m.components.denoiser.external_data = entries;
    return m;
  };
  const sha = 'ab'.repeat(32);

  it('parses external_data into externalData and resolves files beside the component', () => {
    const m = parseManifest(withExternal([{ path: 'model.onnx_data', bytes: 2_800_000_000, sha256: sha }, { path: './extra.bin', bytes: 10 }]));
    const c = m.components.denoiser;
    expect(c.externalData).toEqual([{ path: 'model.onnx_data', bytes: 2_800_000_000, sha256: sha }, { path: './extra.bin', bytes: 10 }]);
    expect(externalDataFile(c, c.externalData![0]!)).toBe('unet/model.onnx_data');
    expect(externalDataFile(c, c.externalData![1]!)).toBe('unet/extra.bin');
    expect(externalDataFile({ ...c, file: 'top.onnx' }, c.externalData![0]!)).toBe('model.onnx_data');
    expect(parseManifest(good).components.denoiser.externalData).toBeUndefined();
  });

  it('names the bad entry', () => {
    expectBad(withExternal({ path: 'x' }), '"components.denoiser.external_data" must be an array');
    expectBad(withExternal(['x']), '"components.denoiser.external_data[0]" must be an object');
    expectBad(withExternal([{ path: 'x.bin' }]), '"components.denoiser.external_data[0].bytes"');
    expectBad(withExternal([{ path: '../x.bin', bytes: 1 }]), '"components.denoiser.external_data[0].path" must be a path inside the model folder');
    expectBad(withExternal([{ path: 'x.bin', bytes: 1, sha256: 'nope' }]), '"components.denoiser.external_data[0].sha256"');
    expectBad(withExternal([{ path: 'x.bin', bytes: 1 }, { path: 'x.bin', bytes: 1 }]), '"components.denoiser.external_data" must be a list of distinct paths');
  });

  it('refuses files that point to another site', () => {
    const m = clone();
    m.components.denoiser.file = 'https://elsewhere.example/denoiser.onnx';
    expectBad(m, '"components.denoiser.file" must be a path inside the model folder');
    const m2 = clone();
    m2.tokenizer.file = 'https://elsewhere.example/tokenizer.json';
    expectBad(m2, '"tokenizer.file"');
  });
});

describe('Hub families: pipelines, requirements, Text2Video-Zero settings', () => {
  const read = (p: string) => JSON.parse(readFileSync(p, 'utf8'));
  const sdFixture = read('tests/fixtures/hub/sd-turbo/manifest.json');

  it('parses the fixtures and the Hub manifests', () => {
    const sd = parseManifest(sdFixture);
    expect(sd.pipeline).toBe('text2video-zero');
    expect(sd.latent.layout).toBe('BCHW');
    expect(sd.text2videoZero).toEqual({ motion: { dx: 1, dy: 0 }, warpAfterSteps: 1, renoiseToStep: 0, fill: 'edge', crossFrameAttention: false });
    expect(sd.components.denoiser.freeDimensionOverrides).toEqual({ batch_size: 1, num_channels: 4, height: 8, width: 8, sequence_length: 77 });
    const ms = parseManifest(read('tests/fixtures/hub/modelscope-t2v/manifest.json'));
    expect(ms.pipeline).toBe('text-to-video');
    expect(ms.components.denoiser.inputs.find((t) => t.name === 'timestep')).toEqual({ name: 'timestep', dtype: 'int64', shape: ['batch'] });

    const hubSd = parseManifest(read('public/models/hub/sd-turbo.json'));
    expect(hubSd.requirements).toEqual({ webgpu: true, shaderF16: true, memoryGb: 8 });
    expect(hubSd.baseUrl).toBe('https://huggingface.co/schmuell/sd-turbo-ort-web/resolve/main/');
    expect(hubSd.tokenizer.url).toMatch(/^https:\/\/huggingface\.co\/.+\/resolve\/main\/tokenizer\.json$/);
    expect(hubSd.components.denoiser.bytesApproximate).toBe(true);
    expect(hubSd.text2videoZero?.crossFrameAttention).toBe(true);
    expect(hubSd.scheduler).toMatchObject({ betaSchedule: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012, predictionType: 'epsilon', timestepSpacing: 'trailing' });
    const hubMs = parseManifest(read('public/models/hub/modelscope-t2v.json'));
    expect(hubMs.license).toBe('CC-BY-NC-4.0');
    expect(hubMs.licenseNotice).toMatch(/non-commercial/);
    expect(hubMs.latent.scalingFactor).toBe(0.18215);
  });

  it('ties the latent layout to the pipeline', () => {
    const m = structuredClone(sdFixture);
    m.latent.layout = 'BCFHW';
    expectBad(m, '"latent.layout" must be "BCHW" for pipeline "text2video-zero"');
    const k = clone();
    k.latent.layout = 'BCHW';
    expectBad(k, '"latent.layout" must be "BCFHW" for pipeline "text-to-video"');
    const z = clone();
    z.text2video_zero = {};
    expectBad(z, '"text2video_zero" must be absent');
  });

  it('checks the Text2Video-Zero step indices', () => {
    const m = structuredClone(sdFixture);
    m.text2video_zero.renoise_to_step = 1;
    expectBad(m, '"text2video_zero.renoise_to_step" must be an integer below "warp_after_steps" (1)');
    const m2 = structuredClone(sdFixture);
    m2.text2video_zero.warp_after_steps = 5;
    expectBad(m2, '"text2video_zero.warp_after_steps" must be at most "defaults.steps" (4)');
    const m3 = structuredClone(sdFixture);
    m3.text2video_zero.fill = 'mirror';
    expectBad(m3, '"text2video_zero.fill" must be one of "edge", "wrap"');
    const m4 = structuredClone(sdFixture);
    delete m4.text2video_zero;
    expect(parseManifest(m4).text2videoZero).toEqual({ motion: { dx: 1, dy: 0 }, warpAfterSteps: 1, renoiseToStep: 0, fill: 'edge', crossFrameAttention: false });
  });

  it('checks requirements, URLs, overrides and tensor roles', () => {
    const m = clone();
    m.requirements = { shader_f16: true };
    expectBad(m, '"requirements.webgpu" must be true when "shader_f16" is true');
    m.requirements = { webgpu: true, memory_gb: 0 };
    expectBad(m, '"requirements.memory_gb" must be a number > 0');
    const u = clone();
    u.base_url = 'http://insecure.example/models/';
    expectBad(u, '"base_url" must be an https:// URL');
    u.base_url = 'https://huggingface.co/x/y/resolve/main';
    expectBad(u, 'ending in "/"');
    const o = clone();
    o.components.denoiser.free_dimension_overrides = { batch: 0 };
    expectBad(o, '"components.denoiser.free_dimension_overrides.batch" must be an integer ≥ 1');
    const r = clone();
    r.components.denoiser.inputs[1].name = 't';
    expectBad(r, 'must list a tensor named "timestep" (or with "role": "timestep")');
    r.components.denoiser.inputs[1].role = 'timestep';
    expect(parseManifest(r).components.denoiser.inputs[1]).toMatchObject({ name: 't', role: 'timestep' });
  });
});
