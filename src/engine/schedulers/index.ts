/** The samplers the user can pick, behind one factory. See each file for the paper and the diffusers behaviour. */
import type { SchedulerConfig, SchedulerKind } from '../types';
import { createDdimScheduler } from './ddim';
import { createDpmSolverPpScheduler } from './dpm-solver-pp';
import { createEulerKarrasScheduler, createEulerScheduler } from './euler';
import { createLcmScheduler } from './lcm';
import type { Scheduler } from './scheduler';

export type { NoiseSource, Scheduler, SchedulerFactory, SchedulerOptions, StepResult } from './scheduler';
import type { SchedulerOptions } from './scheduler';

/** Names shown in the UI. */
export const SCHEDULER_LABELS: Record<SchedulerKind, string> = {
  ddim: 'DDIM',
  euler: 'Euler',
  'euler-karras': 'Euler (Karras σ)',
  'dpm-solver++': 'DPM-Solver++ 2M',
  lcm: 'LCM',
};

/** A sampler of the given kind for `steps` inference steps; throws RangeError for an impossible step count. */
export function createScheduler(kind: SchedulerKind, config: SchedulerConfig, steps: number, options: SchedulerOptions = {}): Scheduler {
  switch (kind) {
    case 'ddim':
      return createDdimScheduler(config, steps, options);
    case 'euler':
      return createEulerScheduler(config, steps, options);
    case 'euler-karras':
      return createEulerKarrasScheduler(config, steps, options);
    case 'dpm-solver++':
      return createDpmSolverPpScheduler(config, steps, options);
    case 'lcm':
      return createLcmScheduler(config, steps, options);
    default: {
      const unknown: never = kind;
      throw new RangeError(`Unknown scheduler kind "${String(unknown)}".`);
    }
  }
}
