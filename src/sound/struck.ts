/**
 * The sound of an impact: a struck object, synthesised as a sum of exponentially decaying partials (modal
 * synthesis). Its pitch follows the object's size (bigger sounds lower) and its timbre the object's shape:
 * a soft mallet on a bar for circles, a wood block for squares, a bell for triangles, a sparkle of small chimes for
 * stars.
 */
import { Rng } from '../engine/rng';
import type { Shape } from './cues';
import { SAMPLE_RATE } from './pcm';

/** One partial: frequency as a multiple of the voice's pitch, amplitude, and time to decay by 1/e (seconds). */
type Partial = { ratio: number; amplitude: number; decaySeconds: number; delaySeconds?: number };

type Timbre = { pitchFactor: number; attackSeconds: number; partials: (rng: Rng) => Partial[]; click?: number };

const TIMBRES: Record<Shape, Timbre> = {
  // A marimba-like bar: the tuned 1 : 4 : 10 partials, a soft (2 ms) mallet onset.
  circle: {
    pitchFactor: 1,
    attackSeconds: 0.002,
    partials: () => [
      { ratio: 1, amplitude: 1, decaySeconds: 0.35 },
      { ratio: 3.93, amplitude: 0.25, decaySeconds: 0.12 },
      { ratio: 9.9, amplitude: 0.06, decaySeconds: 0.04 },
    ],
  },
  // A hollow wood block: higher, short-lived, inharmonic partials and a click of noise.
  square: {
    pitchFactor: 1.6,
    attackSeconds: 0.0005,
    click: 0.5,
    partials: () => [
      { ratio: 1, amplitude: 1, decaySeconds: 0.06 },
      { ratio: 2.68, amplitude: 0.5, decaySeconds: 0.035 },
      { ratio: 4.2, amplitude: 0.25, decaySeconds: 0.02 },
    ],
  },
  // A church-bell spectrum (hum, prime, minor third, fifth, nominal, …), each partial doubled a hair apart (a quarter
  // as loud) so it shimmers without dying away at the beat.
  triangle: {
    pitchFactor: 1,
    attackSeconds: 0.001,
    partials: () =>
      [
        [0.5, 0.45, 0.9], [1, 1, 0.7], [1.19, 0.6, 0.6], [1.5, 0.35, 0.5], [2, 0.5, 0.4], [2.52, 0.25, 0.3], [3.01, 0.2, 0.25], [4.18, 0.1, 0.15],
      ].flatMap(([ratio, amplitude, decaySeconds]) => [
        { ratio: ratio!, amplitude: amplitude! * 0.8, decaySeconds: decaySeconds! },
        { ratio: ratio! * 1.002, amplitude: amplitude! * 0.2, decaySeconds: decaySeconds! },
      ]),
  },
  // Glitter: small high chimes at random pitches, scattered over the first 60 ms.
  star: {
    pitchFactor: 2,
    attackSeconds: 0.001,
    partials: (rng) =>
      Array.from({ length: 7 }, (_, i) => ({
        ratio: 1 + 4 * rng.nextFloat(),
        amplitude: i === 0 ? 1 : 0.3 + 0.7 * rng.nextFloat(),
        decaySeconds: 0.06 + 0.1 * rng.nextFloat(),
        delaySeconds: i === 0 ? 0 : 0.06 * rng.nextFloat(),
      })),
  },
};

/** The span over which every timbre is matched in level, and that level (RMS, full scale = 1) at full strength. */
const ATTACK_SECONDS = 0.03;
const ATTACK_RMS = 0.5;

/** Partials decay to −60 dB (e^−6.9) before the voice ends; none rings longer than MAX_SECONDS. */
const MAX_SECONDS = 2.5;

/** The voice's base pitch for an object of radius `size` (relative to the frame): 600 Hz at 0.12, lower when bigger. */
export function strikePitch(size: number): number {
  return Math.min(2400, Math.max(120, 600 * (0.12 / Math.max(size, 1e-3)) ** 0.8));
}

/**
 * A struck `shape` of radius `size`, hit with `strength` (0…1): mono samples at 48 kHz, at most `maxLength` long,
 * its first 30 ms at ATTACK_RMS · `strength`. `seed` varies the star's chimes from clip to clip.
 */
export function strike(shape: Shape, size: number, strength: number, seed: number, maxLength: number): Float32Array {
  const timbre = TIMBRES[shape];
  const rng = new Rng(seed);
  const partials = timbre.partials(rng);
  const pitch = strikePitch(size) * timbre.pitchFactor;
  const longest = Math.max(...partials.map((p) => (p.delaySeconds ?? 0) + 6.9 * p.decaySeconds));
  const out = new Float32Array(Math.min(maxLength, Math.ceil(Math.min(MAX_SECONDS, longest) * SAMPLE_RATE)));
  const attack = timbre.attackSeconds * SAMPLE_RATE;
  for (const p of partials) {
    const f = pitch * p.ratio;
    if (f >= 0.45 * SAMPLE_RATE) continue;
    const start = Math.round((p.delaySeconds ?? 0) * SAMPLE_RATE);
    // s[k] = A·r^k·sin(ωk) by its two-term recurrence s[k] = 2r·cos ω·s[k−1] − r²·s[k−2]: no sine per sample.
    const r = Math.exp(-1 / (p.decaySeconds * SAMPLE_RATE));
    const w = (2 * Math.PI * f) / SAMPLE_RATE;
    const c1 = 2 * r * Math.cos(w);
    const c2 = r * r;
    let previous = 0;
    let current = p.amplitude * r * Math.sin(w);
    for (let n = start + 1; n < out.length; n++) {
      const k = n - start;
      // A raised-cosine onset: the mallet's softness, and no click at the start of a sine.
      const onset = k < attack ? 0.5 - 0.5 * Math.cos((Math.PI * k) / attack) : 1;
      out[n]! += current * onset;
      [previous, current] = [current, c1 * current - c2 * previous];
    }
  }
  if (timbre.click) {
    // A 4 ms burst of noise, the knock of wood on wood.
    const length = Math.min(out.length, Math.round(0.004 * SAMPLE_RATE));
    for (let n = 0; n < length; n++) out[n]! += timbre.click * (2 * rng.nextFloat() - 1) * (1 - n / length);
  }
  // Every timbre starts equally loud: the RMS of its first ATTACK_SECONDS is ATTACK_RMS · strength. (Peaks differ; the
  // limiter takes care of them.)
  const window = Math.min(out.length, Math.round(ATTACK_SECONDS * SAMPLE_RATE));
  let sum = 0;
  for (let n = 0; n < window; n++) sum += out[n]! ** 2;
  const rms = Math.sqrt(sum / Math.max(1, window));
  if (rms > 0) for (let n = 0; n < out.length; n++) out[n]! *= (ATTACK_RMS * strength) / rms;
  return out;
}
