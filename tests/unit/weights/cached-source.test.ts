/** Which URLs a model's files are downloaded from, and the rule that keeps them on the manifest's site. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/engine/manifest';
import { weightBytes } from '../../../src/engine/requirements';
import { pickVariants } from '../../../src/engine/variants';
import { plannedFiles } from '../../../src/weights/cached-source';

const raw = JSON.parse(readFileSync('public/models/kineto-shapes/manifest.json', 'utf8'));
const MANIFEST_URL = 'https://huggingface.co/org/model/resolve/main/kineto/manifest.json';

describe('plannedFiles', () => {
  it('resolves files beside the manifest, tokenizer first, external data after its component, preset denoisers last', () => {
    const m = structuredClone(raw);
    m.components.denoiser.file = 'unet/model.onnx';
    m.components.denoiser.external_data = [{ path: 'model.onnx_data', bytes: 2_800_000_000 }];
    const files = plannedFiles(parseManifest(m), MANIFEST_URL);
    expect(files.map((f) => [f.path, f.target.url, f.target.expectedBytes])).toEqual([
      ['tokenizer.json', 'https://huggingface.co/org/model/resolve/main/kineto/tokenizer.json', null],
      ['text_encoder.onnx', 'https://huggingface.co/org/model/resolve/main/kineto/text_encoder.onnx', raw.components.text_encoder.bytes],
      ['unet/model.onnx', 'https://huggingface.co/org/model/resolve/main/kineto/unet/model.onnx', raw.components.denoiser.bytes],
      ['unet/model.onnx_data', 'https://huggingface.co/org/model/resolve/main/kineto/unet/model.onnx_data', 2_800_000_000],
      ['vae_decoder.onnx', 'https://huggingface.co/org/model/resolve/main/kineto/vae_decoder.onnx', raw.components.vae_decoder.bytes],
      // The encoder and the denoiser for known frames too: continuing a clip works offline once the model is stored.
      ['vae_encoder.onnx', 'https://huggingface.co/org/model/resolve/main/kineto/vae_encoder.onnx', raw.components.vae_encoder.bytes],
      ['denoiser-fast.onnx', 'https://huggingface.co/org/model/resolve/main/kineto/denoiser-fast.onnx', raw.presets.fast.denoiser.variants.fp32.bytes],
      ['denoiser-fast-cond.onnx', 'https://huggingface.co/org/model/resolve/main/kineto/denoiser-fast-cond.onnx', raw.presets.fast.known_frames_denoiser.variants.fp32.bytes],
    ]);
    expect(files[2]!.target.expectedSha256).toBe(raw.components.denoiser.sha256);
  });

  it('uses base_url and tokenizer.url when the manifest declares them; approximate sizes are hints only', () => {
    const m = structuredClone(raw);
    m.base_url = 'https://huggingface.co/other/repo/resolve/main/';
    m.tokenizer.url = 'https://huggingface.co/tok/resolve/main/tokenizer.json';
    m.components.denoiser.bytes_approximate = true;
    const files = plannedFiles(parseManifest(m), 'https://example.org/manifests/x.json');
    expect(files[0]!.target.url).toBe('https://huggingface.co/tok/resolve/main/tokenizer.json');
    expect(files[2]!.target.url).toBe('https://huggingface.co/other/repo/resolve/main/denoiser.onnx');
    expect(files[2]!.target.expectedBytes).toBeNull();
    expect(files[2]!.sizeHint).toBe(raw.components.denoiser.bytes);
  });

  it('plans the variants picked for the device: on the CPU, both Fast denoisers in int8', () => {
    const cpu = pickVariants(parseManifest(raw), { backend: 'wasm', shaderF16: false }).manifest;
    const paths = plannedFiles(cpu, MANIFEST_URL).map((f) => f.path);
    expect(paths).toContain('denoiser-fast.int8.onnx');
    expect(paths).toContain('denoiser-fast-cond.int8.onnx');
    expect(paths.filter((p) => p.startsWith('denoiser-fast'))).toHaveLength(2);
    // The download the page announces is these files (the tokenizer aside).
    const bytes = plannedFiles(cpu, MANIFEST_URL).reduce((a, f) => a + (f.sizeHint ?? 0), 0);
    expect(bytes).toBe(weightBytes(cpu));
  });

  it('refuses a component file that points to another site', () => {
    const m = parseManifest(raw);
    m.components.denoiser.file = 'https://elsewhere.example/denoiser.onnx';
    expect(() => plannedFiles(m, MANIFEST_URL)).toThrow(
      'https://elsewhere.example/denoiser.onnx points to https://elsewhere.example, not to https://huggingface.co where the model\'s files are',
    );
  });
});
