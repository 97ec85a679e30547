/**
 * Worker events (progress, previews, notices) into the store: `applyWorkerEvent` is the one entry, and its pure
 * core `reduceWorkerEvent` turns an event into a store patch.
 */
import type { WorkerEvent } from '../worker/protocol';
import type { EngineContext } from './engine-context';
import { MAX_NOTICES } from './engine-slice';
import type { KinetoState } from './index';

export type WorkerEventActions = {
  /** The one entry for worker events. */
  applyWorkerEvent(event: WorkerEvent): void;
};

/** The store patch for one worker event. Events for a stage that is not active are dropped. */
export function reduceWorkerEvent(s: KinetoState, e: WorkerEvent): Partial<KinetoState> {
  switch (e.type) {
    case 'load-progress': {
      const progress = { stage: e.stage, file: e.file, loadedBytes: e.loadedBytes, totalBytes: e.totalBytes };
      if (s.model.status === 'loading') return { model: { status: 'loading', ...progress } };
      if (s.switching?.status === 'loading') return { switching: { ...s.switching, ...progress } };
      return {};
    }
    case 'stage':
      if (s.run.status === 'idle') return {};
      return { run: { ...s.run, stage: e.stage } };
    case 'step': {
      if (s.run.status === 'idle') return {};
      const { width, height, frames } = e.preview;
      return {
        run: {
          ...s.run,
          stage: 'denoise',
          step: e.step,
          totalSteps: e.totalSteps,
          timestep: e.timestep,
          preview: frames.length > 0 ? { width, height, frames, step: e.step, totalSteps: e.totalSteps } : s.run.preview,
          previewSteps: s.run.previewSteps + (frames.length > 0 ? 1 : 0),
        },
      };
    }
    case 'frame':
      if (s.run.status === 'idle') return {};
      // `frame` is the 0-based index of the frame just handed to the encoder; the run counts frames done.
      return { run: { ...s.run, stage: 'encode-video', frame: e.frame + 1, totalFrames: e.totalFrames } };
    case 'notice':
      return {
        notices: [...s.notices, { id: s.nextNoticeId, message: e.message }].slice(-MAX_NOTICES),
        nextNoticeId: s.nextNoticeId + 1,
      };
    case 'backend':
      if (s.model.status !== 'ready') return {};
      return { model: { ...s.model, backendInfo: e.info } };
    case 'download-progress':
      if (!s.download) return {};
      return { download: { ...s.download, progress: e.progress } };
    default: {
      const unhandled: never = e;
      return unhandled;
    }
  }
}

export function createWorkerEventActions({ set }: EngineContext): WorkerEventActions {
  return { applyWorkerEvent: (event) => set((s) => reduceWorkerEvent(s, event)) };
}
