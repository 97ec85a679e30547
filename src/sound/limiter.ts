/**
 * A look-ahead true-peak limiter: the last stage of every Kineto track, so no clip exceeds -1 dBTP however loud its
 * events. Levels are calibrated upstream (mix.ts), not normalised here: the limiter only touches peaks.
 *
 * The gain needed at each sample is ceiling / true peak (true-peak.ts). Its minimum over the next `L` samples,
 * followed by a one-pole release and an `L + 1`-sample moving average, gives a gain that is smooth (no clicks) and,
 * at every peak, no larger than what that peak needs: the average at the peak covers only samples whose look-ahead
 * window contains it.
 */
import { fromDb, type StereoPcm } from './pcm';
import { truePeakEnvelope } from './true-peak';

/** The limit Kineto's tracks are held to. */
export const TRUE_PEAK_CEILING_DB = -1;
/** Aim a little below the ceiling: the gain moves while the signal does, and 4× oversampling can under-read. */
const TARGET_DB = TRUE_PEAK_CEILING_DB - 0.3;
const LOOKAHEAD_SECONDS = 0.002;
const RELEASE_SECONDS = 0.08;

/** Sliding minimum of `g` over [t, t + width] (monotonic deque, O(n)). */
function forwardMinimum(g: Float32Array, width: number): Float32Array {
  const out = new Float32Array(g.length);
  const deque = new Int32Array(g.length);
  let head = 0;
  let tail = 0;
  for (let i = g.length - 1; i >= 0; i--) {
    while (tail > head && g[deque[tail - 1]!]! >= g[i]!) tail--;
    deque[tail++] = i;
    while (deque[head]! > i + width) head++;
    out[i] = g[deque[head]!]!;
  }
  return out;
}

/** `pcm` limited to -1 dBTP (a new buffer; the input is untouched). Both channels share one gain, so the image holds. */
export function limitTruePeak(pcm: StereoPcm): StereoPcm {
  const n = pcm.left.length;
  const lookahead = Math.max(1, Math.round(LOOKAHEAD_SECONDS * pcm.sampleRate));
  const target = fromDb(TARGET_DB);
  const left = truePeakEnvelope(pcm.left, target);
  const right = truePeakEnvelope(pcm.right, target);
  const needed = new Float32Array(n);
  let limits = false;
  for (let i = 0; i < n; i++) {
    needed[i] = Math.min(1, target / Math.max(left[i]!, right[i]!, 1e-12));
    limits ||= needed[i]! < 1;
  }
  // A gain of 1 everywhere (most clips: the bench's steady one peaks at about -7 dBFS) leaves every sample as it is.
  if (!limits) return { sampleRate: pcm.sampleRate, left: pcm.left.slice(), right: pcm.right.slice() };
  const minimum = forwardMinimum(needed, lookahead);
  const release = 1 - Math.exp(-1 / (RELEASE_SECONDS * pcm.sampleRate));
  let g = 1;
  for (let i = 0; i < n; i++) {
    g = Math.min(minimum[i]!, g + (1 - g) * release);
    minimum[i] = g;
  }
  const out = { sampleRate: pcm.sampleRate, left: new Float32Array(n), right: new Float32Array(n) };
  // Before the first sample the average sees copies of the first minimum, which already covers any early peak.
  const first = minimum[0] ?? 1;
  let sum = first * (lookahead + 1);
  for (let i = 0; i < n; i++) {
    sum += minimum[i]! - (i > lookahead ? minimum[i - lookahead - 1]! : first);
    const gain = sum / (lookahead + 1);
    out.left[i] = pcm.left[i]! * gain;
    out.right[i] = pcm.right[i]! * gain;
  }
  return out;
}
