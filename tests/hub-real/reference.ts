/**
 * The diffusers reference clips of tests/fixtures/hub-real (scripts/make-real-fixtures.py) and how Kineto's frames
 * are compared with them. Shared by the Node and Chromium tests: each case says which package, prompt, seed and
 * settings diffusers used, and `paramsFor`/`editManifest` turn that into Kineto's parameters and manifest.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { GenerateParams, SchedulerKind } from '../../src/engine/types';

export const HUB_REAL = path.resolve(import.meta.dirname, '../fixtures/hub-real');

export type ReferenceCase = {
  model: 'sd-turbo' | 'modelscope';
  prompt: string;
  seed: number;
  steps: number;
  guidance_scale: number;
  frames: number;
  scheduler: SchedulerKind;
  warp_after_steps?: number;
  renoise_to_step?: number;
  motion?: { dx: number; dy: number };
  fill?: string;
  /** [frames, height, width, 3] */
  shape: [number, number, number, number];
  offset: number;
};

export type Reference = ReferenceCase & { rgb: Uint8Array };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function loadReferences(): Record<string, Reference> {
  const index = JSON.parse(readFileSync(path.join(HUB_REAL, 'reference.json'), 'utf8')) as { cases: Record<string, ReferenceCase> };
  const bin = readFileSync(path.join(HUB_REAL, 'reference.bin'));
  const out: Record<string, Reference> = {};
  for (const [name, c] of Object.entries(index.cases)) {
    const size = c.shape.reduce((a, b) => a * b, 1);
    out[name] = { ...c, rgb: new Uint8Array(bin.subarray(c.offset, c.offset + size)) };
  }
  return out;
}

/** The manifest as the case ran in diffusers: its Text2Video-Zero settings, a symbolic UNet batch kept as exported. */
export function editManifest(m: Json, c: ReferenceCase): void {
  if (c.warp_after_steps !== undefined) {
    m.text2video_zero = { motion: c.motion, warp_after_steps: c.warp_after_steps, renoise_to_step: c.renoise_to_step, fill: c.fill,
      cross_frame_attention: true };
    m.defaults.steps = Math.max(m.defaults.steps, c.steps);
  }
}

/** Keeps only one weight variant of every component (e.g. fp16, which Kineto would otherwise pick only on WebGPU). */
export function forceVariant(m: Json, variant: 'fp16' | 'fp32'): void {
  for (const [name, c] of Object.entries(m.components as Record<string, Json>)) {
    if (!c.variants?.[variant]) continue;
    const { variants, ...shared } = c;
    m.components[name] = { ...shared, ...variants[variant] };
  }
}

/** The parameters diffusers ran the case with (the rest are the model's defaults). */
export function paramsFor(c: ReferenceCase): Partial<GenerateParams> {
  return { prompt: c.prompt, negativePrompt: '', seed: c.seed, steps: c.steps, guidanceScale: c.guidance_scale, frames: c.frames,
    scheduler: c.scheduler };
}

export type FrameDiff = { max: number; p99: number; mean: number; values: number };

/** |Kineto − diffusers| over every RGB value of every frame, in 1/255 steps. */
export function frameDiff(ref: Reference, rgba: ArrayLike<number>[]): FrameDiff {
  const [f, h, w] = ref.shape;
  if (rgba.length !== f) throw new Error(`Kineto made ${rgba.length} frames, diffusers ${f}.`);
  const counts = new Array<number>(256).fill(0);
  let sum = 0;
  for (let k = 0; k < f; k++) {
    const frame = rgba[k]!;
    if (frame.length !== h * w * 4) throw new Error(`Frame ${k} has ${frame.length / 4} pixels, expected ${h}×${w}.`);
    for (let p = 0; p < h * w; p++)
      for (let ch = 0; ch < 3; ch++) {
        const d = Math.abs(frame[p * 4 + ch]! - ref.rgb[((k * h + Math.floor(p / w)) * w + (p % w)) * 3 + ch]!);
        counts[d]!++;
        sum += d;
      }
  }
  const n = f * h * w * 3;
  let seen = 0;
  let p99 = 0;
  for (let d = 0; d < 256; d++) {
    seen += counts[d]!;
    if (seen >= 0.99 * n) {
      p99 = d;
      break;
    }
  }
  let max = 255;
  while (max > 0 && counts[max] === 0) max--;
  return { max, p99, mean: sum / n, values: n };
}

/** Spread of the reference frames themselves, so a comparison cannot pass on flat or clipped images. */
export function spread(ref: Reference): { distinct: number; clipped: number } {
  const seen = new Set<number>();
  let clipped = 0;
  for (const v of ref.rgb) {
    seen.add(v);
    if (v === 0 || v === 255) clipped++;
  }
  return { distinct: seen.size, clipped: clipped / ref.rgb.length };
}
