/**
 * Which of the world's motions (world.json `motions`) a tracked clip shows: the eight straight directions and still
 * (the object's net displacement, as detector.ts reports `direction`), and bouncing, growing, shrinking and spinning,
 * from the same track measurements the foley hears (track-rates.ts). A clip shows one motion; where several signs
 * appear the rarer, more specific one wins: a turn of velocity (bouncing), then a change of size, then a steady turn
 * of the outline, then the displacement. Thresholds are half of what the world's slowest version of each motion does,
 * so the ground-truth clips are far from them (tests/unit/eval/detector.test.ts, motion.test.ts).
 */
import type { Direction, ObjectSample, ObjectTrack } from './detector';
import { filled, fit, unwrappedAngles, velocityReversals } from './track-rates';

export type Motion = Direction | 'bouncing' | 'growing' | 'shrinking' | 'spinning';

/**
 * Share of frames that must hold the object for its motion to be judged. A model's growing object may start too
 * small to see, and a shrinking one end so: the motion is plain from the other frames (gaps are interpolated).
 */
const MIN_SEEN = 0.75;

/**
 * Slowest step, in frame widths per frame, on each side of a turn that makes a bounce: half the world's slowest
 * bounce (2 px per frame at 64 px), twice the jitter of the model's still objects.
 */
const BOUNCE_MIN_STEP = 1 / 64;
/** Least change of ln(radius) over a clip that is growth: half the world's slow growth (×0.75 → ×1.25: 0.51). */
const GROWTH_MIN = 0.25;
/** Least turn (radians per frame) that is spinning: under half the world's slow spin (0.12). */
const SPIN_MIN = 0.05;
/** Largest RMS scatter (radians) of the angle around its fitted line that is a steady turn, not a wobbling outline. */
const SPIN_WOBBLE = 0.15;

/** The direction of a displacement (pixels, y down): still under 3 px, diagonal outside ±22.5° of an axis. */
export function direction(dx: number, dy: number): Direction {
  if (Math.hypot(dx, dy) < 3) return 'still';
  const ratio = 2.414; // tan(67.5°): outside ±22.5° of an axis counts as diagonal
  if (Math.abs(dx) > ratio * Math.abs(dy)) return dx < 0 ? 'left' : 'right';
  if (Math.abs(dy) > ratio * Math.abs(dx)) return dy < 0 ? 'up' : 'down';
  return `${dy < 0 ? 'up' : 'down'}-${dx < 0 ? 'left' : 'right'}` as Direction;
}

/** The direction from the mean position of the first three positions to that of the last three. */
export function netDirection(points: readonly { cx: number; cy: number }[]): Direction {
  const k = Math.min(3, points.length);
  const mean = (ps: readonly { cx: number; cy: number }[], key: 'cx' | 'cy') => ps.reduce((a, p) => a + p[key], 0) / ps.length;
  const first = points.slice(0, k);
  const last = points.slice(-k);
  return direction(mean(last, 'cx') - mean(first, 'cx'), mean(last, 'cy') - mean(first, 'cy'));
}

/** What the classification saw, for reports and for calibrating the thresholds. */
export type MotionEvidence = {
  /** Frames at which the object turned back (along x or y). */
  reversals: number[];
  /** Change of ln(radius) from the clip's first frame to its last, along the fitted line. */
  growth: number;
  /** Turn in radians per frame, and the angle's RMS scatter around that line (null for circles). */
  spin: { rate: number; wobble: number } | null;
};

/** The evidence for the motion of `track`, a clip `width` pixels wide. */
export function motionEvidence(track: ObjectTrack, width: number): MotionEvidence {
  const n = track.samples.length;
  const xs = filled(track.samples.map((s) => (s ? s.cx / width : null)));
  const ys = filled(track.samples.map((s) => (s ? s.cy / width : null)));
  const reversals = [...velocityReversals(xs, BOUNCE_MIN_STEP), ...velocityReversals(ys, BOUNCE_MIN_STEP)].map((r) => r.frame);
  const logRadius = filled(track.samples.map((s) => (s ? 0.5 * Math.log(s.area / Math.PI) : null)));
  const angles = unwrappedAngles(track);
  const turn = angles && fit(angles, 0, n);
  return {
    reversals: reversals.sort((a, b) => a - b),
    growth: fit(logRadius, 0, n).slope * (n - 1),
    spin: turn && { rate: turn.slope, wobble: turn.residual },
  };
}

/** The motion of `track`, a clip `width` pixels wide; null when the object is missing in too many frames. */
export function classifyMotion(track: ObjectTrack, width: number): Motion | null {
  const seen = track.samples.filter((s): s is ObjectSample => s !== null);
  if (seen.length < MIN_SEEN * track.samples.length) return null;
  const e = motionEvidence(track, width);
  if (e.reversals.length) return 'bouncing';
  if (Math.abs(e.growth) >= GROWTH_MIN) return e.growth > 0 ? 'growing' : 'shrinking';
  if (e.spin && Math.abs(e.spin.rate) >= SPIN_MIN && e.spin.wobble <= SPIN_WOBBLE) return 'spinning';
  return netDirection(seen);
}
