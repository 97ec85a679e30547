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

/**
 * Frames `factor` times smaller on each side, each pixel the mean of its factor × factor block: how a model's
 * frames reach an encoder that reads a smaller size (frame-size.ts), and how the judges, made for the world's 64 px,
 * see frames drawn larger.
 */
export function shrinkFrames(frames: Frames, factor: number): Frames {
  if (factor === 1) return frames;
  const { width: w, height: h } = frames;
  if (w % factor !== 0 || h % factor !== 0) throw new Error(`${w}×${h} frames cannot be shrunk by ${factor}`);
  const sw = w / factor;
  const sh = h / factor;
  const area = factor * factor;
  const rgba = frames.rgba.map((src) => {
    const sums = new Uint32Array(sw * sh * 4);
    for (let y = 0; y < h; y++) {
      const row = Math.floor(y / factor) * sw;
      for (let x = 0; x < w; x++) {
        const p = (y * w + x) * 4;
        const q = (row + Math.floor(x / factor)) * 4;
        for (let k = 0; k < 4; k++) sums[q + k]! += src[p + k]!;
      }
    }
    const out = new Uint8ClampedArray(sums.length);
    for (let i = 0; i < sums.length; i++) out[i] = sums[i]! / area;
    return out;
  });
  return { width: sw, height: sh, count: frames.count, rgba };
}

/** Frames `factor` times larger, each pixel repeated over a factor × factor block (`shrinkFrames` undoes it exactly). */
export function enlargeFrames(frames: Frames, factor: number): Frames {
  if (factor === 1) return frames;
  const { width: w, height: h } = frames;
  const lw = w * factor;
  const rgba = frames.rgba.map((src) => {
    const out = new Uint8ClampedArray(lw * h * factor * 4);
    for (let y = 0; y < h * factor; y++) {
      const row = Math.floor(y / factor) * w;
      for (let x = 0; x < lw; x++) {
        const p = (y * lw + x) * 4;
        const q = (row + Math.floor(x / factor)) * 4;
        for (let k = 0; k < 4; k++) out[p + k] = src[q + k]!;
      }
    }
    return out;
  });
  return { width: lw, height: h * factor, count: frames.count, rgba };
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
