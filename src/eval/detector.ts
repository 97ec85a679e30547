/**
 * Procedural detector for Kineto-Shapes clips: finds the object, its colour, its shape, the direction it moves,
 * its motion (motion.ts) and whether it stays one coherent object. It knows the world (palette, shapes) but nothing
 * about the model, and it scores 100 % on ground-truth clips (tests/unit/eval/detector.test.ts).
 */
import { shrinkFrames } from '../engine/frames';
import type { Frames } from '../engine/types';
import { classifyMotion, type Motion, netDirection } from './motion';
import { CORNERS } from './track-rates';
import world from './world.json';

export type WorldSpec = typeof world;
export const WORLD: WorldSpec = world;

/**
 * Frames as the detector sees them: box-averaged down to the world's size (64 px) when drawn at a whole multiple of
 * it (Kineto-Shapes' decoder draws 128), where its thresholds were set; any other frames as they are.
 */
export function atWorldSize(frames: Frames): Frames {
  const k = Math.floor(frames.width / WORLD.size);
  return k > 1 && frames.width % k === 0 && frames.height % k === 0 ? shrinkFrames(frames, k) : frames;
}

export type Direction = 'left' | 'right' | 'up' | 'down' | 'up-left' | 'up-right' | 'down-left' | 'down-right' | 'still';

export type ClipAnalysis = {
  colour: string | null;
  shape: string | null;
  direction: Direction | null;
  /** Which of the world's motions the clip shows (motion.ts; null when the object is missing in many frames). */
  motion: Motion | null;
  coherent: boolean;
  /** Why the clip is not coherent, when it is not. */
  incoherence: string | null;
  /** Median compactness area / (π r_max²) of the object (reported, not used for the decision). */
  compactness: number | null;
  /** Lobe spectrum [k=3, 4, 5] of the frame voted into `shape`, the shape feature. */
  lobes: number[] | null;
};

type Blob = {
  area: number; cx: number; cy: number; rgb: [number, number, number]; compactness: number; lobes: number[]; share: number;
  /** Phase (radians) of each lobe harmonic [k=3, 4, 5]: where the outline's corners point. */
  lobePhases: number[];
  /** Bounding box, pixel indices inclusive. */
  box: { minX: number; maxX: number; minY: number; maxY: number };
};

const ANGLE_BINS = 48;

/**
 * Shape signature: the object's outline radius r(θ) around its centroid (max distance per angular bin), and the
 * magnitudes of its 3rd, 4th and 5th angular Fourier harmonics relative to the mean radius. A circle has none;
 * a triangle, square and five-pointed star peak at 3, 4 and 5 — whatever the rotation.
 */
function lobeSpectrum(pixels: ArrayLike<number>, w: number, cx: number, cy: number): { magnitude: number; phase: number }[] {
  const r = new Float64Array(ANGLE_BINS);
  for (let n = 0; n < pixels.length; n++) {
    const i = pixels[n]!;
    const dx = (i % w) - cx;
    const dy = Math.floor(i / w) - cy;
    const b = Math.floor(((Math.atan2(dy, dx) + Math.PI) / (2 * Math.PI)) * ANGLE_BINS) % ANGLE_BINS;
    r[b] = Math.max(r[b]!, Math.hypot(dx, dy) + 0.5);
  }
  // Small objects leave some bins empty: take the nearest filled neighbour.
  for (let b = 0; b < ANGLE_BINS; b++)
    for (let d = 1; r[b] === 0 && d < ANGLE_BINS / 2; d++)
      r[b] = Math.max(r[(b + d) % ANGLE_BINS]!, r[(b - d + ANGLE_BINS) % ANGLE_BINS]!);
  const mean = r.reduce((a, v) => a + v, 0) / ANGLE_BINS;
  return [3, 4, 5].map((k) => {
    let re = 0;
    let im = 0;
    for (let b = 0; b < ANGLE_BINS; b++) {
      const th = (2 * Math.PI * k * b) / ANGLE_BINS;
      re += r[b]! * Math.cos(th);
      im += r[b]! * Math.sin(th);
    }
    // Bin b is centred on the image angle -π + 2π(b + ½)/N; shifting the phase by that offset makes
    // `phase / k` the direction of a corner in image coordinates (y down).
    const offset = k * (-Math.PI + Math.PI / ANGLE_BINS);
    return { magnitude: Math.hypot(re, im) / (ANGLE_BINS * mean), phase: Math.atan2(im, re) + offset };
  });
}

/** Per-row background colour: median of the three leftmost and rightmost pixels over all frames (the
 * backgrounds are vertical gradients or flat; the moving object rarely covers a row's border in most frames). */
function backgroundRows(frames: readonly Uint8ClampedArray[], w: number, h: number): Float32Array {
  const bg = new Float32Array(h * 3);
  const columns = [0, 1, 2, w - 3, w - 2, w - 1];
  const middle = (frames.length * columns.length) >> 1;
  // The median of byte values by counting (no sort): the detector runs on every clip's sound, so this is hot.
  const counts = new Uint16Array(256);
  for (let y = 0; y < h; y++) {
    for (let k = 0; k < 3; k++) {
      counts.fill(0);
      for (const f of frames) for (const x of columns) counts[f[(y * w + x) * 4 + k]!]!++;
      let value = 0;
      for (let seen = counts[0]!; seen <= middle; seen += counts[++value]!);
      bg[y * 3 + k] = value;
    }
  }
  return bg;
}

