/**
 * Data for the Schedule chart, straight from the engine's schedule code (one source of truth with the samplers):
 * the training curve of signal level √ᾱ_t, noise level √(1−ᾱ_t) and log-SNR = log(ᾱ_t/(1−ᾱ_t)) over t, and the
 * chosen sampler's timesteps as markers at the noise level that sampler actually uses (its `levels`).
 */
import { createScheduler } from '../engine/schedulers';
import { alphasCumprod } from '../engine/schedulers/schedule';
import type { SchedulerConfig, SchedulerKind } from '../engine/types';

export type SchedulePoint = { t: number; signal: number; noise: number; logSnr: number };
export type ScheduleChart = { numTrainTimesteps: number; curve: SchedulePoint[]; markers: SchedulePoint[] };

function point(t: number, alpha: number, sigma: number): SchedulePoint {
  return { t, signal: alpha, noise: sigma, logSnr: 2 * Math.log(alpha / sigma) };
}

/** The chart for `kind` at `steps`; throws RangeError for a step count the sampler refuses. `every`: curve spacing in t. */
export function scheduleChart(config: SchedulerConfig, kind: SchedulerKind, steps: number, every = 5): ScheduleChart {
  const ac = alphasCumprod(config);
  const curve: SchedulePoint[] = [];
  for (let t = 0; t < ac.length; t += every) curve.push(point(t, Math.sqrt(ac[t]!), Math.sqrt(1 - ac[t]!)));
  const last = ac.length - 1;
  if (last % every !== 0) curve.push(point(last, Math.sqrt(ac[last]!), Math.sqrt(1 - ac[last]!)));
  const s = createScheduler(kind, config, steps);
  const markers = s.timesteps.map((t, i) => point(t, s.levels[i]!.alpha, s.levels[i]!.sigma));
  return { numTrainTimesteps: ac.length, curve, markers };
}
