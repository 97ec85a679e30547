/** The manifest fields for known frames: the VAE encoder, a denoiser's conditioning inputs, `conditioning`. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/engine/manifest';
import { takesKnownFrames } from '../../../src/engine/manifest-conditioning';
import { manifestRefusal } from '../../fixtures/manifest-refusal';

const shipped = JSON.parse(readFileSync('public/models/kineto-shapes/manifest.json', 'utf8'));

/** The shipped manifest as Kineto-Shapes 1 declared it: no denoiser takes known frames. */
function unconditioned() {
  const m = structuredClone(shipped);
  m.components.denoiser.inputs = m.components.denoiser.inputs.filter((t: { name: string }) => !t.name.startsWith('cond_'));
  delete m.presets.fast.known_frames_denoiser;
  delete m.conditioning;
  return m;
}

/** One conditioned denoiser, `components.denoiser`, whose tensors the Fast preset's denoiser inherits. */
function conditioned() {
  const m = structuredClone(shipped);
  delete m.presets.fast.known_frames_denoiser;
  delete m.presets.fast.denoiser.inputs;
  delete m.presets.fast.denoiser.outputs;
  return m;
}

describe('components.vae_encoder', () => {
  it('is read from the shipped manifest with its file, tensors and digest', () => {
    const enc = parseManifest(shipped).components.vae_encoder!;
    expect(enc).toMatchObject({ file: 'vae_encoder.onnx', inputs: [{ name: 'sample', shape: ['batch', 3, 64, 64] }], outputs: [{ name: 'latent_sample' }] });
    expect(enc.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is refused without the decoder it inverts', () => {
    const m = structuredClone(shipped);
    delete m.components.vae_decoder;
    expect(manifestRefusal(m)).toContain('"components.vae_encoder" must be absent when there is no "components.vae_decoder"');
  });

  it('names a frame input of the wrong size and a latent output of the wrong channels', () => {
    const m = structuredClone(shipped);
    m.components.vae_encoder.inputs[0].shape = ['batch', 3, 32, 32];
    expect(manifestRefusal(m)).toContain('"components.vae_encoder.inputs[0].shape[2]" must be 64 (latent.height × latent.vae_scale_factor) (got 32)');
    const m2 = structuredClone(shipped);
    m2.components.vae_encoder.outputs[0].shape = ['batch', 8, 16, 16];
    expect(manifestRefusal(m2)).toContain('"components.vae_encoder.outputs[0].shape[1]" must be 4 (latent.channels) (got 8)');
  });

  it('needs an input playing "sample", by name or role', () => {
    const m = structuredClone(shipped);
    m.components.vae_encoder.inputs[0].name = 'pixels';
    expect(manifestRefusal(m)).toContain('"components.vae_encoder.inputs" must be a list with a tensor named "sample"');
    m.components.vae_encoder.inputs[0].role = 'sample';
    expect(parseManifest(m).components.vae_encoder!.inputs[0]!.name).toBe('pixels');
  });
});

describe('conditioning inputs and the conditioning block', () => {
  it('the shipped manifest: Quality\'s denoiser and Fast\'s denoiser for known frames take them, Fast\'s own does not', () => {
    const m = parseManifest(shipped);
    expect(takesKnownFrames(m.components.denoiser)).toBe(true);
    expect(takesKnownFrames(m.presets!.fast!.denoiserVariants!.int8!)).toBe(false);
    expect(m.presets!.fast!.knownFramesDenoiser).toMatchObject({ file: 'denoiser-fast-cond.onnx' });
    expect(takesKnownFrames(m.presets!.fast!.knownFramesDenoiser!)).toBe(true);
    // Keyframes are left to the fallback (training/export_continue.py says why).
    expect(m.conditioning).toEqual({ masks: ['text_to_video', 'image_to_video', 'continue', 'double_frame_rate'], continueMaxKnown: 8 });
    expect(parseManifest(unconditioned()).conditioning).toBeUndefined();
  });

  it('a preset\'s denoiser for known frames must take them, in every variant it offers', () => {
    const m = structuredClone(shipped);
    m.presets.fast.known_frames_denoiser.inputs = m.presets.fast.known_frames_denoiser.inputs.slice(0, 3);
    expect(manifestRefusal(m)).toContain('"presets.fast.known_frames_denoiser.variants.fp32" must be a denoiser with "cond_latents" and "cond_mask" inputs');
    const one = structuredClone(shipped);
    const { variants, ...tensors } = one.presets.fast.known_frames_denoiser;
    one.presets.fast.known_frames_denoiser = { ...tensors, ...variants.fp32 };
    expect(takesKnownFrames(parseManifest(one).presets!.fast!.knownFramesDenoiser!)).toBe(true);
    one.presets.fast.known_frames_denoiser.inputs = tensors.inputs.slice(0, 3);
    expect(manifestRefusal(one)).toContain('"presets.fast.known_frames_denoiser" must be a denoiser with "cond_latents" and "cond_mask" inputs');
    const int8 = structuredClone(shipped);
    int8.presets.fast.known_frames_denoiser.variants.int8.inputs = tensors.inputs.slice(0, 3);
    expect(manifestRefusal(int8)).toContain('"presets.fast.known_frames_denoiser.variants.int8" must be a denoiser with "cond_latents" and "cond_mask" inputs');
  });

  it('a conditioned denoiser is read with its masks, and a preset denoiser inherits its inputs', () => {
    const m = parseManifest(conditioned());
    expect(takesKnownFrames(m.components.denoiser)).toBe(true);
    expect(takesKnownFrames(m.presets!.fast!.denoiser!)).toBe(true);
    expect(m.conditioning).toEqual({ masks: ['text_to_video', 'image_to_video', 'continue', 'double_frame_rate'], continueMaxKnown: 8 });
  });

  it('inputs named otherwise keep their job with "role"', () => {
    const m = conditioned();
    m.components.denoiser.inputs[3].name = 'known';
    m.components.denoiser.inputs[3].role = 'cond_latents';
    expect(takesKnownFrames(parseManifest(m).components.denoiser)).toBe(true);
  });

  it('names the missing half of the pair', () => {
    const m = conditioned();
    m.components.denoiser.inputs.pop();
    expect(manifestRefusal(m)).toContain('"components.denoiser.inputs" must be a list with a tensor named "cond_mask"');
  });

  it('names a conditioning input whose shape does not match the latent', () => {
    const m = conditioned();
    m.components.denoiser.inputs[4].shape = ['batch', 4, '4*frames4', 16, 16];
    expect(manifestRefusal(m)).toContain('"components.denoiser.inputs[4].shape[1]" must be 1 (one mask channel) (got 4)');
    const m2 = conditioned();
    m2.components.denoiser.inputs[3].shape = ['batch', 4, 16, 16];
    expect(manifestRefusal(m2)).toContain('"components.denoiser.inputs[3].shape" must be 5 dimensions');
  });

  it('a conditioned denoiser needs the conditioning block, and the block needs a conditioned denoiser', () => {
    const m = conditioned();
    delete m.conditioning;
    expect(manifestRefusal(m)).toContain('"conditioning" must be an object with "masks" ("components.denoiser" takes known frames)');
    const m2 = unconditioned();
    m2.conditioning = { masks: ['continue'], continue_max_known: 4 };
    expect(manifestRefusal(m2)).toContain('"conditioning" must be absent: no denoiser has "cond_latents" and "cond_mask" inputs');
  });

  it('names an unknown or repeated mask and a continue_max_known the window cannot hold', () => {
    const m = conditioned();
    m.conditioning.masks = ['continue', 'outpaint'];
    expect(manifestRefusal(m)).toContain('"conditioning.masks" must be a non-empty list of distinct mask names');
    m.conditioning.masks = ['continue', 'continue'];
    expect(manifestRefusal(m)).toContain('"conditioning.masks"');
    m.conditioning.masks = ['continue'];
    m.conditioning.continue_max_known = 16;
    expect(manifestRefusal(m)).toContain('"conditioning.continue_max_known" must be an integer ≥ 1 and ≤ 15 (got 16)');
    delete m.conditioning.continue_max_known;
    expect(manifestRefusal(m)).toContain('"conditioning.continue_max_known"');
    m.conditioning.masks = ['keyframes'];
    expect(parseManifest(m).conditioning).toEqual({ masks: ['keyframes'], continueMaxKnown: 0 });
  });

  it('refuses known-frame inputs on a text2video-zero model', () => {
    const m = conditioned();
    m.pipeline = 'text2video-zero';
    expect(manifestRefusal(m)).toContain('"pipeline" must be "text-to-video" for a denoiser with known-frame inputs');
  });
});
