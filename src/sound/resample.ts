/**
 * 48 kHz → 32 kHz, for MP4's AAC where the WASM encoder does the work (video/aac-stream.ts): at 128 kb/s stereo
 * libavcodec's AAC-LC keeps nothing above about 17 kHz at 48 kHz, so at 32 kHz it carries a band flat to 12 kHz and
 * gone by 17 kHz (the foley's energy lies far below) in two thirds of the frames: a quarter less of the encoder's time.
 *
 * A polyphase windowed-sinc filter (Smith, "Digital Audio Resampling", ccrma.stanford.edu/~jos/resample): output
 * sample m lies at input position 1.5 m, a whole sample for even m and half-way between two for odd m, so two
 * fixed sets of taps do all the work.
 */
import { SAMPLE_RATE, type StereoPcm } from './pcm';

export const AAC_SAMPLE_RATE = 32_000;

/** Taps either side of an output sample's position, in input samples. */
const HALF_WIDTH = 12;
/** Where the filter is half down (−6 dB), in Hz: under the output's 16 kHz, so what folds over is the filter's stop band. */
const CUTOFF_HZ = 15_000;
/** Kaiser window shape: about 50 dB down in the stop band. */
const KAISER_BETA = 5;

/** The zeroth-order modified Bessel function of the first kind, by its series (converges fast for the β used). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; term > 1e-12 * sum; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
  }
  return sum;
}

/**
 * The taps of an output `offset` (0 or ½) samples past input sample k: one for each input k + d with
 * |d − offset| < HALF_WIDTH, from the lowest d (`first`) up, summing to 1. Symmetric about the output's position.
 */
function phaseTaps(offset: number): { first: number; taps: Float64Array } {
  const fc = CUTOFF_HZ / SAMPLE_RATE;
  const first = -HALF_WIDTH + 1;
  const taps = new Float64Array(Math.ceil(HALF_WIDTH + offset) - first);
  for (let j = 0; j < taps.length; j++) {
    const t = first + j - offset;
    const sinc = t === 0 ? 1 : Math.sin(2 * Math.PI * fc * t) / (2 * Math.PI * fc * t);
    taps[j] = sinc * besselI0(KAISER_BETA * Math.sqrt(1 - (t / HALF_WIDTH) ** 2));
  }
  const sum = taps.reduce((a, v) => a + v, 0);
  return { first, taps: taps.map((v) => v / sum) };
}

/** Output samples m = `phase`, `phase` + 2, … of `x` into `out` (input position 1.5 m). */
function resamplePhase(x: Float32Array, out: Float32Array, phase: 0 | 1): void {
  const { first, taps } = phaseTaps(phase / 2);
  const width = taps.length;
  const half = width >> 1;
  const last = x.length - 1;
  for (let m = phase; m < out.length; m += 2) {
    const base = ((3 * m) >> 1) + first;
    let acc = 0;
    if (base >= 0 && base + width - 1 <= last) {
      // The taps are symmetric: each pair of samples shares one multiply.
      for (let j = 0; j < half; j++) acc += taps[j]! * (x[base + j]! + x[base + width - 1 - j]!);
      if (width & 1) acc += taps[half]! * x[base + half]!;
    } else {
      // At the ends, samples outside the track count as silence.
      for (let j = 0; j < width; j++) {
        const i = base + j;
        if (i >= 0 && i <= last) acc += taps[j]! * x[i]!;
      }
    }
    out[m] = acc;
  }
}

function channel(x: Float32Array, length: number): Float32Array {
  const out = new Float32Array(length);
  resamplePhase(x, out, 0);
  resamplePhase(x, out, 1);
  return out;
}

/** `pcm` (48 kHz) at 32 kHz: two output samples for every three, the last one covering the input's end. */
export function resampleTo32kHz(pcm: StereoPcm): StereoPcm {
  if (pcm.sampleRate !== SAMPLE_RATE) throw new RangeError(`resampleTo32kHz: sound must be ${SAMPLE_RATE} Hz, got ${pcm.sampleRate}.`);
  const length = Math.ceil((2 * pcm.left.length) / 3);
  return { sampleRate: AAC_SAMPLE_RATE, left: channel(pcm.left, length), right: channel(pcm.right, length) };
}
