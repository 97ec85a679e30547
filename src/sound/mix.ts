/**
 * Cues → stereo PCM: the voices (voices.ts, struck.ts) placed and panned, summed at their calibrated levels and held
 * under -1 dBTP by the limiter. Levels are absolute, never normalised per clip: steady motion (level 1) measures about
 * -16 LUFS, a still clip only the room tone, about 30 dB lower.
 */
import { controlSignal, type Impact, type SoundCues } from './cues';
import { CONTROL_BLOCK, voiceSeed } from './dsp';
import { limitTruePeak } from './limiter';
import { fromDb, SAMPLE_RATE, samplesForFrames, silence, type StereoPcm } from './pcm';
import { strike } from './struck';
import { glide, GROWTH_REFERENCE, levelFor, roomTone, SPIN_REFERENCE, whirr, whoosh } from './voices';

/** Level of a full-strength impact relative to struck.ts's (−6 dBFS RMS over its first 30 ms). */
const IMPACT_DB = 0;
/** How far the continuous voices dip under a full-strength impact. */
const DUCK_DB = -14;
const CORNERS = { circle: 0, triangle: 3, square: 4, star: 5 } as const;

/** Equal-power pan of position `x` (0 = left … 1 = right): [left gain, right gain], each √½ in the middle. */
export function panGains(x: number): [number, number] {
  const angle = (Math.PI / 2) * Math.min(1, Math.max(0, x));
  return [Math.cos(angle), Math.sin(angle)];
}

/** Adds mono `voice` into `out` from sample `at`, panned to the fixed position `x`. */
function addPanned(out: StereoPcm, voice: Float32Array, x: number, at: number): void {
  const [l, r] = panGains(x);
  for (let i = 0; i < voice.length && at + i < out.left.length; i++) {
    out.left[at + i]! += voice[i]! * l;
    out.right[at + i]! += voice[i]! * r;
  }
}

/**
 * Per sample, the left and right gains of the continuous voices: the pan curve `pan` times the ducking gain `duck`
 * and the shared level `share`. Made once for all of them; the pan's cosines are taken once every CONTROL_BLOCK
 * samples, as the voices retune (the object moves a thousandth of the frame in that time).
 */
function panCurves(pan: Float32Array, duck: Float32Array, share: Float32Array): [Float32Array, Float32Array] {
  const left = new Float32Array(pan.length);
  const right = new Float32Array(pan.length);
  let [l, r] = [0, 0];
  for (let i = 0; i < pan.length; i++) {
    if (i % CONTROL_BLOCK === 0) [l, r] = panGains(pan[i]!);
    const weight = duck[i]! * share[i]!;
    left[i] = l * weight;
    right[i] = r * weight;
  }
  return [left, right];
}

/** The clip's sound: every voice its cues call for, over the room tone, limited. Deterministic for a given `seed`. */
export function renderCues(cues: SoundCues, seed: number): StereoPcm {
  const length = samplesForFrames(cues.frameCount, cues.fps);
  const out = silence(length);
  const signal = (values: Float32Array) => controlSignal(values, cues.fps, length);
  const pan = signal(cues.x);
  const room = [roomTone(length, voiceSeed(seed, 0)), roomTone(length, voiceSeed(seed, 1))];
  out.left.set(room[0]!);
  out.right.set(room[1]!);
  const corners = cues.shape ? CORNERS[cues.shape] : 0;
  const spins = corners > 0 && cues.spin.some((w) => w !== 0);
  const grows = cues.growth.some((g) => g !== 0);
  const duck = duckingGain(cues, length);
  const share = signal(sharedLevel(cues, spins, grows));
  const [left, right] = panCurves(pan, duck, share);
  const continuous = (voice: Float32Array) => {
    for (let i = 0; i < length; i++) {
      out.left[i]! += voice[i]! * left[i]!;
      out.right[i]! += voice[i]! * right[i]!;
    }
  };
  continuous(whoosh(signal(cues.motion), voiceSeed(seed, 2)));
  if (spins) continuous(whirr(signal(cues.spin), corners, voiceSeed(seed, 3)));
  if (grows) continuous(glide(signal(cues.growth), signal(cues.size)));
  cues.impacts.forEach((hit, i) => addImpact(out, cues, hit, voiceSeed(seed, 4 + i)));
  return limitTruePeak(out);
}

/**
 * Per frame, a gain for the continuous voices so that together they are as loud as the strongest alone: an object
 * that moves and turns and grows is heard doing all three, not three times as loud. Each voice's amplitude is
 * proportional to its level (voices.ts `levelFor`), so scaling all by max / √(Σ level²) keeps the total power at the
 * strongest voice's.
 */
function sharedLevel(cues: SoundCues, spins: boolean, grows: boolean): Float32Array {
  return cues.motion.map((m, i) => {
    const levels = [levelFor(m), spins ? levelFor(Math.abs(cues.spin[i]!) / SPIN_REFERENCE) : 0, grows ? levelFor(Math.abs(cues.growth[i]!) / GROWTH_REFERENCE) : 0];
    const total = Math.hypot(...levels);
    return total > 0 ? Math.max(...levels) / total : 1;
  });
}

/**
 * A gain for the continuous voices that dips under every impact (down over the 40 ms before it, as the object closes
 * on what it hits; held 60 ms; back over 150 ms), by up to DUCK_DB at full strength: the blow is heard as a blow, not
 * lost in the whoosh.
 */
function duckingGain(cues: SoundCues, length: number): Float32Array {
  const gain = new Float32Array(length).fill(1);
  const [fall, hold, rise] = [0.04, 0.06, 0.15].map((s) => Math.round(s * SAMPLE_RATE)) as [number, number, number];
  for (const hit of cues.impacts) {
    const at = Math.round((hit.frame / cues.fps) * SAMPLE_RATE);
    const floor = fromDb(DUCK_DB * hit.strength);
    for (let n = Math.max(0, at - fall); n < Math.min(length, at + hold + rise); n++) {
      const k = n - at;
      const depth = k < 0 ? (k + fall) / fall : k < hold ? 1 : 1 - (k - hold) / rise;
      gain[n] = Math.min(gain[n]!, 1 - (1 - floor) * depth);
    }
  }
  return gain;
}

function addImpact(out: StereoPcm, cues: SoundCues, hit: Impact, seed: number): void {
  const at = Math.max(0, Math.round((hit.frame / cues.fps) * SAMPLE_RATE));
  if (at >= out.left.length) return;
  const frame = Math.min(cues.frameCount - 1, Math.max(0, Math.round(hit.frame)));
  // A wall rings a little harder than a turn in open space.
  const strength = fromDb(IMPACT_DB) * hit.strength * (hit.wall ? 1 : 0.7);
  addPanned(out, strike(cues.shape ?? 'circle', cues.size[frame] ?? 0.12, strength, seed, out.left.length - at), hit.x, at);
}