const MASK_DISTANCE = 60;

function largestBlob(f: Uint8ClampedArray, w: number, h: number, bg: Float32Array): Blob | null {
  // The mask: pixels farther than MASK_DISTANCE from their row's background (compared squared: no root per pixel).
  const inMask = new Uint8Array(w * h);
  const limit = MASK_DISTANCE * MASK_DISTANCE;
  let maskTotal = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const p = (y * w + x) * 4;
      const dr = f[p]! - bg[y * 3]!;
      const dg = f[p + 1]! - bg[y * 3 + 1]!;
      const db = f[p + 2]! - bg[y * 3 + 2]!;
      if (dr * dr + dg * dg + db * db > limit) {
        inMask[y * w + x] = 1;
        maskTotal++;
      }
    }
  if (maskTotal === 0) return null;
  // Largest 4-connected component of the mask, by flood fill over typed arrays (allocation-free per pixel).
  const seen = new Uint8Array(w * h);
  const stack = new Int32Array(w * h);
  const comp = new Int32Array(w * h);
  let best = new Int32Array(0);
  let top = 0;
  const visit = (j: number) => {
    if (!seen[j] && inMask[j]) {
      seen[j] = 1;
      stack[top++] = j;
    }
  };
  for (let start = 0; start < w * h; start++) {
    if (seen[start] || !inMask[start]) continue;
    let size = 0;
    visit(start);
    while (top) {
      const i = stack[--top]!;
      comp[size++] = i;
      const x = i % w;
      if (x > 0) visit(i - 1);
      if (x < w - 1) visit(i + 1);
      if (i >= w) visit(i - w);
      if (i < w * (h - 1)) visit(i + w);
    }
    if (size > best.length) best = comp.slice(0, size);
  }
  let cx = 0;
  let cy = 0;
  const box = { minX: w, maxX: -1, minY: h, maxY: -1 };
  for (const i of best) {
    const x = i % w;
    const y = Math.floor(i / w);
    cx += x;
    cy += y;
    box.minX = Math.min(box.minX, x);
    box.maxX = Math.max(box.maxX, x);
    box.minY = Math.min(box.minY, y);
    box.maxY = Math.max(box.maxY, y);
  }
  cx /= best.length;
  cy /= best.length;
  let r2 = 0;
  for (const i of best) r2 = Math.max(r2, (i % w - cx) ** 2 + (Math.floor(i / w) - cy) ** 2);
  // Colour from the object's core (pixels whose 4 neighbours are also in it): edges are blended with the background.
  const inBlob = new Uint8Array(w * h);
  for (const i of best) inBlob[i] = 1;
  const sum = [0, 0, 0];
  let n = 0;
  for (const i of best) {
    const core = inBlob[i - 1] && inBlob[i + 1] && inBlob[i - w] && inBlob[i + w];
    if (!core) continue;
    for (let k = 0; k < 3; k++) sum[k]! += f[i * 4 + k]!;
    n++;
  }
  if (n === 0)
    for (const i of best) {
      for (let k = 0; k < 3; k++) sum[k]! += f[i * 4 + k]!;
      n++;
    }
  const r = Math.sqrt(r2) + 0.5;
  const harmonics = lobeSpectrum(best, w, cx, cy);
  return {
    area: best.length, cx, cy, rgb: [sum[0]! / n, sum[1]! / n, sum[2]! / n],
    compactness: best.length / (Math.PI * r * r), lobes: harmonics.map((hm) => hm.magnitude), share: best.length / maskTotal,
    lobePhases: harmonics.map((hm) => hm.phase), box,
  };
}

function nearestColour(rgb: [number, number, number]): string {
  let bestName = '';
  let bestD = Infinity;
  for (const [name, c] of Object.entries(WORLD.colours)) {
    const d = Math.hypot(rgb[0] - c[0]!, rgb[1] - c[1]!, rgb[2] - c[2]!);
    if (d < bestD) {
      bestD = d;
      bestName = name;
    }
  }
  return bestName;
}

/** Below this strength of every harmonic the outline is round (calibrated on ground-truth renders). */
export const ROUND_LOBES = 0.03;

/** Shape from the lobe spectrum [k=3, k=4, k=5]. */
export function classifyShape(lobes: number[]): string {
  const strongest = Math.max(...lobes);
  if (strongest < ROUND_LOBES) return 'circle';
  return ['triangle', 'square', 'star'][lobes.indexOf(strongest)]!;
}

function mode<T>(xs: T[]): T | null {
  const counts = new Map<T, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  let best: T | null = null;
  let n = 0;
  for (const [k, c] of counts) if (c > n) [best, n] = [k, c];
  return best;
}

