/**
 * What the Lab runs: its settings and their defaults (the model's where it has them), the engine parameters they
 * make, and the second run of Compare runs. Pure.
 */
import { validateParams } from '../engine/params';
import { SCHEDULER_LABELS } from '../engine/schedulers';
import type { GenerateParams, ModelManifest, SchedulerKind } from '../engine/types';
import type { LessonSettings } from './lesson-link';

/** What the Lab runs: the clip settings a lesson link carries (minus view and step). */
export type LabSettings = Omit<LessonSettings, 'view' | 'step'>;

/** What the second run of Compare runs differs in. */
export const COMPARE_KINDS = ['prompt', 'scheduler', 'steps'] as const;
export type CompareKind = (typeof COMPARE_KINDS)[number];

/** Guidance values of Compare guidance. */
export const COMPARE_GUIDANCE = [1, 3, 7] as const;

export const DEFAULT_LAB_SETTINGS: LabSettings = {
  prompt: 'a red circle moving left on a black background',
  negativePrompt: '',
  seed: 7,
  steps: 30,
  guidanceScale: 3,
  scheduler: 'ddim',
  frames: 16,
};

/** Settings → engine parameters (fps and output size from the model's defaults: the Lab shows steps, not clips). */
export function labParams(s: LabSettings, m: ModelManifest): GenerateParams {
  return { ...s, fps: m.defaults.fps, outputSize: m.defaults.outputSize };
}

/** The Lab settings a run was made with. */
export function settingsOf(p: GenerateParams): LabSettings {
  return { prompt: p.prompt, negativePrompt: p.negativePrompt, seed: p.seed, steps: p.steps, guidanceScale: p.guidanceScale, scheduler: p.scheduler, frames: p.frames };
}

/** What a lesson link leaves out: the Lab's defaults with the model's steps, guidance, sampler and frames (when one is loaded). */
export function lessonDefaults(m: ModelManifest | null): LessonSettings {
  return {
    ...DEFAULT_LAB_SETTINGS,
    ...(m ? { steps: m.defaults.steps, guidanceScale: m.defaults.guidanceScale, scheduler: m.defaults.scheduler, frames: m.defaults.frames } : {}),
    view: 'step',
    step: m?.defaults.steps ?? DEFAULT_LAB_SETTINGS.steps,
  };
}

/**
 * Run B of Compare runs: run A's settings with `kind` set to `value` as typed, or the sentence saying why not. A
 * step count is taken as typed (an empty one as NaN), so that `checkSettings` names what is wrong with it.
 */
export function compareSettings(a: LabSettings, kind: CompareKind, value: string): LabSettings | string {
  switch (kind) {
    case 'prompt':
      return { ...a, prompt: value };
    case 'scheduler':
      if (!(value in SCHEDULER_LABELS)) return `"${value}" is not a scheduler this Lab knows.`;
      return { ...a, scheduler: value as SchedulerKind };
    case 'steps':
      return { ...a, steps: value.trim() === '' ? Number.NaN : Number(value) };
  }
}

/** The engine parameters of `s` on model `m` (null when invalid) and one sentence per problem, led by `what` ("Run B"). */
export function checkSettings(s: LabSettings, m: ModelManifest, what: string): { params: GenerateParams | null; problems: string[] } {
  const params = labParams(s, m);
  const problems = validateParams(params, m).map((i) => `${what}: ${i.message}`);
  return { params: problems.length === 0 ? params : null, problems };
}
