/**
 * Small pure image helpers for the Lab: one frame of a [1, C, F, H, W] tensor, latent channels in false colour, a
 * magnified difference, grids, and decodes scaled down to what the page shows. Images are RGBA at native size; the
 * page scales them up with pixelated rendering.
 */
import { resizeRgba } from '../video/resize';

/** An RGBA image. */
export type LabImage = { width: number; height: number; rgba: Uint8ClampedArray<ArrayBuffer> };

/** Longest side of an image sent to the page; larger decodes are scaled down. */
const MAX_VIEW_SIDE = 160;

/** `img` scaled down to at most MAX_VIEW_SIDE a side (smaller ones as they are). */
export function fitImage(img: LabImage): LabImage {
  const side = Math.max(img.width, img.height);
  if (side <= MAX_VIEW_SIDE) return img;
  const w = Math.max(1, Math.round((img.width * MAX_VIEW_SIDE) / side));
  const h = Math.max(1, Math.round((img.height * MAX_VIEW_SIDE) / side));
  return { width: w, height: h, rgba: resizeRgba(img.rgba, img.width, img.height, w, h) };
}

/** Frame `f` of a [1, C, F, H, W] tensor as [1, C, 1, H, W]. */
export function frameOf(data: Float32Array, shape: readonly number[], f: number): { data: Float32Array; shape: number[] } {
  const [, c, frames, h, w] = shape as [number, number, number, number, number];
  if (!Number.isInteger(f) || f < 0 || f >= frames) throw new RangeError(`Frame ${f} is outside 0…${frames - 1}.`);
  const plane = h * w;
  const out = new Float32Array(c * plane);
  for (let ci = 0; ci < c; ci++) out.set(data.subarray((ci * frames + f) * plane, (ci * frames + f + 1) * plane), ci * plane);
  return { data: out, shape: [1, c, 1, h, w] };
}

/**
 * Diverging false colour: negative blue, zero white, positive red, |v| ≥ `limit` saturated. White at zero keeps
 * "no signal" visibly distinct from "strong signal" of either sign.
 */
function diverging(v: number, limit: number, out: Uint8ClampedArray, at: number): void {
  const r = Math.max(-1, Math.min(1, v / limit));
  const k = 255 * (1 - Math.abs(r));
  out[at] = r > 0 ? 255 : k;
  out[at + 1] = k;
  out[at + 2] = r < 0 ? 255 : k;
  out[at + 3] = 255;
}

/**
 * The C channels of one frame ([1, C, 1, H, W]) side by side with a 1-pixel gap, in false colour scaled to the
 * frame's largest |value| (so a nearly clean latent and pure noise both fill the range).
 */
export function channelTiles(frame: Float32Array, c: number, h: number, w: number): LabImage {
  let limit = 1e-6;
  for (const v of frame) limit = Math.max(limit, Math.abs(v));
  const width = c * w + (c - 1);
  const rgba = new Uint8ClampedArray(width * h * 4).fill(255);
  for (let ci = 0; ci < c; ci++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) diverging(frame[(ci * h + y) * w + x]!, limit, rgba, (y * width + ci * (w + 1) + x) * 4);
  return { width, height: h, rgba };
}

/**
 * |a − b| per pixel (root of the sum of squares over channels), times `gain`, as a dark-to-yellow heat map:
 * where the prompt changes the prediction. `a`, `b` are [1, C, 1, H, W].
 */
export function differenceHeat(a: Float32Array, b: Float32Array, c: number, h: number, w: number, gain: number): LabImage {
  const plane = h * w;
  const rgba = new Uint8ClampedArray(plane * 4);
  for (let p = 0; p < plane; p++) {
    let s = 0;
    for (let ci = 0; ci < c; ci++) s += (a[ci * plane + p]! - b[ci * plane + p]!) ** 2;
    const v = Math.min(1, Math.sqrt(s) * gain);
    rgba[p * 4] = 255 * Math.min(1, 2 * v);
    rgba[p * 4 + 1] = 255 * Math.max(0, 2 * v - 1);
    rgba[p * 4 + 2] = 40 * (1 - v);
    rgba[p * 4 + 3] = 255;
  }
  return { width: w, height: h, rgba };
}

/** Equal-size images in a grid of `cols` columns (row-major), black where the last row is short. */
export function grid(images: readonly Uint8ClampedArray[], width: number, height: number, cols: number): LabImage {
  const rows = Math.ceil(images.length / cols);
  const W = cols * width;
  const rgba = new Uint8ClampedArray(W * rows * height * 4);
  for (let a = 3; a < rgba.length; a += 4) rgba[a] = 255;
  images.forEach((img, i) => {
    const ox = (i % cols) * width;
    const oy = Math.floor(i / cols) * height;
    for (let y = 0; y < height; y++) rgba.set(img.subarray(y * width * 4, (y + 1) * width * 4), ((oy + y) * W + ox) * 4);
  });
  return { width: W, height: rows * height, rgba };
}
