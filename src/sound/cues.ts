/**
 * What the sound follows: per-frame control curves and discrete impacts, derived from the video (events.ts for
 * Kineto-Shapes' tracked object, motion-energy.ts for any other clip) and turned into sound by mix.ts. Plain data,
 * so the worker, the CLI and the tests can look at the same thing.
 */
import { SAMPLE_RATE } from './pcm';

/** Shapes the struck voice knows, as the detector names them. */
export const SHAPES = ['circle', 'square', 'triangle', 'star'] as const;
export type Shape = (typeof SHAPES)[number];

/** Something struck: the object turned back or met a wall. */
export type Impact = {
  /** When it hit, in frames from the clip's start (fractional: the contact lies between two frames). */
  frame: number;
  /** 0…1, from the change of velocity. */
  strength: number;
  /** Horizontal position, 0 = left edge, 1 = right edge. */
  x: number;
  /** Whether it happened at the frame's edge (a wall) rather than in open space. */
  wall: boolean;
};

/** Per-frame curves (index = frame) and impacts for one clip. */
export type SoundCues = {
  fps: number;
  frameCount: number;
  /** 'object': a tracked Kineto-Shapes object; 'motion': frame differences of any clip. */
  source: 'object' | 'motion';
  /** The object's shape (chooses the struck timbre); null for 'motion'. */
  shape: Shape | null;
  /** How much moves, 1 = the steady motion Kineto's levels are calibrated to, 0 = nothing. */
  motion: Float32Array;
  /** Where it is (or where the change is), 0 = left edge … 1 = right edge. */
  x: Float32Array;
  /** Object radius (of the disc with its area) relative to the frame width; 0 for 'motion'. */
  size: Float32Array;
  /** Rotation rate, radians per second (positive = clockwise on screen). */
  spin: Float32Array;
  /** Growth rate of the object's size, d ln(size) / dt per second (negative = shrinking). */
  growth: Float32Array;
  impacts: Impact[];
};

/**
 * A per-frame curve as a per-sample signal of `length` samples: value i belongs to the moment frame i shows (i / fps,
 * as an impact at frame 6.5 sounds at 6.5 / fps), linear in between, held after the last.
 */
export function controlSignal(values: Float32Array, fps: number, length: number): Float32Array {
  const out = new Float32Array(length);
  const last = values.length - 1;
  if (last <= 0) return out.fill(values[0] ?? 0);
  // Frame by frame: the samples whose moment falls in [i, i + 1) frames lie on the line from value i to value i + 1.
  const framesPerSample = fps / SAMPLE_RATE;
  let n = 0;
  for (let i = 0; i < last && n < length; i++) {
    const end = Math.min(length, Math.ceil((i + 1) / framesPerSample));
    const from = values[i]!;
    const slope = values[i + 1]! - from;
    for (; n < end; n++) out[n] = from + slope * (n * framesPerSample - i);
  }
  return out.fill(values[last]!, n);
}
