/** Kineto's sound buffers: planar stereo float PCM at one fixed rate. */

/** Every track Kineto makes is 48 kHz: Opus requires it, AAC-LC and WAV carry it, BS.1770 gives its filters for it. */
export const SAMPLE_RATE = 48_000;

/** Stereo PCM, samples in [-1, 1] (a limiter keeps them there), `left.length === right.length`. */
export type StereoPcm = { sampleRate: number; left: Float32Array; right: Float32Array };

/** Silent stereo PCM of `length` samples per channel. */
export function silence(length: number): StereoPcm {
  return { sampleRate: SAMPLE_RATE, left: new Float32Array(length), right: new Float32Array(length) };
}

/** Samples per channel of a clip of `frameCount` frames at `fps`: the video's duration, rounded to a sample. */
export function samplesForFrames(frameCount: number, fps: number): number {
  return Math.round((frameCount * SAMPLE_RATE) / fps);
}

/** Decibels of a linear amplitude (or of a power, with `power`). */
export function toDb(value: number, power = false): number {
  return (power ? 10 : 20) * Math.log10(value);
}

/** Linear amplitude of `db` decibels. */
export function fromDb(db: number): number {
  return 10 ** (db / 20);
}
