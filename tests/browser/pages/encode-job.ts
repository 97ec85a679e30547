/** One encoder run as the tests and the benchmark describe it; DOM-free so the page and the worker share it. */
import { CancelledError, KinetoError } from '../../../src/engine/errors';
import { encodeVideo } from '../../../src/video/encode';
import type { Container } from '../../../src/video/codec';
import { movingSquareFrames } from './synthetic';

/** What to encode: `frames` synthetic frames of `size`², encoded at `outputWidth`×`outputHeight`. */
export type EncodeJob = {
  frames: number;
  size: number;
  outputWidth: number;
  outputHeight: number;
  fps: number;
  container: Container;
  /** Abort once this frame index has been handed to the encoder (tests cancellation). */
  abortAfterFrame?: number;
  /** Encode this many times and report each run's time (the first run includes encoder start-up). */
  repeat?: number;
};

/** The outcome, in structured-clone-friendly form. */
export type EncodeJobResult =
  | {
      ok: true;
      bytes: ArrayBuffer;
      mimeType: string;
      codec: string;
      width: number;
      height: number;
      adjustedFrom: { width: number; height: number } | null;
      frameCount: number;
      durationSeconds: number;
      /** Calls of onFrame, which should equal frameCount. */
      progressCalls: number;
      /** Wall time of each encodeVideo call (resize + encode + mux), ms. */
      runsMs: number[];
    }
  | { ok: false; name: string; code: string | null; message: string };

export async function runEncodeJob(job: EncodeJob): Promise<EncodeJobResult> {
  const frames = movingSquareFrames(job.frames, job.size);
  const runsMs: number[] = [];
  let progressCalls = 0;
  let last = null;
  try {
    for (let run = 0; run < (job.repeat ?? 1); run++) {
      const controller = new AbortController();
      progressCalls = 0;
      const t0 = performance.now();
      last = await encodeVideo(frames, job.size, job.size, {
        fps: job.fps,
        container: job.container,
        outputWidth: job.outputWidth,
        outputHeight: job.outputHeight,
        signal: controller.signal,
        onFrame: (i) => {
          progressCalls++;
          if (i === job.abortAfterFrame) controller.abort();
        },
      });
      runsMs.push(performance.now() - t0);
    }
  } catch (e) {
    const name = e instanceof CancelledError ? 'CancelledError' : e instanceof Error ? e.name : 'unknown';
    return { ok: false, name, code: e instanceof KinetoError ? e.code : null, message: String(e) };
  }
  if (!last) throw new Error('runEncodeJob: repeat must be at least 1');
  const { blob, ...info } = last;
  return { ok: true, bytes: await blob.arrayBuffer(), ...info, progressCalls, runsMs };
}
