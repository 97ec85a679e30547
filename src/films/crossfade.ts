/**
 * The film's frames from its shots' frames: each film frame is a shot's frame, or during a crossfade two frames
 * blended (timeline.ts says which and by how much). Pure, so the page, the worker and the CLI assemble alike.
 */
import type { Frames } from '../engine/types';
import { frameAt, type Timeline } from './timeline';

/** `a` and `b` (RGBA, same size) mixed: (1 − weight)·a + weight·b per channel, rounded. */
export function blendFrames(a: Uint8ClampedArray, b: Uint8ClampedArray, weight: number): Uint8ClampedArray {
  if (a.length !== b.length) throw new RangeError(`Cannot blend frames of ${a.length} and ${b.length} bytes`);
  if (!(weight >= 0 && weight <= 1)) throw new RangeError(`A blend weight is from 0 to 1 (got ${weight})`);
  const out = new Uint8ClampedArray(a.length);
  // Uint8ClampedArray rounds half to even on assignment.
  for (let i = 0; i < a.length; i++) out[i] = a[i]! + (b[i]! - a[i]!) * weight;
  return out;
}

/**
 * The film: one frame per timeline frame, from `shots[i]`, the frames made for shot i (`timeline.shots[i].made` of
 * them, all of one size). Frames outside a crossfade are the shots' own arrays, not copies.
 */
export function assembleFilm(t: Timeline, shots: readonly Frames[]): Frames {
  if (shots.length !== t.shots.length) throw new RangeError(`The timeline has ${t.shots.length} shots; ${shots.length} were made`);
  const { width, height } = shots[0]!;
  shots.forEach((s, i) => {
    const made = t.shots[i]!.made;
    if (s.rgba.length !== made) throw new RangeError(`Shot ${i + 1} needs ${made} frames; it has ${s.rgba.length}`);
    if (s.width !== width || s.height !== height) throw new RangeError(`Shot ${i + 1} is ${s.width}×${s.height}; shot 1 is ${width}×${height}`);
  });
  const rgba: Uint8ClampedArray[] = [];
  for (let f = 0; f < t.frames; f++) {
    const p = frameAt(t, f);
    const own = shots[p.shot]!.rgba[p.frame]!;
    rgba.push(p.incoming ? blendFrames(own, shots[p.incoming.shot]!.rgba[p.incoming.frame]!, p.incoming.weight) : own);
  }
  return { width, height, count: rgba.length, rgba };
}
