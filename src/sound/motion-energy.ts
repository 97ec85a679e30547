/**
 * Sound cues for any clip, with no object to follow: how much of the picture changes from frame to frame (the mean
 * absolute difference of the RGB values) and the horizontal centre of that change. Every clip gets a sound that
 * rises and falls with what moves, and sits where it moves.
 */
import type { SoundCues } from './cues';

/**
 * Motion energy that counts as steady motion (level 1): the median over Kineto-Shapes' ground-truth clips that move
 * in a straight line (tests/unit/motion-energy.test.ts measures it), so both kinds of cue share a scale.
 */
export const ENERGY_REFERENCE = 0.0057;
/** Below this energy nothing moves: codec-like flicker and the model's shimmer. */
const ENERGY_FLOOR = 0.0004;
/** Pixels looked at per frame at most; bigger frames are sampled on a grid. */
const MAX_PIXELS = 65_536;

/** Mean absolute RGB difference (0…1) between two frames and the horizontal centre (0…1) of the difference. */
function difference(a: Uint8ClampedArray, b: Uint8ClampedArray, width: number, height: number): { energy: number; centre: number | null } {
  const stride = Math.max(1, Math.ceil(Math.sqrt((width * height) / MAX_PIXELS)));
  let sum = 0;
  let moment = 0;
  let count = 0;
  for (let y = 0; y < height; y += stride) {
    for (let x = 0; x < width; x += stride) {
      const p = (y * width + x) * 4;
      const d = Math.abs(a[p]! - b[p]!) + Math.abs(a[p + 1]! - b[p + 1]!) + Math.abs(a[p + 2]! - b[p + 2]!);
      sum += d;
      moment += d * (x + 0.5);
      count++;
    }
  }
  return { energy: sum / (count * 3 * 255), centre: sum > 0 ? moment / sum / width : null };
}

/** Sound cues from frame differences of RGBA `frames` of `width`×`height` at `fps`. */
export function cuesFromMotionEnergy(frames: readonly Uint8ClampedArray[], width: number, height: number, fps: number): SoundCues {
  const n = frames.length;
  const steps = frames.slice(1).map((f, i) => difference(frames[i]!, f, width, height));
  const motion = new Float32Array(n);
  const x = new Float32Array(n);
  let lastCentre = 0.5;
  for (let i = 0; i < n; i++) {
    // Frame i sits between the step into it and the step out of it.
    const around = [steps[i - 1], steps[i]].filter((s) => s !== undefined);
    const energy = around.length ? around.reduce((a, s) => a + s.energy, 0) / around.length : 0;
    motion[i] = Math.max(0, energy - ENERGY_FLOOR) / ENERGY_REFERENCE;
    const weighted = around.filter((s) => s.centre !== null);
    const total = weighted.reduce((a, s) => a + s.energy, 0);
    if (total > 0) lastCentre = weighted.reduce((a, s) => a + s.energy * s.centre!, 0) / total;
    x[i] = lastCentre;
  }
  const zeros = new Float32Array(n);
  return { fps, frameCount: n, source: 'motion', shape: null, motion, x, size: zeros, spin: zeros, growth: zeros, impacts: [] };
}
