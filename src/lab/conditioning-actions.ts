/**
 * The Conditioning view's actions (part of the Lab slice): how the continuation starts and for how long, and running
 * it in the worker with the Lab's prompt and sampler settings. Progress counts the steps of all windows; Stop keeps
 * the windows made.
 */
import type { ErrorInfo } from '../engine/errors';
import type { KinetoState } from '../store';
import { conditioningFrames, type ConditioningStart, secondsProblem } from './conditioning';
import { checkSettings } from './lab-settings';
import type { LabState } from './lab-state';

/** What the status line says while the continuation runs (and the task that shows Stop). */
export const CONDITIONING_TASK = 'Running the continuation';

export type ConditioningActions = {
  setConditioningStart(start: ConditioningStart): void;
  setConditioningSeconds(seconds: number): void;
  runConditioning(): Promise<void>;
};

export function conditioningActions(get: () => KinetoState, patch: (p: Partial<LabState>) => void, errorOf: (e: unknown) => ErrorInfo): ConditioningActions {
  const setConditioning = (p: Partial<LabState['conditioning']>) => patch({ conditioning: { ...get().lab.conditioning, ...p } });
  return {
    // New settings describe another continuation: the view draws its plan instead of the last one run.
    setConditioningStart: (start) => setConditioning({ start, result: null }),
    setConditioningSeconds: (seconds) => setConditioning({ seconds, result: null }),
    runConditioning: async () => {
      const { status, settings, run, conditioning } = get().lab;
      const model = get().model;
      if (status !== 'idle' || model.status !== 'ready') return;
      const m = model.manifest;
      const { start, seconds } = conditioning;
      // The Lab's prompt and sampler; the frame count is the continuation's (the engine splits it into windows).
      const { params, problems } = checkSettings({ ...settings, frames: m.defaults.frames }, m, 'Settings');
      const tooLong = secondsProblem(seconds);
      const needsRun = start !== 'text' && (!run || run.stopped) ? 'Press Run first (and let it finish): this start takes the frames of the Lab’s run.' : null;
      if (!params || tooLong || needsRun) {
        patch({ messages: [...problems, ...[tooLong, needsRun].filter((x) => x !== null)] });
        return;
      }
      const frames = conditioningFrames(seconds, params.fps);
      patch({ status: 'running', task: CONDITIONING_TASK, progress: { step: 0, totalSteps: params.steps }, error: null, messages: [] });
      try {
        const reply = await get().labRequest(
          { type: 'lab-conditioning', params: { ...params, frames }, start, ...(start !== 'text' && run ? { runId: run.runId } : {}) },
          (e) => e.type === 'step' && patch({ progress: { step: e.step, totalSteps: e.totalSteps } }),
          (id) => patch({ requestId: id }),
        );
        setConditioning({ result: reply });
        if (reply.stopped) patch({ messages: [`The continuation stopped after ${reply.windows.length} of ${reply.plan.length} windows; those are kept.`] });
      } catch (e) {
        patch({ error: errorOf(e) });
      } finally {
        patch({ status: 'idle', task: null, requestId: null, progress: null });
      }
    },
  };
}
