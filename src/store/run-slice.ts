/**
 * One generation at a time: its status and progress, the latest x̂0 preview, the last result (an object URL, with the
 * Blob handles behind it for the Library; never decoded pixels) and the last error. `runProgress` turns the state
 * into the bar and its line.
 */
import type { StateCreator } from 'zustand';
import type { ErrorInfo } from '../engine/errors';
import type { ClipFacts, ClipPart, GenerateStage } from '../worker/protocol';
import type { KinetoState } from './index';

export type RunStatus = 'idle' | 'running' | 'cancelling';
/** How the last run ended; null before the first run. */
export type RunOutcome = 'done' | 'cancelled' | 'failed' | null;

/** The latest step preview: RGBA frames at `width`×`height` (the model's estimate x̂0 after `step`). */
export type Preview = { width: number; height: number; frames: Uint8ClampedArray[]; step: number; totalSteps: number };

export type RunState = {
  status: RunStatus;
  /** Worker request id of the run in flight, for cancel. */
  requestId: number | null;
  stage: GenerateStage | null;
  /** Steps completed (1-based as sent by the worker) out of totalSteps. */
  step: number;
  totalSteps: number;
  timestep: number | null;
  /** Frames encoded out of totalFrames. */
  frame: number;
  totalFrames: number;
  /** Frames per second the preview animates at (the run's fps). */
  fps: number;
  preview: Preview | null;
  /** Step previews received in this run (the canvas exposes it as data-preview-steps). */
  previewSteps: number;
  outcome: RunOutcome;
};

/**
 * A finished clip: its facts as the worker filled them, and the Blobs behind it. `url` is an object URL of `video`
 * that the store owns and revokes when a newer result replaces it.
 */
export type RunResult = {
  facts: ClipFacts;
  url: string;
  /** The clip's bytes behind `url`, for the Library to keep without reading them back. */
  video: Blob;
  /** A small JPEG for the Library's grid, made in the worker; null when none could be made. */
  poster: Blob | null;
  /** Where each part of a clip made longer with Extend begins (worker/kept-clip.ts). */
  parts?: ClipPart[];
};

export type RunSlice = {
  run: RunState;
  result: RunResult | null;
  /** The last failure of any request (probe, load, generate); cleared by the next attempt or by dismissing. */
  error: ErrorInfo | null;

  dismissError(): void;
};

export const idleRun: RunState = {
  status: 'idle',
  requestId: null,
  stage: null,
  step: 0,
  totalSteps: 0,
  timestep: null,
  frame: 0,
  totalFrames: 0,
  fps: 8,
  preview: null,
  previewSteps: 0,
  outcome: null,
};

export const createRunSlice: StateCreator<KinetoState, [], [], RunSlice> = (set) => ({
  run: idleRun,
  result: null,
  error: null,
  dismissError: () => set({ error: null }),
});

/** Share of the bar each stage ends at (percent); denoising dominates the time. */
const STAGE_END: Record<GenerateStage, number> = { 'encode-text': 2, denoise: 85, decode: 90, 'encode-video': 100 };

function fraction(done: number, total: number): number {
  return total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
}

/** The generation bar's value (0–100, integer) and its text line. */
export function runProgress(run: RunState): { percent: number; label: string } {
  if (run.status === 'idle') {
    switch (run.outcome) {
      case 'done':
        return { percent: 100, label: 'Done' };
      case 'cancelled':
        return { percent: 0, label: 'Cancelled' };
      case 'failed':
        return { percent: 0, label: 'Failed' };
      case null:
        return { percent: 0, label: 'Ready when you are' };
    }
  }
  const prefix = run.status === 'cancelling' ? 'Cancelling — ' : '';
  const stage = run.stage ?? 'encode-text';
  let percent: number;
  let label: string;
  switch (stage) {
    case 'encode-text':
      percent = 0;
      label = 'Encoding the prompt';
      break;
    case 'denoise':
      percent = STAGE_END['encode-text'] + (STAGE_END.denoise - STAGE_END['encode-text']) * fraction(run.step, run.totalSteps);
      label = `Denoising — step ${run.step} / ${run.totalSteps}`;
      break;
    case 'decode':
      percent = STAGE_END.denoise;
      label = 'Decoding';
      break;
    case 'encode-video':
      percent = STAGE_END.decode + (STAGE_END['encode-video'] - STAGE_END.decode) * fraction(run.frame, run.totalFrames);
      label = `Encoding video — frame ${run.frame} / ${run.totalFrames}`;
      break;
  }
  return { percent: Math.round(percent), label: prefix + label };
}
