import type { LabRunSummary } from './lab-protocol';

/** The Lab's JSON export: settings and per-step scalars of a recorded run. */
export function runJson(run: LabRunSummary) {
  return {
    format: 'kineto-lab-run/1',
    model: run.modelId,
    settings: run.params,
    stopped: run.stopped,
    totalSteps: run.totalSteps,
    recordedEvery: run.stride,
    tokens: run.tokens,
    latentShape: run.shape,
    steps: run.recorded.map((r) => ({ step: r.index + 1, timestep: r.timestep, sqrtAlphaBar: r.alpha, sigma: r.sigma, logSnr: 2 * Math.log(r.alpha / r.sigma) })),
  };
}
