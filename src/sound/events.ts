/**
 * Sound cues from a tracked Kineto-Shapes object (eval/detector.ts `trackObject`): how fast it moves and where,
 * how fast it turns and grows, and when it strikes something. Positions are taken relative to the frame, so the
 * same clip at another resolution gives the same cues.
 *
 * Impacts are velocity reversals: along x or y, the object's mean velocity over the two frame steps before a frame
 * and over the two after point opposite ways, both faster than IMPACT_MIN_SPEED. The moment of contact is where the
 * incoming and outgoing straight paths meet (it falls between frames); it counts as a wall when the object's edge is
 * within WALL_MARGIN of the frame's edge there. An object that runs into the frame's edge without turning back (it
 * stops or leaves) is an impact too.
 */
import type { ObjectTrack } from '../eval/detector';
import { filled, fit, unwrappedAngles, velocityReversals } from '../eval/track-rates';
import { type Impact, SHAPES, type Shape, type SoundCues } from './cues';
import { smoothstep } from './dsp';

/**
 * Speed, in frame widths per second, that counts as steady motion (level 1): the geometric mean of Kineto-Shapes'
 * slow (1 px per frame at 64 px and 8 fps) and fast (2 px) speeds.
 */
export const SPEED_REFERENCE = 0.177;
/**
 * Below STILL_SPEED the object is still (the model's objects drift by a fraction of a pixel per frame); the level
 * fades in up to MOVING_SPEED, below Kineto-Shapes' slow speed (0.125), so the speeds it makes keep their ratio.
 */
const STILL_SPEED = 0.03;
const MOVING_SPEED = 0.08;
/** Slowest velocity, in frame widths per frame step, on either side of a reversal that makes an impact. */
const IMPACT_MIN_SPEED = 0.008;
/** A change of velocity of this many frame widths per second strikes at full strength. */
const IMPACT_FULL_STRENGTH = 0.5;
/** How near the frame's edge (fraction of the side) an impact counts as a wall. */
const WALL_MARGIN = 0.1;
/** Impacts on x and y closer than this many frames are one (a corner). */
const MERGE_FRAMES = 1.5;
/** Rotation (rad/s) and growth (1/s) below which nothing turns or grows: the model's outlines wobble. */
const SPIN_FLOOR = 0.4;
const GROWTH_FLOOR = 0.2;
/** Largest RMS scatter (radians) of the angle around its fitted line that still counts as turning. */
const SPIN_WOBBLE = 0.08;
/** Frames on each side over which rates are fitted: steadies a wobbling outline without blurring a turn. */
const FIT_HALF_WIDTH = 2;
/** Growth is fitted over more frames: the model's blobs breathe by a few per cent from frame to frame. */
const GROWTH_HALF_WIDTH = 3;

/** Sound cues for `track`, a clip of `width`×`height` at `fps`. Requires a sample in at least one frame. */
export function cuesFromTrack(track: ObjectTrack, width: number, height: number, fps: number): SoundCues {
  const n = track.samples.length;
  const xs = filled(track.samples.map((s) => (s ? s.cx / width : null)));
  const ys = filled(track.samples.map((s) => (s ? s.cy / height : null)));
  const sizes = filled(track.samples.map((s) => (s ? Math.sqrt(s.area / Math.PI) / width : null)));
  const shape = (SHAPES as readonly string[]).includes(track.shape) ? (track.shape as Shape) : 'circle';
  const motion = new Float32Array(n);
  const x = new Float32Array(n);
  const size = new Float32Array(n);
  const spin = new Float32Array(n);
  const growth = new Float32Array(n);
  const logSizes = sizes.map(Math.log);
  const angles = unwrappedAngles(track);
  for (let i = 0; i < n; i++) {
    const speed = Math.hypot(fit(xs, i, FIT_HALF_WIDTH).slope, fit(ys, i, FIT_HALF_WIDTH).slope) * fps;
    motion[i] = (speed / SPEED_REFERENCE) * smoothstep((speed - STILL_SPEED) / (MOVING_SPEED - STILL_SPEED));
    x[i] = xs[i]!;
    size[i] = sizes[i]!;
    // A turning outline's angle moves along a line; a wobbling blob's jumps about (its corners are guesses).
    const turn = angles ? fit(angles, i, FIT_HALF_WIDTH) : { slope: 0, residual: 0 };
    spin[i] = Math.abs(turn.slope * fps) < SPIN_FLOOR || turn.residual > SPIN_WOBBLE ? 0 : turn.slope * fps;
    const grow = fit(logSizes, i, GROWTH_HALF_WIDTH).slope * fps;
    growth[i] = Math.abs(grow) < GROWTH_FLOOR ? 0 : grow;
  }
  const impacts = mergeImpacts([
    ...reversals(track, xs, 'x', width, fps, xs),
    ...reversals(track, ys, 'y', height, fps, xs),
    ...edgeArrivals(track, xs, 'x', width, fps, xs),
    ...edgeArrivals(track, ys, 'y', height, fps, xs),
  ]);
  return { fps, frameCount: n, source: 'object', shape, motion, x, size, spin, growth, impacts };
}

