/** Weight variants: parsed and validated per component, picked per device, and only the picked files planned. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/engine/manifest';
import { assessModel } from '../../../src/engine/requirements';
import { describePicks, pickVariants } from '../../../src/engine/variants';
import { plannedFiles } from '../../../src/weights/cached-source';
import { manifestRefusal } from '../../fixtures/manifest-refusal';

const shapes = JSON.parse(readFileSync('public/models/kineto-shapes/manifest.json', 'utf8'));
const sha = (c: string) => c.repeat(64);

/** The shipped model with its denoiser offered as fp16, fp32 and int8 files (tensor specs shared). */
function withVariants(variants: Record<string, unknown> = {
  fp16: { file: 'denoiser_fp16.onnx', bytes: 4_000_000, sha256: sha('a') },
  fp32: { file: 'denoiser.onnx', bytes: 8_000_000, sha256: sha('b') },
  int8: { file: 'denoiser_int8.onnx', bytes: 2_000_000 },
}) {
  const m = structuredClone(shapes);
  delete m.presets; // only the component's variants here (a preset's denoiser is picked the same way: tests/unit/engine/presets.test.ts)
  const { file: _file, bytes: _bytes, sha256: _sha, ...shared } = m.components.denoiser;
  m.components.denoiser = { ...shared, variants };
  return m;
}


describe('manifest variants', () => {
  it('picks the shipped Fast denoisers\' int8 variants on the CPU and their fp32 ones on WebGPU; the rest is one set', () => {
    const m = parseManifest(shapes);
    expect(m.variants).toBeUndefined();
    const cpu = pickVariants(m, { backend: 'wasm', shaderF16: false });
    const fast = cpu.manifest.presets!.fast!;
    expect([fast.denoiser!.file, fast.knownFramesDenoiser!.file]).toEqual(['denoiser-fast.int8.onnx', 'denoiser-fast-cond.int8.onnx']);
    expect([fast.denoiserVariants, fast.knownFramesDenoiserVariants]).toEqual([undefined, undefined]);
    const reason = 'quantized weights suit the CPU (WASM)';
    expect(cpu.picks).toEqual([
      { component: 'denoiser', preset: 'fast', variant: 'int8', reason, fits: true },
      { component: 'denoiser', preset: 'fast', knownFrames: true, variant: 'int8', reason, fits: true },
    ]);
    expect(describePicks(cpu.picks)).toBe(`Fast denoiser and Fast denoiser for known frames: int8 (${reason})`);
    // Picks that differ keep a clause each.
    expect(describePicks([{ component: 'text_encoder', variant: 'fp16', reason: 'WebGPU offers shader-f16', fits: true }, cpu.picks[1]!]))
      .toBe(`text encoder: fp16 (WebGPU offers shader-f16); Fast denoiser for known frames: int8 (${reason})`);
    for (const shaderF16 of [true, false]) {
      const gpu = pickVariants(m, { backend: 'webgpu', shaderF16 });
      const onGpu = gpu.manifest.presets!.fast!;
      expect([onGpu.denoiser!.file, onGpu.knownFramesDenoiser!.file]).toEqual(['denoiser-fast.onnx', 'denoiser-fast-cond.onnx']);
      expect(gpu.picks.map((p) => [p.preset, p.knownFrames ?? false, p.variant])).toEqual([['fast', false, 'fp32'], ['fast', true, 'fp32']]);
    }
    // The Quality preset and the shared components are untouched.
    expect(cpu.manifest.components).toEqual(m.components);
    expect(cpu.manifest.presets!.quality).toEqual(m.presets!.quality);
  });

  it('parses each variant over the component’s shared fields; fp32 is used until one is picked', () => {
    const m = parseManifest(withVariants());
    const v = m.variants!.denoiser!;
    expect(Object.keys(v)).toEqual(['fp16', 'fp32', 'int8']);
    expect(v.fp16).toMatchObject({ file: 'denoiser_fp16.onnx', bytes: 4_000_000, sha256: sha('a') });
    expect(v.int8!.inputs).toEqual(v.fp32!.inputs); // shared from the component
    expect(m.components.denoiser.file).toBe('denoiser.onnx');
    expect(m.variants!.text_encoder).toBeUndefined();
  });

  it('a variant may override the tensor specs (an fp16 export with float16 inputs)', () => {
    const plain = withVariants({
      fp16: { file: 'd16.onnx', bytes: 1, inputs: [{ name: 'sample', dtype: 'float16', shape: [1, 4, 16, 8, 8] }, { name: 'timestep', dtype: 'int64', shape: [1] }, { name: 'encoder_hidden_states', dtype: 'float16', shape: [1, 16, 64] }] },
    });
    delete plain.conditioning; // this variant takes no known frames
    const m = parseManifest(plain);
    expect(m.variants!.denoiser!.fp16!.inputs[0]!.dtype).toBe('float16');
  });

  it('names what is wrong in a variant', () => {
    expect(manifestRefusal(withVariants({ fp8: { file: 'x.onnx', bytes: 1 } }))).toContain('"components.denoiser.variants.fp8" must be named one of "fp16", "fp32", "int8"');
    expect(manifestRefusal(withVariants({ fp16: { bytes: 1 } }))).toContain('"components.denoiser.variants.fp16.file" must be a non-empty string');
    expect(manifestRefusal(withVariants({ fp16: { file: '../x.onnx', bytes: 1 } }))).toContain('"components.denoiser.variants.fp16.file" must be a path inside the model folder');
    expect(manifestRefusal(withVariants({ fp16: 'd16.onnx' }))).toContain('"components.denoiser.variants.fp16" must be an object');
    expect(manifestRefusal(withVariants({}))).toContain('"components.denoiser.variants" must be an object with at least one of');
    const noTimestep = withVariants({ fp16: { file: 'd.onnx', bytes: 1, inputs: [{ name: 'sample', dtype: 'float16', shape: [1] }, { name: 'encoder_hidden_states', dtype: 'float16', shape: [1] }] } });
    expect(manifestRefusal(noTimestep)).toContain('"components.denoiser.variants.fp16.inputs" must list a tensor named "timestep"');
  });
});

