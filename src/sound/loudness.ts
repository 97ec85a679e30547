/**
 * Programme loudness after ITU-R BS.1770-4 ("Algorithms to measure audio programme loudness and true-peak audio
 * level", 2015), integrated over a whole track: K-weighting (§2.1, the two 48 kHz biquads of Tables 1 and 2), mean
 * square per 400 ms block with 75 % overlap, an absolute gate at -70 LKFS and a relative gate 10 LU below the loudness
 * of the blocks that pass it (§2.2, equations 2, 4-7). Channel weights G = 1 (left and right).
 *
 * Reference points (§2.1 and EBU Tech 3341): a 1 kHz sine at 0 dBFS peak in one channel reads -3.01 LKFS; the same
 * sine at -20 dBFS in both channels reads -20.0.
 */
import { SAMPLE_RATE, toDb } from './pcm';

type Biquad = { b0: number; b1: number; b2: number; a1: number; a2: number };

/** Stage 1, the head's acoustic effect: a high shelf of about +4 dB above 1.5 kHz (Table 1). */
const PRE_FILTER: Biquad = { b0: 1.53512485958697, b1: -2.69169618940638, b2: 1.19839281085285, a1: -1.69065929318241, a2: 0.73248077421585 };
/** Stage 2, the RLB weighting: a second-order high-pass near 38 Hz (Table 2). */
const RLB_FILTER: Biquad = { b0: 1, b1: -2, b2: 1, a1: -1.99004745483398, a2: 0.99007225036621 };

/** Gating blocks of 400 ms overlapping by 75 %: a new block every 100 ms step. */
const STEP_SECONDS = 0.1;
const STEPS_PER_BLOCK = 4;
const ABSOLUTE_GATE_LKFS = -70;
const RELATIVE_GATE_LU = 10;

/**
 * The K-weighted signal's energy (sum of squares) in each whole `step` of `x`: both stages in one pass, each in direct
 * form I at double precision (exact to the standard's coefficients), nothing stored per sample — this runs on every
 * clip's sound while the clip waits for it.
 */
function weightedStepEnergies(x: ArrayLike<number>, step: number): Float64Array {
  const { b0: p0, b1: p1, b2: p2, a1: pa1, a2: pa2 } = PRE_FILTER;
  const { b0: r0, b1: r1, b2: r2, a1: ra1, a2: ra2 } = RLB_FILTER;
  const energies = new Float64Array(Math.floor(x.length / step));
  let x1 = 0, x2 = 0, u1 = 0, u2 = 0, y1 = 0, y2 = 0;
  for (let k = 0; k < energies.length; k++) {
    let sum = 0;
    for (let n = k * step; n < (k + 1) * step; n++) {
      const x0 = x[n]!;
      const u0 = p0 * x0 + p1 * x1 + p2 * x2 - pa1 * u1 - pa2 * u2;
      const y0 = r0 * u0 + r1 * u1 + r2 * u2 - ra1 * y1 - ra2 * y2;
      sum += y0 * y0;
      x2 = x1; x1 = x0; u2 = u1; u1 = u0; y2 = y1; y1 = y0;
    }
    energies[k] = sum;
  }
  return energies;
}

const loudnessOf = (meanSquareSum: number) => -0.691 + toDb(meanSquareSum, true);

/**
 * Integrated loudness in LUFS (= LKFS) of `channels` sampled at 48 kHz; -Infinity when the track is shorter than one
 * 400 ms block or every block is below the absolute gate (silence).
 */
export function integratedLoudness(channels: readonly ArrayLike<number>[], sampleRate = SAMPLE_RATE): number {
  if (sampleRate !== SAMPLE_RATE) throw new RangeError(`integratedLoudness: K-weighting is tabulated for ${SAMPLE_RATE} Hz, got ${sampleRate}.`);
  const step = Math.round(STEP_SECONDS * sampleRate);
  // A block is STEPS_PER_BLOCK whole steps (400 ms of 100 ms), so its energy is the sum of theirs.
  const block = STEPS_PER_BLOCK * step;
  const energies = channels.map((c) => weightedStepEnergies(c, step));
  const steps = energies[0]?.length ?? 0;
  // z[j] = Σ_i G_i · mean square of channel i in block j (equation 4, G_i = 1).
  const z: number[] = [];
  for (let j = 0; j + STEPS_PER_BLOCK <= steps; j++) {
    let sum = 0;
    for (const e of energies) for (let k = j; k < j + STEPS_PER_BLOCK; k++) sum += e[k]!;
    z.push(sum / block);
  }
  const gatedMean = (threshold: number) => {
    const kept = z.filter((v) => loudnessOf(v) > threshold);
    return kept.length ? kept.reduce((a, v) => a + v, 0) / kept.length : 0;
  };
  const absolute = gatedMean(ABSOLUTE_GATE_LKFS);
  if (absolute === 0) return -Infinity;
  return loudnessOf(gatedMean(loudnessOf(absolute) - RELATIVE_GATE_LU));
}

/** RMS level in dBFS over both channels, ungated (a sine at 0 dBFS peak reads -3.01). */
export function rmsDb(channels: readonly ArrayLike<number>[]): number {
  let sum = 0;
  let n = 0;
  for (const c of channels) {
    for (let i = 0; i < c.length; i++) sum += c[i]! * c[i]!;
    n += c.length;
  }
  return toDb(n ? sum / n : 0, true);
}
