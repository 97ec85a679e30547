import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/engine/manifest';
import { defaultParams } from '../../../src/engine/params';
import { defaultPreset, forKnownFrames, offeredPresets, presetSettings, resolvePreset, withPresetDenoiser } from '../../../src/engine/presets';
import { pickVariants } from '../../../src/engine/variants';
import { manifestRefusal } from '../../fixtures/manifest-refusal';

const shipped = JSON.parse(readFileSync('public/models/kineto-shapes/manifest.json', 'utf8'));
const FAST_SHA = 'a'.repeat(64);

/** The shipped manifest with both presets: Fast runs its own denoiser file with LCM, Quality the base one. */
function withPresets(): Record<string, any> {
  const m = structuredClone(shipped);
  delete m.presets;
  m.presets = {
    fast: { denoiser: { file: 'denoiser-fast.onnx', bytes: 123, sha256: FAST_SHA }, scheduler: 'lcm', steps: 4, guidance_scale: 1 },
    quality: { scheduler: 'ddim', steps: 30, guidance_scale: 3 },
  };
  return m;
}


describe('manifest presets', () => {
  it('parses both presets; the fast denoiser takes the base tensors but never its file, size or hash', () => {
    const m = parseManifest(withPresets());
    const fast = m.presets!.fast!;
    expect(fast).toMatchObject({ scheduler: 'lcm', steps: 4, guidanceScale: 1 });
    expect(fast.denoiser).toMatchObject({ file: 'denoiser-fast.onnx', bytes: 123, sha256: FAST_SHA });
    expect(fast.denoiser!.inputs).toEqual(m.components.denoiser.inputs);
    expect(m.presets!.quality).toEqual({ scheduler: 'ddim', steps: 30, guidanceScale: 3 });

    const noHash = withPresets();
    delete noHash.presets.fast.denoiser.sha256;
    expect(parseManifest(noHash).presets!.fast!.denoiser!.sha256).toBeUndefined();
  });

  it('names the bad field', () => {
    const cases: [(m: Record<string, any>) => void, string][] = [
      [(m) => { m.presets = {}; }, '"presets" must be an object with at least one of "fast", "quality"'],
      [(m) => { m.presets.turbo = m.presets.fast; }, '"presets.turbo" must be named one of "fast", "quality"'],
      [(m) => { m.presets.fast.steps = 0; }, '"presets.fast.steps" must be an integer ≥ 1'],
      [(m) => { m.presets.fast.guidance_scale = 0.5; }, '"presets.fast.guidance_scale" must be a number ≥ 1'],
      [(m) => { m.presets.quality.scheduler = 'plms'; }, '"presets.quality.scheduler" must be one of'],
      [(m) => { delete m.presets.fast.denoiser.bytes; }, '"presets.fast.denoiser.bytes"'],
      [(m) => { m.presets.fast.denoiser.file = '../x.onnx'; }, '"presets.fast.denoiser.file" must be a path inside the model folder'],
      [(m) => { m.presets.fast.denoiser.inputs = [{ name: 'sample', dtype: 'float32', shape: [1] }]; }, '"presets.fast.denoiser.inputs" must list a tensor named "timestep"'],
      [(m) => { m.presets.fast.denoiser.variants = { int4: { file: 'x.onnx', bytes: 1 } }; }, '"presets.fast.denoiser.variants.int4" must be named one of'],
    ];
    for (const [edit, message] of cases) {
      const m = withPresets();
      edit(m);
      expect(manifestRefusal(m)).toContain(message);
    }
  });

  it('picks a preset denoiser variant for the device, like a component variant', () => {
    const raw = withPresets();
    raw.presets.fast.denoiser = { variants: { fp32: { file: 'fast.onnx', bytes: 10 }, int8: { file: 'fast-int8.onnx', bytes: 3 } } };
    const m = parseManifest(raw);
    expect(pickVariants(m, { backend: 'wasm', shaderF16: false }).manifest.presets!.fast!.denoiser!.file).toBe('fast-int8.onnx');
    const gpu = pickVariants(m, { backend: 'webgpu', shaderF16: true }).manifest.presets!.fast!;
    expect(gpu.denoiser!.file).toBe('fast.onnx');
    expect(gpu.denoiserVariants).toBeUndefined();
  });
});

describe('resolvePreset', () => {
  const both = parseManifest(withPresets());
  const qualityOnly = parseManifest({ ...withPresets(), presets: { quality: withPresets().presets.quality } });
  const none = parseManifest(shipped.presets ? { ...shipped, presets: undefined } : shipped);

  it('offers Fast first and makes it the default when offered', () => {
    expect(offeredPresets(both)).toEqual(['fast', 'quality']);
    expect(defaultPreset(both)).toBe('fast');
    expect(resolvePreset(both)).toEqual({ preset: 'fast', notice: null });
    expect(resolvePreset(both, 'quality')).toEqual({ preset: 'quality', notice: null });
  });

  it('falls back to the other preset with a notice', () => {
    expect(defaultPreset(qualityOnly)).toBe('quality');
    expect(resolvePreset(qualityOnly, 'fast')).toEqual({ preset: 'quality', notice: 'Kineto-Shapes has no Fast preset; using Quality instead.' });
  });

  it('uses the defaults of a model without presets, saying so only when a preset was asked for', () => {
    expect(resolvePreset(none)).toEqual({ preset: null, notice: null });
    expect(resolvePreset(none, 'fast').notice).toBe('Kineto-Shapes has no Fast preset; its default settings are used.');
    expect(presetSettings(none, null)).toEqual({ scheduler: none.defaults.scheduler, steps: none.defaults.steps, guidanceScale: none.defaults.guidanceScale });
  });

  it('fills default params from the default preset and swaps in its denoiser', () => {
    expect(defaultParams(both, 'a red circle', 3)).toMatchObject({ preset: 'fast', scheduler: 'lcm', steps: 4, guidanceScale: 1, frames: 16 });
    expect(defaultParams(both, '', 0, 'quality')).toMatchObject({ preset: 'quality', scheduler: 'ddim', steps: 30, guidanceScale: 3 });
    expect(defaultParams(none).preset).toBeUndefined();
    expect(withPresetDenoiser(both, 'fast').components.denoiser.file).toBe('denoiser-fast.onnx');
    expect(withPresetDenoiser(both, 'quality')).toBe(both);
    expect(withPresetDenoiser(both, null)).toBe(both);
  });

  it('carries a preset\'s denoiser for known frames, which a window with known frames runs as its denoiser', () => {
    const known = { ...both.components.denoiser, file: 'denoiser-fast-cond.onnx' };
    const m = { ...both, presets: { ...both.presets, fast: { ...both.presets!.fast!, knownFramesDenoiser: known } } };
    const fast = withPresetDenoiser(m, 'fast');
    expect(fast.components.denoiser.file).toBe('denoiser-fast.onnx');
    expect(forKnownFrames(fast).components.denoiser.file).toBe('denoiser-fast-cond.onnx');
    expect(forKnownFrames(fast).knownFramesDenoiser).toBeUndefined();
    // Switching preset drops it: Quality's windows with known frames run Quality's own denoiser.
    const quality = withPresetDenoiser(fast, 'quality');
    expect(quality.knownFramesDenoiser).toBeUndefined();
    expect(forKnownFrames(quality)).toBe(quality);
  });
});
