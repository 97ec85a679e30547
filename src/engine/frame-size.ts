/**
 * A model's two frame sizes. The VAE encoder reads frames of the latent size × `vae_scale_factor`; the decoder may
 * draw them larger by a whole factor, declared by its output shape (Kineto-Shapes draws 128 px from the latents of
 * 64-px frames: the latents hold more than 64 px show, issue 17 §5). The model makes and takes frames at the
 * decoder's size; frames on their way to the encoder are box-averaged down to its size (`shrinkFrames`).
 */
import { KinetoError } from './errors';
import type { ComponentSpec, LatentSpec, ModelManifest } from './types';

export type FrameSize = { width: number; height: number };

/** The frames the VAE encoder reads (and, without a decoder, the latents themselves). */
export function encoderFrameSize(manifest: ModelManifest): FrameSize {
  const { width, height, vaeScaleFactor } = manifest.latent;
  return manifest.components.vae_decoder ? { width: width * vaeScaleFactor, height: height * vaeScaleFactor } : { width, height };
}

/**
 * How many times larger than the encoder's frames the decoder draws, from its first output's shape [N, 3, H, W]:
 * 1 unless H and W are numbers. A manifest whose numbers are not one whole multiple of the encoder's size on both
 * sides is refused, so the engine never has to guess how frames map to latents.
 */
export function decoderScale(spec: ComponentSpec, latent: LatentSpec): number {
  const [, , h, w] = spec.outputs[0]?.shape ?? [];
  if (typeof h !== 'number' || typeof w !== 'number') return 1;
  const baseH = latent.height * latent.vaeScaleFactor;
  const baseW = latent.width * latent.vaeScaleFactor;
  const k = h / baseH;
  if (!Number.isInteger(k) || k < 1 || w !== k * baseW)
    throw new KinetoError('bad-manifest', `Invalid model manifest: "components.vae_decoder.outputs[0].shape" must draw one whole multiple of ${baseW}×${baseH}, the frames its latents come from (latent size × vae_scale_factor), on both sides; it draws ${w}×${h}. Declare the decoder's real output shape, or names such as "height" for a size it picks.`);
  return k;
}

/** The frames the model makes, and takes as images or clips to continue: the decoder's size. */
export function modelFrameSize(manifest: ModelManifest): FrameSize {
  const base = encoderFrameSize(manifest);
  const vae = manifest.components.vae_decoder;
  const k = vae ? decoderScale(vae, manifest.latent) : 1;
  return { width: base.width * k, height: base.height * k };
}