/** The object's centre (pixels) in each frame, null where none is found; the background is the clip's own. */
export function objectCentres(frames: readonly Uint8ClampedArray[], w: number, h: number): ({ x: number; y: number } | null)[] {
  return frameBlobs(frames, w, h).map((b) => (b && b.area >= 6 ? { x: b.cx, y: b.cy } : null));
}

/** The largest object blob of every frame (null where the mask is empty), against the clip's background. */
function frameBlobs(frames: readonly Uint8ClampedArray[], w: number, h: number): (Blob | null)[] {
  const bg = backgroundRows(frames, w, h);
  return frames.map((f) => largestBlob(f, w, h, bg));
}

export function analyseClip(frames: Uint8ClampedArray[], w: number, h: number): ClipAnalysis {
  const blobs = frameBlobs(frames, w, h);
  const analysis = analyseBlobs(blobs);
  const track = blobTrack(blobs, analysis);
  const motion = track && classifyMotion(track, w);
  return { ...analysis, motion };
}

function analyseBlobs(blobs: (Blob | null)[]): Omit<ClipAnalysis, 'motion'> {
  const found = blobs.filter((b): b is Blob => b !== null && b.area >= 6);
  if (found.length < blobs.length)
    return { colour: null, shape: null, direction: null, coherent: false, incoherence: `no object in ${blobs.length - found.length} frame(s)`, compactness: null, lobes: null };
  let incoherence: string | null = null;
  for (let i = 0; i < found.length && !incoherence; i++) {
    const b = found[i]!;
    if (b.share < 0.85) incoherence = `frame ${i}: the object is in pieces (largest part ${(b.share * 100).toFixed(0)} %)`;
    const prev = found[i - 1];
    if (prev && !incoherence) {
      const ratio = Math.max(b.area / prev.area, prev.area / b.area);
      if (ratio > 1.6) incoherence = `frame ${i}: the object's area jumps ×${ratio.toFixed(1)}`;
      else if (Math.hypot(b.cx - prev.cx, b.cy - prev.cy) > 7) incoherence = `frame ${i}: the object jumps ${Math.hypot(b.cx - prev.cx, b.cy - prev.cy).toFixed(1)} px`;
    }
  }
  const colour = mode(found.map((b) => nearestColour(b.rgb)));
  // Shape from the frames where the object is largest (growing/shrinking clips have tiny, blurry ends).
  const largest = [...found].sort((a, b) => b.area - a.area).slice(0, Math.max(1, found.length >> 2));
  const comp = largest.map((b) => b.compactness).sort((a, b) => a - b);
  const compactness = comp[comp.length >> 1]!;
  const shape = mode(largest.map((b) => classifyShape(b.lobes)));
  const lobes = largest.find((b) => classifyShape(b.lobes) === shape)!.lobes;
  return { colour, shape, direction: netDirection(found), coherent: incoherence === null, incoherence, compactness, lobes };
}

/** The object in one frame, as `trackObject` follows it; positions in pixels, y down. */
export type ObjectSample = {
  cx: number;
  cy: number;
  /** Pixels in the object. */
  area: number;
  box: { minX: number; maxX: number; minY: number; maxY: number };
  /** Direction of a corner of the clip's shape (radians, y down, modulo 2π/corners); null for circles. */
  angle: number | null;
  colour: string;
};

/** An object followed through a clip: the clip's shape and colour (majority votes) and one sample per frame. */
export type ObjectTrack = {
  shape: string;
  colour: string;
  /** Null where no object of at least 6 pixels was found. */
  samples: (ObjectSample | null)[];
  /** Whether `analyseClip` would call the clip coherent (one object, no jumps): only then is the track trusted. */
  coherent: boolean;
};

/**
 * Follows the clip's object frame by frame with the same masks as `analyseClip`, adding what the evaluation does
 * not need: the bounding box and the orientation (phase of the shape's own lobe harmonic). Null when no frame has an
 * object.
 */
export function trackObject(frames: Uint8ClampedArray[], w: number, h: number): ObjectTrack | null {
  const all = frameBlobs(frames, w, h);
  return blobTrack(all, analyseBlobs(all));
}

function blobTrack(all: (Blob | null)[], analysis: Omit<ClipAnalysis, 'motion'>): ObjectTrack | null {
  const blobs = all.map((b) => (b !== null && b.area >= 6 ? b : null));
  const found = blobs.filter((b): b is Blob => b !== null);
  if (found.length === 0) return null;
  const shape = analysis.shape ?? mode(found.map((b) => classifyShape(b.lobes)))!;
  const colour = analysis.colour ?? mode(found.map((b) => nearestColour(b.rgb)))!;
  const k = CORNERS[shape];
  // A k-cornered outline looks the same every 2π/k: report the corner direction in [-π/k, π/k).
  const corner = (phase: number, k: number) => phase / k - (2 * Math.PI / k) * Math.round(phase / (2 * Math.PI));
  const samples = blobs.map((b) =>
    b === null ? null : { cx: b.cx, cy: b.cy, area: b.area, box: b.box, angle: k === undefined ? null : corner(b.lobePhases[k - 3]!, k), colour: nearestColour(b.rgb) },
  );
  return { shape, colour, samples, coherent: analysis.coherent };
}