describe('pickVariants', () => {
  const m = parseManifest(withVariants());

  it('fp16 where WebGPU offers shader-f16, fp32 without it, int8 on the CPU (WASM)', () => {
    const f16 = pickVariants(m, { backend: 'webgpu', shaderF16: true });
    expect(f16.picks).toEqual([{ component: 'denoiser', variant: 'fp16', reason: 'WebGPU offers shader-f16', fits: true }]);
    expect(f16.manifest.components.denoiser.file).toBe('denoiser_fp16.onnx');
    expect(f16.manifest.variants).toBeUndefined();
    expect(f16.manifest.components.text_encoder).toBe(m.components.text_encoder);

    const f32 = pickVariants(m, { backend: 'webgpu', shaderF16: false });
    expect(f32.picks[0]).toMatchObject({ variant: 'fp32', reason: 'this WebGPU adapter has no shader-f16', fits: true });
    const cpu = pickVariants(m, { backend: 'wasm', shaderF16: false });
    expect(cpu.picks[0]).toMatchObject({ variant: 'int8', reason: 'quantized weights suit the CPU (WASM)' });
    expect(describePicks(cpu.picks)).toBe('int8 weights (quantized weights suit the CPU (WASM))');
  });

  it('falls back to fp32 where int8 or fp16 is not offered', () => {
    const m2 = parseManifest(withVariants({ fp32: { file: 'd32.onnx', bytes: 8 } }));
    expect(pickVariants(m2, { backend: 'wasm', shaderF16: false }).picks[0]).toMatchObject({ variant: 'fp32', reason: 'the CPU (WASM) runs fp32; no int8 weights are offered' });
    expect(pickVariants(m2, { backend: 'webgpu', shaderF16: true }).picks[0]).toMatchObject({ variant: 'fp32', reason: 'no fp16 weights are offered' });
  });

  it('fp16-only weights are used anyway when nothing suits (Try anyway), marked as not fitting', () => {
    const m3 = parseManifest(withVariants({ fp16: { file: 'd16.onnx', bytes: 4 } }));
    expect(m3.components.denoiser.file).toBe('d16.onnx');
    expect(pickVariants(m3, { backend: 'wasm', shaderF16: false }).picks[0]).toMatchObject({ variant: 'fp16', fits: false });
  });

  it('the gate counts the picked files and treats fp16-only weights as needing shader-f16', () => {
    const gpu = { webgpu: true, shaderF16: true, memoryGb: 8 };
    expect(assessModel(m, gpu)).toMatchObject({ runs: true, backend: 'webgpu' });
    const { text_encoder, vae_decoder, vae_encoder } = shapes.components;
    const sizes = (d: object) => assessModel(m, { ...gpu, ...d }).downloadBytes - (text_encoder.bytes + vae_decoder.bytes + vae_encoder.bytes);
    expect(sizes({})).toBe(4_000_000);
    expect(sizes({ shaderF16: false })).toBe(8_000_000);
    expect(sizes({ webgpu: false, shaderF16: false })).toBe(2_000_000);
    expect(assessModel(m, gpu).sentence).toContain('It can run here on WebGPU with fp16 weights (WebGPU offers shader-f16).');

    const fp16Only = parseManifest(withVariants({ fp16: { file: 'd16.onnx', bytes: 4 } }));
    const v = assessModel(fp16Only, { ...gpu, shaderF16: false });
    expect(v.runs).toBe(false);
    expect(v.label).toBe('needs shader-f16');
    expect(v.sentence).toMatch(/^This model needs WebGPU with shader-f16 and about/);
  });

  it('only the picked files are planned for download', () => {
    const picked = pickVariants(m, { backend: 'webgpu', shaderF16: false }).manifest;
    const paths = plannedFiles(picked, 'https://example.org/m/manifest.json').map((f) => f.path);
    expect(paths).toEqual(['tokenizer.json', 'text_encoder.onnx', 'denoiser.onnx', 'vae_decoder.onnx', 'vae_encoder.onnx']);
    const f16 = pickVariants(m, { backend: 'webgpu', shaderF16: true }).manifest;
    expect(plannedFiles(f16, 'https://example.org/m/manifest.json').map((f) => f.path)).toContain('denoiser_fp16.onnx');
  });
});
