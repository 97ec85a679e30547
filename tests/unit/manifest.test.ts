import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KinetoError } from '../../src/engine/errors';
import { parseManifest } from '../../src/engine/manifest';

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
    expect(m.components.denoiser.inputs.map((i) => i.name)).toEqual(['sample', 'timestep', 'encoder_hidden_states']);
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
