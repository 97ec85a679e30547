/**
 * The continuous voices of a clip, each a mono signal driven by per-sample control curves (cues.ts
 * `controlSignal`): a whoosh for movement, a whirr for spinning, a gliding tone for growing and shrinking, and the
 * room tone under everything. Each voice's gain is calibrated so that its reference rate (level 1) measures about
 * -16 LUFS on its own: levels are absolute, never normalised per clip.
 */
import { SAMPLE_RATE } from './pcm';
import { CONTROL_BLOCK, smooth, smoothstep, StateVariableFilter, whiteNoise } from './dsp';

/** How level follows a rate: compressed, so twice the speed is 1.5 dB louder, not 6. */
const LEVEL_EXPONENT = 0.25;
/** The loudest a voice gets, relative to level 1 (+2 dB): very fast motion must not bury the impacts. */
const MAX_LEVEL = 1.25;
/** Control curves glide over this long, so a level or pitch change never clicks. */
const GLIDE_SECONDS = 0.03;

/** Rates below this fade out fast (a drifting object is silent), above it the compressed curve applies. */
const KNEE = 0.35;

/** Amplitude for a rate relative to its reference (1 → 1, 0 → 0). */
export function levelFor(rate: number): number {
  const r = Math.max(0, rate);
  return Math.min(MAX_LEVEL, r ** LEVEL_EXPONENT * smoothstep(r / KNEE));
}

/**
 * Movement: white noise through a band-pass whose centre rises with speed (670 Hz at slow, 900 Hz at fast, 2 kHz at
 * most), level from `motion` (1 = steady motion). The band-pass output is scaled by the square root of its
 * bandwidth, so the brightness changes without changing the level.
 */
export function whoosh(motion: Float32Array, seed: number): Float32Array {
  const noise = whiteNoise(seed, motion.length);
  // Two band-pass stages: one alone leaves a hiss of 6 dB per octave above the band.
  const stages = [new StateVariableFilter(1.2), new StateVariableFilter(1.2)];
  const speed = smooth(Float32Array.from(motion), GLIDE_SECONDS);
  const out = new Float32Array(motion.length);
  let gain = 0;
  for (let i = 0; i < out.length; i++) {
    if (i % CONTROL_BLOCK === 0) {
      const m = speed[i]!;
      const centre = 500 * 2 ** Math.min(2, 0.6 * m);
      for (const stage of stages) stage.tune(centre);
      // Band-passed white noise has power ∝ bandwidth = centre / Q: normalise to the 1 kHz band.
      gain = levelFor(m) * Math.sqrt(1000 / centre) * WHOOSH_GAIN;
    }
    out[i] = stages[1]!.process(stages[0]!.process(noise[i]!)) * gain;
  }
  return out;
}
/** Calibrated: Kineto-Shapes' slow and fast straight-line clips measure -17.0 and -15.0 LUFS (foley.test.ts). */
const WHOOSH_GAIN = 1.66;

/**
 * Spinning: a buzzing tone whose pitch rises with the rotation rate (`spin`, rad/s), pulsing each time a corner of the
 * `corners`-cornered object comes round, over a little band-passed noise. Level 1 at SPIN_REFERENCE rad/s.
 */
export function whirr(spin: Float32Array, corners: number, seed: number): Float32Array {
  const noise = whiteNoise(seed, spin.length);
  const filter = new StateVariableFilter(2);
  // Spin comes and goes with the tracker's confidence: a slower glide keeps that from sounding like a blow.
  const rate = smooth(Float32Array.from(spin, Math.abs), 4 * GLIDE_SECONDS);
  const out = new Float32Array(spin.length);
  let phase = 0;
  let pulse = 0;
  for (let i = 0; i < out.length; i++) {
    const w = rate[i]!;
    const pitch = 70 + 50 * w;
    phase = (phase + pitch / SAMPLE_RATE) % 1;
    pulse = (pulse + (corners * w) / (2 * Math.PI) / SAMPLE_RATE) % 1;
    let buzz = 0;
    for (let h = 1; h <= 5; h++) buzz += Math.sin(2 * Math.PI * h * phase) / h;
    if (i % CONTROL_BLOCK === 0) filter.tune(6 * pitch);
    const air = filter.process(noise[i]!);
    const beat = 0.65 + 0.35 * Math.cos(2 * Math.PI * pulse);
    out[i] = (0.8 * buzz + 1.5 * air) * beat * levelFor(w / SPIN_REFERENCE) * WHIRR_GAIN;
  }
  return out;
}
/** Rotation that counts as level 1, rad/s: between Kineto-Shapes' slow (0.96) and fast (2.4) spins. */
export const SPIN_REFERENCE = 1.5;
/** Calibrated: slow and fast spinning clips measure about -17.5 and -15 LUFS. */
const WHIRR_GAIN = 0.36;

/**
 * Growing or shrinking: a soft tone (fundamental, octave, twelfth) whose pitch follows the object's size, so it rises
 * as the object grows and falls as it shrinks; level from the growth rate (`growth`, 1/s; level 1 at
 * GROWTH_REFERENCE). `size` is the object's radius relative to the frame.
 */
export function glide(growth: Float32Array, size: Float32Array): Float32Array {
  const rate = smooth(Float32Array.from(growth, Math.abs), GLIDE_SECONDS);
  const radius = smooth(Float32Array.from(size), GLIDE_SECONDS);
  const out = new Float32Array(growth.length);
  let phase = 0;
  for (let i = 0; i < out.length; i++) {
    const pitch = Math.min(1500, Math.max(150, 440 * (radius[i]! / 0.15)));
    phase = (phase + pitch / SAMPLE_RATE) % 1;
    const tone = Math.sin(2 * Math.PI * phase) + 0.3 * Math.sin(4 * Math.PI * phase) + 0.1 * Math.sin(6 * Math.PI * phase);
    out[i] = tone * levelFor(rate[i]! / GROWTH_REFERENCE) * GLIDE_GAIN;
  }
  return out;
}
/** Growth that counts as level 1, per second: between Kineto-Shapes' slow (0.27) and fast (0.59) growth. */
export const GROWTH_REFERENCE = 0.4;
/** Calibrated: slow growing and shrinking clips measure about -16 LUFS. */
const GLIDE_GAIN = 0.26;

/**
 * The room: quiet, slightly dark noise, different in each ear, so a still clip is not dead silence. `seed` chooses
 * the noise; level ROOM_TONE_DB RMS per channel.
 */
export function roomTone(length: number, seed: number): Float32Array {
  const noise = whiteNoise(seed, length);
  const out = new Float32Array(length);
  const a = 1 - Math.exp((-2 * Math.PI * 600) / SAMPLE_RATE);
  let y = 0;
  // A one-pole low-pass passes a/(2 − a) of white noise's power; uniform noise has RMS 1/√3.
  const gain = 10 ** (ROOM_TONE_DB / 20) / Math.sqrt(a / (2 - a) / 3);
  for (let i = 0; i < length; i++) out[i] = (y += (noise[i]! - y) * a) * gain;
  return out;
}
export const ROOM_TONE_DB = -50;
