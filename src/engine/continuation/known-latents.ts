/**
 * Known frames as latents: images through the VAE encoder, and the latent frames a window hands to the next. A
 * window's latents are [1, C, F, H, W]; between windows frames travel one by one as [C, H, W] arrays, so that only
 * the frames the next window knows are kept.
 */
import { KinetoError } from '../errors';
import { encoderFrameSize, modelFrameSize } from '../frame-size';
import { framesToRgbTensor, shrinkFrames } from '../frames';
import { manifestBatch, type PipelineModels } from '../pipelines/shared';
import type { Frames, ModelManifest, Tensor } from '../types';

/** One latent frame [C, H, W]. */
export type LatentFrame = Float32Array;

/**
 * RGBA frames at the model's size → one latent frame each (the encoder's output × `scaling_factor`, the space the
 * denoiser samples in), box-averaged down first where the decoder draws larger than the encoder reads. A model
 * without a VAE encoder cannot take images: the message says what it can do instead.
 */
export async function encodeFrames(manifest: ModelManifest, models: PipelineModels, given: Frames): Promise<LatentFrame[]> {
  const size = modelFrameSize(manifest);
  if (given.width !== size.width || given.height !== size.height)
    throw new KinetoError('bad-parameter', `${manifest.name} takes frames of ${size.width}×${size.height}; these are ${given.width}×${given.height}.`);
  const frames = shrinkFrames(given, size.width / encoderFrameSize(manifest).width);
  const spec = manifest.components.vae_encoder;
  const encoder = models.vaeEncoder;
  if (spec && !encoder) throw new KinetoError('internal', 'The VAE encoder was not opened: pass LoadedModel.vaeEncoder() in the models.');
  if (!spec) {
    if (manifest.components.vae_decoder)
      throw new KinetoError('bad-parameter', `${manifest.name} ships no VAE encoder, so it cannot start from an image or continue frames it did not make in this run; it can still make a long clip from text (its windows hand latents on), or choose a model with "components.vae_encoder".`);
  }
  const rgb = framesToRgbTensor(frames);
  const scale = manifest.latent.scalingFactor;
  if (!spec || !encoder) return perFrame(rgb).map((f) => f.map((v) => v * scale)); // pixel models: latents are pixels
  const [n, , h, w] = rgb.shape as [number, number, number, number];
  const chunk = manifestBatch(spec, 'sample') ?? n;
  const out: LatentFrame[] = [];
  for (let i = 0; i < n; i += chunk) {
    const count = Math.min(chunk, n - i);
    const part = { data: rgb.data.slice(i * 3 * h * w, (i + count) * 3 * h * w), shape: [count, 3, h, w] };
    if (count < chunk) {
      // A fixed batch larger than what is left: pad with copies of the last frame, keep the first `count`.
      const padded = new Float32Array(chunk * 3 * h * w);
      padded.set(part.data);
      for (let j = count; j < chunk; j++) padded.set(part.data.subarray((count - 1) * 3 * h * w), j * 3 * h * w);
      part.data = padded;
      part.shape = [chunk, 3, h, w];
    }
    const z = perFrame(await encoder.encode(part));
    for (let j = 0; j < count; j++) out.push(z[j]!.map((v) => v * scale));
  }
  checkLatentSize(manifest, out[0]!.length);
  return out;
}

function checkLatentSize(manifest: ModelManifest, values: number): void {
  const { channels, height, width } = manifest.latent;
  if (values !== channels * height * width)
    throw new KinetoError('bad-manifest', `The VAE encoder made latents of ${values} values per frame; the manifest's latent is ${channels}×${height}×${width}.`);
}

/** [N, …] → N arrays, one per item of the first dimension. */
function perFrame(t: Tensor): Float32Array[] {
  const size = t.data.length / t.shape[0]!;
  return Array.from({ length: t.shape[0]! }, (_, i) => t.data.slice(i * size, (i + 1) * size));
}

/** A window's latents [1, C, F, H, W] → its frames, each [C, H, W]. */
export function splitFrames(latents: Tensor): LatentFrame[] {
  const [, c, f, h, w] = latents.shape as [number, number, number, number, number];
  const plane = h * w;
  return Array.from({ length: f }, (_, fi) => {
    const out = new Float32Array(c * plane);
    for (let ci = 0; ci < c; ci++) out.set(latents.data.subarray((ci * f + fi) * plane, (ci * f + fi + 1) * plane), ci * plane);
    return out;
  });
}

/** Latent frames placed at window positions (others zero) → [1, C, F, H, W]. */
export function windowLatents(placed: { position: number; latent: LatentFrame }[], frames: number, channels: number, height: number, width: number): Tensor {
  const plane = height * width;
  const out = new Float32Array(channels * frames * plane);
  for (const { position, latent } of placed)
    for (let ci = 0; ci < channels; ci++) out.set(latent.subarray(ci * plane, (ci + 1) * plane), (ci * frames + position) * plane);
  return { data: out, shape: [1, channels, frames, height, width] };
}