/** The object's extent along `axis` in frame `i`, relative to the side: [first, past-last pixel]. */
function extent(track: ObjectTrack, i: number, axis: 'x' | 'y', side: number): [number, number] | null {
  const s = track.samples[i];
  if (!s) return null;
  return axis === 'x' ? [s.box.minX / side, (s.box.maxX + 1) / side] : [s.box.minY / side, (s.box.maxY + 1) / side];
}

const strength = (velocityChange: number) => Math.min(1, Math.sqrt(velocityChange / IMPACT_FULL_STRENGTH));

/** Velocity reversals along one axis; `p` positions relative to the side, `xs` horizontal positions for panning. */
function reversals(track: ObjectTrack, p: Float64Array, axis: 'x' | 'y', side: number, fps: number, xs: Float64Array): Impact[] {
  return velocityReversals(p, IMPACT_MIN_SPEED).map(({ frame: i, contact, before, after }) => {
    const [lo, hi] = extent(track, i, axis, side) ?? [p[i]!, p[i]!];
    return { frame: contact, strength: strength(Math.abs(after - before) * fps), x: xs[i]!, wall: before > 0 ? hi >= 1 - WALL_MARGIN : lo <= WALL_MARGIN };
  });
}

/**
 * Frames where the object first touches the frame's edge while moving towards it and then does not turn back
 * (reversals() has those): it stops against the edge or runs out of the picture.
 */
function edgeArrivals(track: ObjectTrack, p: Float64Array, axis: 'x' | 'y', side: number, fps: number, xs: Float64Array): Impact[] {
  const touches = (i: number, towards: number) => {
    const e = extent(track, i, axis, side);
    // The object's last pixel is the frame's last (or first) pixel.
    return e !== null && (towards > 0 ? e[1] >= 1 : e[0] <= 0);
  };
  const impacts: Impact[] = [];
  for (let i = 1; i < p.length; i++) {
    const v = p[i]! - p[i - 1]!;
    if (Math.abs(v) < IMPACT_MIN_SPEED || !touches(i, v) || touches(i - 1, v)) continue;
    const next = i + 1 < p.length ? p[i + 1]! - p[i]! : 0;
    if (Math.sign(next) === -Math.sign(v) && Math.abs(next) >= IMPACT_MIN_SPEED) continue;
    impacts.push({ frame: i, strength: strength(Math.abs(v - next) * fps), x: xs[i]!, wall: true });
  }
  return impacts;
}

/** One impact per moment: those within MERGE_FRAMES of each other keep the earliest time and the strongest blow. */
function mergeImpacts(impacts: Impact[]): Impact[] {
  const sorted = [...impacts].sort((a, b) => a.frame - b.frame);
  const out: Impact[] = [];
  for (const hit of sorted) {
    const last = out.at(-1);
    if (last && hit.frame - last.frame < MERGE_FRAMES) {
      last.strength = Math.max(last.strength, hit.strength);
      last.wall ||= hit.wall;
    } else out.push({ ...hit });
  }
  return out;
}
