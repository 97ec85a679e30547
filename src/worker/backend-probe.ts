/**
 * The worker side of Auto: loads the model on each candidate backend, times one step on each
 * (runtime/step-timer.ts), keeps the faster and releases the other. A backend that fails to load or run is reported
 * and skipped. The rules for when to time at all are in engine/backend-choice.ts.
 */
import { type Backend, BACKEND_LABELS, type BackendSelection, type BackendTiming, pickMeasured } from '../engine/backend-choice';
import { KinetoError } from '../engine/errors';
import type { LoadedModel } from '../runtime/load-model';
import { timeDenoiserStep } from '../runtime/step-timer';

export type ProbeHooks = {
  /** The model loaded on `backend` (its sessions created). */
  load(backend: Backend): Promise<LoadedModel>;
  /** Before each backend is loaded and timed. */
  onBackend?(backend: Backend): void;
  /** A sentence for the person (a backend that failed). */
  onNotice(message: string): void;
};

/** The model on the fastest of `candidates`, and why. Throws when none of them could load and run it. */
export async function loadFastest(candidates: readonly Backend[], hooks: ProbeHooks): Promise<{ model: LoadedModel; selection: BackendSelection }> {
  const timings: BackendTiming[] = [];
  const models = new Map<Backend, LoadedModel>();
  for (const backend of candidates) {
    hooks.onBackend?.(backend);
    let model: LoadedModel | null = null;
    try {
      model = await hooks.load(backend);
      timings.push({ backend, msPerStep: await timeDenoiserStep(model) });
      models.set(backend, model);
    } catch (e) {
      await model?.release().catch(() => {});
      const error = e instanceof Error ? e.message : String(e);
      timings.push({ backend, error });
      hooks.onNotice(`${BACKEND_LABELS[backend]} failed while Kineto timed the backends (${error}); it is skipped.`);
    }
  }
  const selection = pickMeasured(timings);
  const model = models.get(selection.backend);
  for (const [backend, m] of models) if (backend !== selection.backend) await m.release();
  if (!model) {
    const why = timings.map((t) => `${BACKEND_LABELS[t.backend]}: ${'error' in t ? t.error : 'not timed'}`).join('; ');
    throw new KinetoError('model-load-failed', `The model could not run on any backend (${why}).`);
  }
  return { model, selection };
}
