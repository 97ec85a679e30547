/**
 * One continuous track for a film of several shots, joined the way the pictures are: at a cut the next shot's sound
 * starts fresh (a ringing bell does not carry over), at an N-frame crossfade the two sounds overlap for those N frames
 * with equal-power fades (cos/sin, so two unrelated sounds keep a steady loudness through the join). The joined track
 * goes through the limiter again, since an overlap can add peaks.
 */
import { limitTruePeak } from './limiter';
import { SAMPLE_RATE, samplesForFrames, type StereoPcm } from './pcm';

/** How two consecutive shots meet. */
export type ShotJoin = { kind: 'cut' } | { kind: 'crossfade'; frames: number };

/** A cut is not a crossfade, but a few milliseconds of fade on both sides keep it from clicking. */
const DECLICK_SECONDS = 0.003;

/**
 * Joins shot tracks (each the length of its shot) with `joins[i]` between shots i and i + 1. The result lasts as long
 * as the joined film: the sum of the shots less every crossfade's overlap.
 */
export function joinShotTracks(shots: readonly StereoPcm[], joins: readonly ShotJoin[], fps: number): StereoPcm {
  if (shots.length === 0) throw new RangeError('joinShotTracks: no shots.');
  if (joins.length !== shots.length - 1) throw new RangeError(`joinShotTracks: ${shots.length} shots need ${shots.length - 1} joins, got ${joins.length}.`);
  const overlaps = joins.map((j, i) => {
    if (j.kind === 'cut') return 0;
    const n = samplesForFrames(j.frames, fps);
    const shortest = Math.min(shots[i]!.left.length, shots[i + 1]!.left.length);
    if (!(j.frames > 0) || n > shortest) throw new RangeError(`joinShotTracks: a ${j.frames}-frame crossfade does not fit between shots ${i} and ${i + 1}.`);
    return n;
  });
  const total = shots.reduce((a, s) => a + s.left.length, 0) - overlaps.reduce((a, n) => a + n, 0);
  const left = new Float32Array(total);
  const right = new Float32Array(total);
  const declick = Math.round(DECLICK_SECONDS * SAMPLE_RATE);
  let start = 0;
  shots.forEach((shot, i) => {
    const n = shot.left.length;
    const crossIn = i > 0 && overlaps[i - 1]! > 0;
    const crossOut = i < joins.length && overlaps[i]! > 0;
    const fadeIn = i === 0 ? 0 : crossIn ? overlaps[i - 1]! : Math.min(declick, n);
    const fadeOut = i === joins.length ? 0 : crossOut ? overlaps[i]! : Math.min(declick, n);
    for (let k = 0; k < n; k++) {
      let g = 1;
      if (k < fadeIn) g *= ramp((k + 0.5) / fadeIn, crossIn);
      if (k >= n - fadeOut) g *= ramp((n - k - 0.5) / fadeOut, crossOut);
      left[start + k]! += shot.left[k]! * g;
      right[start + k]! += shot.right[k]! * g;
    }
    start += n - (overlaps[i] ?? 0);
  });
  return limitTruePeak({ sampleRate: SAMPLE_RATE, left, right });
}

/** Fade-in gain at position `x` ∈ (0, 1): sin for an equal-power crossfade (its partner's fade-out is cos), else linear. */
function ramp(x: number, equalPower: boolean): number {
  return equalPower ? Math.sin((Math.PI / 2) * x) : x;
}
