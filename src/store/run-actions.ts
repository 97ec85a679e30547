/**
 * Running the model: the draft validated and sent as one `generate` request, its events shown as progress, its
 * reply kept as the result (an object URL the store revokes when a newer result replaces it), and cancelling.
 */
import { validateParams } from '../engine/params';
import { isCancelled } from '../worker/protocol';
import { provenanceTags } from '../provenance/tags';
import { version as KINETO_VERSION } from '../../package.json';
import type { EngineContext } from './engine-context';
import { idleRun, type RunResult } from './run-slice';
import { draftToParams } from './settings-slice';
import { ensureClient, errorInfo } from './worker-connection';

export type RunActions = {
  /** Validates the draft; with no issues, runs it and stores the result. Does nothing while a run is active. */
  generate(): Promise<void>;
  /** Asks the worker to stop the active run; the run then ends as cancelled, not as an error. */
  cancel(): Promise<void>;
};

export function createRunActions(ctx: EngineContext): RunActions {
  const { set, get } = ctx;
  return {
    generate: async () => {
      const s = get();
      if (s.run.status !== 'idle' || s.model.status !== 'ready') return;
      const params = draftToParams(s.draft);
      const issues = validateParams(params, s.model.manifest);
      s.setIssues(issues);
      if (issues.length > 0) return;
      const { manifest, manifestSha256, backendInfo } = s.model;
      const tags = provenanceTags({ version: KINETO_VERSION, modelId: manifest.id, manifestSha256, backend: backendInfo.backend, params }, { includePrompt: s.promptInFile });
      set({
        error: null,
        run: { ...idleRun, status: 'running', stage: 'encode-text', totalSteps: params.steps, totalFrames: params.frames, fps: params.fps },
      });
      const runClient = ensureClient(ctx);
      try {
        const reply = await runClient.send(
          { type: 'generate', params, container: s.container, preview: s.previewMode, manifestSha256, sound: s.sound, tags },
          (event) => get().applyWorkerEvent(event),
          (id) => set((st) => ({ run: { ...st.run, requestId: id } })),
        );
        if (isCancelled(reply)) {
          set((st) => ({ run: { ...st.run, status: 'idle', requestId: null, stage: null, outcome: 'cancelled' }, error: null }));
          return;
        }
        const previous = get().result;
        // The worker filled the clip's facts; the page adds only the URL it plays the clip from.
        const result: RunResult = { ...reply, url: URL.createObjectURL(reply.video) };
        set((st) => ({ result, run: { ...st.run, status: 'idle', requestId: null, stage: null, outcome: 'done' } }));
        if (previous) URL.revokeObjectURL(previous.url);
      } catch (e) {
        // A worker that died mid-run has been restarted, and a notice said so: no error on top.
        const restarted = runClient !== ctx.client && get().model.status !== 'failed';
        set((st) => ({
          run: { ...st.run, status: 'idle', requestId: null, stage: null, outcome: 'failed' },
          error: restarted ? null : errorInfo(e),
        }));
      }
    },

    cancel: async () => {
      const { run } = get();
      if (run.status !== 'running' || run.requestId === null || ctx.client === null) return;
      set({ run: { ...run, status: 'cancelling' } });
      try {
        await ctx.client.cancel(run.requestId);
      } catch {
        // The run's own reply (cancelled, done or error) settles the state either way.
      }
    },
  };
}
