/**
 * Running the model: the draft validated and sent as one `generate` request, its events shown as progress, its
 * reply kept as the result (an object URL the store revokes when a newer result replaces it), and cancelling.
 */
import { validateParams } from '../engine/params';
import type { GenerateParams } from '../engine/types';
import { modelFrameSize } from '../engine/continuation';
import { modelPicture } from '../films/model-picture';
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
  /**
   * Adds `EXTEND_SECONDS` to the clip on screen, continuing from its last frames: with its own prompt, or with
   * `prompt` (Continue with a new prompt).
   */
  extend(prompt?: string): Promise<void>;
  /** Asks the worker to stop the active run; the run then ends as cancelled, not as an error. */
  cancel(): Promise<void>;
};

/** What Extend adds to a clip, in seconds. */
export const EXTEND_SECONDS = 2;

export function createRunActions(ctx: EngineContext): RunActions {
  const { set, get } = ctx;
  /**
   * Runs `params` in the worker and keeps the reply as the result: after the clip it made last (`extend`), or from
   * `picture` to `endPicture` (letterboxed here, at the size of the model in use, which may have changed since they
   * were chosen), with Smooth motion when asked.
   */
  const runClip = async (params: GenerateParams, from: { extend?: true; picture?: Blob; endPicture?: Blob; smoothMotion?: boolean } = {}) => {
    const s = get();
    if (s.model.status !== 'ready') return;
    const { manifest, manifestSha256, backendInfo } = s.model;
    const tags = provenanceTags({ version: KINETO_VERSION, modelId: manifest.id, manifestSha256, backend: backendInfo.backend, params }, { includePrompt: s.promptInFile });
    set({
      error: null,
      run: { ...idleRun, status: 'running', stage: 'encode-text', totalSteps: params.steps, totalFrames: params.frames, fps: params.fps },
    });
    const runClient = ensureClient(ctx);
    try {
      const fit = async (picture: Blob) => (await modelPicture(picture, modelFrameSize(manifest))).frame;
      // Without pictures the request leaves at once (no await before it).
      const startImage = from.picture && (await fit(from.picture));
      const endImage = from.endPicture && (await fit(from.endPicture));
      const reply = await runClient.send(
        {
          type: 'generate', params, container: s.container, preview: s.previewMode, manifestSha256, sound: s.sound, tags,
          ...(from.extend ? { extend: true } : {}), ...(startImage ? { startImage } : {}), ...(endImage ? { endImage } : {}),
          ...(from.smoothMotion ? { smoothMotion: true } : {}),
        },
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
  };
  return {
    generate: async () => {
      const s = get();
      if (s.run.status !== 'idle' || s.model.status !== 'ready') return;
      const params = draftToParams(s.draft);
      const issues = validateParams(params, s.model.manifest);
      s.setIssues(issues);
      if (issues.length > 0) return;
      await runClip(params, { picture: s.startImage?.file, endPicture: s.endImage?.file, smoothMotion: s.smoothMotion });
    },

    extend: async (prompt) => {
      const { run, result } = get();
      if (run.status !== 'idle' || !result) return;
      const p = result.facts.params;
      await runClip({ ...p, prompt: prompt?.trim() || p.prompt, frames: Math.round(EXTEND_SECONDS * p.fps) }, { extend: true });
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
