/** Frame post-processing: decoder output and latents → RGBA frames. Pure, runs in the worker and in Node. */
import type { Frames, Tensor } from './types';

/** [N, 3, H, W] in [-1, 1] → N RGBA frames. */
export function rgbTensorToFrames(t: Tensor): Frames {
  const [n, c, h, w] = t.shape as [number, number, number, number];
  if (c !== 3) throw new Error(`Expected 3 colour channels, got ${c}`);
  const plane = h * w;
  const rgba: Uint8ClampedArray[] = [];
  for (let f = 0; f < n; f++) {
    const out = new Uint8ClampedArray(plane * 4);
    const base = f * 3 * plane;
    for (let p = 0; p < plane; p++) {
      // Uint8ClampedArray rounds half to even and clamps: exactly the quantisation we want.
      out[p * 4] = (t.data[base + p]! + 1) * 127.5;
      out[p * 4 + 1] = (t.data[base + plane + p]! + 1) * 127.5;
      out[p * 4 + 2] = (t.data[base + 2 * plane + p]! + 1) * 127.5;
      out[p * 4 + 3] = 255;
    }
    rgba.push(out);
  }
  return { width: w, height: h, count: n, rgba };
}

/** N RGBA frames → [N, 3, H, W] in [-1, 1] (the inverse of `rgbTensorToFrames`; alpha is dropped). */
export function framesToRgbTensor(frames: Frames): Tensor {
  const { width: w, height: h, count: n } = frames;
  const plane = h * w;
  const out = new Float32Array(n * 3 * plane);
  frames.rgba.forEach((rgba, f) => {
    for (let p = 0; p < plane; p++)
      for (let k = 0; k < 3; k++) out[(f * 3 + k) * plane + p] = rgba[p * 4 + k]! / 127.5 - 1;
  });
  return { data: out, shape: [n, 3, h, w] };
}

/** Latents [1, C, F, H, W] → per-frame latents [F, C, H, W] (what a per-frame image VAE decodes). */
export function framesFirst(latents: Tensor, scale = 1): Tensor {
  const [, c, f, h, w] = latents.shape as [number, number, number, number, number];
  const plane = h * w;
  const out = new Float32Array(c * f * plane);
  for (let ci = 0; ci < c; ci++)
    for (let fi = 0; fi < f; fi++) {
      const src = (ci * f + fi) * plane;
      const dst = (fi * c + ci) * plane;
      for (let p = 0; p < plane; p++) out[dst + p] = latents.data[src + p]! * scale;
    }
  return { data: out, shape: [f, c, h, w] };
}

/** Per-frame latents [F, C, H, W] → [1, C, F, H, W] (the inverse of `framesFirst` with scale 1). */
export function framesLast(perFrame: Tensor): Tensor {
  const [f, c, h, w] = perFrame.shape as [number, number, number, number];
  const plane = h * w;
  const out = new Float32Array(c * f * plane);
  for (let fi = 0; fi < f; fi++)
    for (let ci = 0; ci < c; ci++) out.set(perFrame.data.subarray((fi * c + ci) * plane, (fi * c + ci + 1) * plane), (ci * f + fi) * plane);
  return { data: out, shape: [1, c, f, h, w] };
}

/**
 * Cheap preview without the decoder: each latent pixel → RGB by a linear map fitted at export time
 * (manifest `preview.latent_rgb`). Gives [F, 3, H, W] in [-1, 1] at latent resolution.
 */
export function latentToRgb(perFrame: Tensor, weights: number[][], bias: number[]): Tensor {
  const [f, c, h, w] = perFrame.shape as [number, number, number, number];
  const plane = h * w;
  const out = new Float32Array(f * 3 * plane);
  for (let fi = 0; fi < f; fi++)
    for (let k = 0; k < 3; k++)
      for (let p = 0; p < plane; p++) {
        let v = bias[k]!;
        for (let ci = 0; ci < c; ci++) v += perFrame.data[(fi * c + ci) * plane + p]! * weights[ci]![k]!;
        out[(fi * 3 + k) * plane + p] = v;
      }
  return { data: out, shape: [f, 3, h, w] };
}
