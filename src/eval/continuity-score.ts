/**
 * Pure scoring for the continuity evaluation (issue 17's targets), on the detector's object positions and analyses:
 * whether a seam between windows is a jump, whether an in-between's path runs one way, how many windows of a long
 * clip hold the prompt's colour, shape and motion, and how closely a given frame came back (PSNR).
 */
import type { WindowReport } from '../engine/continuation';
import type { ClipAnalysis } from './detector';

export type Point = { x: number; y: number };

/** A seam is a jump when the object's step across it is more than SEAM_STEP_FACTOR × its median step inside windows … */
export const SEAM_STEP_FACTOR = 3;
/** … plus SEAM_SLACK of the frame's width (a still object's median step is about 0). */
export const SEAM_SLACK = 0.04;

/** The object's step across one seam (from frame `frame` − 1 to `frame`), in pixels, and the most it may be. */
export type SeamStep = { frame: number; step: number; limit: number; jump: boolean };

const distance = (a: Point | null | undefined, b: Point | null | undefined) => (a && b ? Math.hypot(a.x - b.x, a.y - b.y) : Infinity);

function median(xs: number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Every seam of a clip of `width` pixels whose object is at `centres` (null: none found): `seams` are the first frames
 * of windows after the first. The median step is taken over the steps that cross no seam; a seam with no object on
 * either side is a jump.
 */
export function seamSteps(centres: readonly (Point | null)[], seams: readonly number[], width: number): SeamStep[] {
  const across = new Set(seams);
  const inside: number[] = [];
  for (let i = 1; i < centres.length; i++) {
    const d = distance(centres[i - 1], centres[i]);
    if (!across.has(i) && Number.isFinite(d)) inside.push(d);
  }
  const limit = SEAM_STEP_FACTOR * median(inside) + SEAM_SLACK * width;
  return seams.map((frame) => {
    const step = distance(centres[frame - 1], centres[frame]);
    return { frame, step, limit, jump: !(step <= limit) };
  });
}

/**
 * Whether a path runs one way: projected on the line from its first point to its last, no point falls back more than
 * `tolerance` pixels behind the furthest point before it. A path whose ends are within `tolerance` of each other must
 * stay within `tolerance` of its start; a frame without an object breaks the path.
 */
export function isMonotonePath(centres: readonly (Point | null)[], tolerance: number): boolean {
  if (centres.some((c) => c === null) || centres.length < 2) return false;
  const points = centres as Point[];
  const first = points[0]!;
  const last = points.at(-1)!;
  const length = distance(first, last);
  if (length < tolerance) return points.every((p) => distance(p, first) <= tolerance);
  const ux = (last.x - first.x) / length;
  const uy = (last.y - first.y) / length;
  let furthest = -Infinity;
  for (const p of points) {
    const along = (p.x - first.x) * ux + (p.y - first.y) * uy;
    if (along < furthest - tolerance) return false;
    furthest = Math.max(furthest, along);
  }
  return true;
}

/**
 * Whether a window shows `motion`. A window of a bouncing clip may fall between two walls, where the bounce is a
 * straight stretch left or right: that holds the motion too (the whole clip's windows turn it back).
 */
export function windowShows(motion: string, detected: string | null): boolean {
  return detected === motion || (motion === 'bouncing' && (detected === 'left' || detected === 'right'));
}

/** Shares of windows whose analysis holds the expected colour, shape and motion. */
export type Holding = { windows: number; colour: number; shape: number; motion: number };

export function holding(windows: readonly ClipAnalysis[], expected: { colour: string; shape: string; motion: string }): Holding {
  const share = (ok: (a: ClipAnalysis) => boolean) => (windows.length ? windows.filter(ok).length / windows.length : 0);
  return {
    windows: windows.length,
    colour: share((a) => a.colour === expected.colour),
    shape: share((a) => a.shape === expected.shape),
    motion: share((a) => windowShows(expected.motion, a.motion)),
  };
}

/**
 * The output frames each window shows, [first, last]: the frames it wrote and, before them, the known frames it took
 * from the window before (so a window of 4 known + 12 new frames is judged on 16 frames, as a clip is).
 */
export function windowSpans(reports: readonly WindowReport[]): [number, number][] {
  return reports.filter((r) => r.wrote !== null).map((r) => {
    const carried = r.known.filter((k) => k.from === 'previous-window').length;
    return [Math.max(0, r.wrote![0] - carried), r.wrote![1]];
  });
}

/** The first output frame of every window after the first: where the seams are. */
export function seamFrames(reports: readonly WindowReport[]): number[] {
  return reports.filter((r) => r.wrote !== null && r.wrote[0] > 0).map((r) => r.wrote![0]);
}

/** PSNR in dB between two RGBA frames (alpha ignored); Infinity when they are equal. */
export function psnr(a: Uint8ClampedArray, b: Uint8ClampedArray): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    if (i % 4 === 3) continue;
    s += (a[i]! - b[i]!) ** 2;
    n++;
  }
  return 10 * Math.log10((255 * 255) / (s / n));
}
