/**
 * The Pipeline view's stages for a loaded model and the Lab's settings: prompt → tokens → text encoder → denoising
 * loop → VAE decoder → video encoder, each with the tensor shape it produces (from the manifest, so it is right for
 * whichever model is loaded). A model without a VAE denoises pixels: its decoder stage says so.
 */
import { modelFrameSize } from '../engine/frame-size';
import type { ModelManifest } from '../engine/types';

export const LAB_STAGES = ['prompt', 'tokens', 'text-encoder', 'denoise', 'vae-decoder', 'video-encoder'] as const;
export type LabStageName = (typeof LAB_STAGES)[number];
export type LabStage = { name: LabStageName; label: string; shape: string; note: string };

const dims = (d: readonly (number | string)[]) => `[${d.join(', ')}]`;

export function pipelineStages(m: ModelManifest, p: { steps: number; frames: number; guidanceScale: number; fps: number; outputSize: number }): LabStage[] {
  const branches = p.guidanceScale > 1 ? 2 : 1;
  const L = m.tokenizer.maxLength;
  const hidden = m.components.text_encoder.outputs[0]?.shape.at(-1) ?? '?';
  const { channels: c, height: h, width: w } = m.latent;
  const vae = m.components.vae_decoder;
  const drawn = modelFrameSize(m);
  return [
    { name: 'prompt', label: 'Prompt', shape: 'text', note: branches === 2 ? 'and the negative prompt' : 'guidance off: no negative prompt' },
    { name: 'tokens', label: 'Tokens', shape: dims([branches, L]), note: `${L} token ids per prompt, padded` },
    { name: 'text-encoder', label: 'Text encoder', shape: dims([branches, L, hidden]), note: 'one vector per token' },
    { name: 'denoise', label: `Denoising loop (${p.steps} steps)`, shape: dims([branches, c, p.frames, h, w]), note: vae ? 'latents' : 'pixels' },
    vae
      ? { name: 'vae-decoder', label: 'VAE decoder', shape: dims([p.frames, 3, drawn.height, drawn.width]), note: `each frame ${h}×${w} → ${drawn.height}×${drawn.width}` }
      : { name: 'vae-decoder', label: 'VAE decoder', shape: dims([p.frames, 3, h, w]), note: 'none: this model denoises pixels' },
    { name: 'video-encoder', label: 'Video encoder', shape: `${p.frames} frames, ${p.outputSize}×${p.outputSize}`, note: `${p.fps} frames per second` },
  ];
}
