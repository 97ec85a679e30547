/**
 * The Lesson link: a `#/lab?…` address holding a run's settings, the view and the step, so that a class opening it
 * gets the same run (same seed and settings → same pixels on the same backend) at the same place. Parsing never
 * throws: every bad or missing value is named in `problems` and replaced by the default.
 */
import { LIMITS } from '../engine/params';
import { SCHEDULER_KINDS, type SchedulerKind } from '../engine/types';

/** The Lab's views, in the order of the keys 1–7. */
export const LAB_VIEWS = ['pipeline', 'schedule', 'step', 'guidance', 'compare', 'forward', 'conditioning'] as const;
export type LabViewName = (typeof LAB_VIEWS)[number];

/** What a lesson link holds. `step` counts from 1 ("step k of N"). */
export type LessonSettings = {
  prompt: string;
  negativePrompt: string;
  seed: number;
  steps: number;
  guidanceScale: number;
  scheduler: SchedulerKind;
  frames: number;
  view: LabViewName;
  step: number;
};

/** Query keys, short so that links stay readable. */
const KEYS = { prompt: 'prompt', negativePrompt: 'neg', seed: 'seed', steps: 'steps', guidanceScale: 'guidance', scheduler: 'scheduler', frames: 'frames', view: 'view', step: 'step' } as const;

/** `#/lab?prompt=…&neg=…&seed=…&steps=…&guidance=…&scheduler=…&frames=…&view=…&step=…` */
export function lessonHash(s: LessonSettings): string {
  const q = new URLSearchParams();
  for (const [field, key] of Object.entries(KEYS)) q.set(key, String(s[field as keyof LessonSettings]));
  return `#/lab?${q.toString()}`;
}

export type ParsedLesson = {
  /** The settings to use: the link's valid values, defaults for the rest. */
  settings: LessonSettings;
  /** True when the hash carried any setting (a lesson link), false for a bare `#/lab`. */
  isLesson: boolean;
  /** One sentence per bad or missing value, naming it and the default used instead. */
  problems: string[];
};

function number(raw: string, integer: boolean, min: number, max: number): number | null {
  if (raw.trim() === '') return null;
  const v = Number(raw);
  if (!Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < min || v > max) return null;
  return v;
}

/** Reads a `#/lab?…` hash; `defaults` fill anything missing or invalid (`maxFrames`: the model's frame limit). */
export function parseLessonHash(hash: string, defaults: LessonSettings, maxFrames: number): ParsedLesson {
  const query = hash.startsWith('#/lab?') ? hash.slice('#/lab?'.length) : '';
  const q = new URLSearchParams(query);
  const isLesson = [...q.keys()].length > 0;
  const problems: string[] = [];
  const s = { ...defaults };
  let fallback = defaults;
  if (!isLesson) return { settings: s, isLesson, problems };

  const take = <K extends keyof LessonSettings>(field: K, label: string, parse: (raw: string) => LessonSettings[K] | null, required = true) => {
    const raw = q.get(KEYS[field]);
    if (raw === null) {
      if (required) problems.push(`The link has no ${label}; using ${String(fallback[field]) || '(empty)'}.`);
      return;
    }
    const v = parse(raw);
    if (v === null) {
      problems.push(`The link's ${label} "${raw}" is not valid; using ${String(fallback[field]) || '(empty)'}.`);
      s[field] = fallback[field];
    } else s[field] = v;
  };
  take('prompt', 'prompt', (r) => (r.trim() === '' || r.length > LIMITS.promptChars ? null : r));
  take('negativePrompt', 'negative prompt', (r) => (r.length > LIMITS.promptChars ? null : r), false);
  take('seed', 'seed', (r) => number(r, true, LIMITS.seed.min, LIMITS.seed.max));
  take('steps', 'steps', (r) => number(r, true, LIMITS.steps.min, LIMITS.steps.max));
  take('guidanceScale', 'guidance', (r) => number(r, false, LIMITS.guidanceScale.min, LIMITS.guidanceScale.max));
  take('scheduler', 'scheduler', (r) => ((SCHEDULER_KINDS as readonly string[]).includes(r) ? (r as SchedulerKind) : null));
  take('frames', 'frames', (r) => number(r, true, 1, maxFrames), false);
  take('view', 'view', (r) => ((LAB_VIEWS as readonly string[]).includes(r) ? (r as LabViewName) : null));
  fallback = { ...defaults, step: s.steps }; // the last step of the run the link describes
  s.step = s.steps;
  take('step', 'step', (r) => number(r, true, 1, s.steps));
  return { settings: s, isLesson, problems };
}
