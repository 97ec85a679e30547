/**
 * A `warm-up` request: the default clip of a preset, made and thrown away until warm-up says stop
 * (engine/warm-up.ts); only on the CPU, where V8's tiering is what makes the first clips slow.
 */
import { defaultParams } from '../engine/params';
import { runPipeline } from '../engine/pipelines';
import { WARM_UP_LIMITS, warmUp } from '../engine/warm-up';
import { modelInUse } from './model-host';
import type { Request, Results } from './protocol';
import { nextMacrotask, othersWaiting } from './request-queue';

/**
 * Practice seconds spent in this worker, and whether a warm-up ran to its end. One budget per worker, not per model:
 * V8's optimised onnxruntime kernels serve every model the worker loads.
 */
const practice = { seconds: 0, finished: false };

/**
 * Warms up the model in use. It holds the turn, so it stops before its next model call once any other request is
 * waiting for it.
 */
export async function warmUpModel(request: Extract<Request, { type: 'warm-up' }>): Promise<Results['warm-up']> {
  const secondsLeft = WARM_UP_LIMITS.maxSeconds - practice.seconds;
  const loaded = modelInUse();
  if (!loaded || loaded.backend.backend !== 'wasm' || practice.finished || secondsLeft <= 0 || othersWaiting()) return { report: null };
  const run = await loaded.model.forPreset(request.preset ?? undefined);
  const params = defaultParams(run.manifest, '', 0, run.preset);
  const report = await warmUp(async () => {
    await runPipeline(run.manifest, run.models, params, {
      isCancelled: othersWaiting,
      // Lets the worker see a newly queued request between model calls (see nextMacrotask).
      onStep: () => nextMacrotask(),
      preview: request.preview,
    });
  }, { interrupted: othersWaiting, now: () => performance.now() / 1000, limits: { ...WARM_UP_LIMITS, maxSeconds: secondsLeft } });
  practice.seconds += report.runSeconds.reduce((a, b) => a + b, 0);
  practice.finished = report.outcome === 'settled' || report.outcome === 'limit';
  return { report };
}
