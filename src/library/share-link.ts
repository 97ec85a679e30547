/**
 * Share links carry a clip's settings, never the clip: `?prompt=…&seed=…` on the app's own address. Opening one
 * fills the form. Pure: URL in, draft fields out.
 */
import { SCHEDULER_KINDS, type GenerateParams, type SchedulerKind } from '../engine/types';
import type { Draft } from '../store/settings-slice';

/** Query keys, in the order they are written. */
const KEYS = {
  prompt: 'prompt',
  negativePrompt: 'negative',
  scheduler: 'scheduler',
  seed: 'seed',
  steps: 'steps',
  guidanceScale: 'guidance',
  frames: 'frames',
  fps: 'fps',
  outputSize: 'size',
} as const satisfies Partial<Record<keyof GenerateParams & keyof Draft, string>>;
type SharedField = keyof typeof KEYS;

/** The app's address (`base`, e.g. `location.href`) with these settings as its query and no fragment. */
export function shareUrl(base: string, params: GenerateParams): string {
  const url = new URL(base);
  url.hash = '';
  url.search = '';
  for (const [field, key] of Object.entries(KEYS) as [SharedField, string][]) {
    const value = params[field];
    if (value !== '') url.searchParams.set(key, String(value));
  }
  return url.href;
}

/** The draft fields a share link sets, or null when `url` carries none. Unknown schedulers are left out. */
export function draftFromShareUrl(url: string): Partial<Draft> | null {
  const q = new URL(url).searchParams;
  const out: Partial<Draft> = {};
  for (const [field, key] of Object.entries(KEYS) as [SharedField, string][]) {
    const value = q.get(key);
    if (value === null) continue;
    if (field === 'scheduler') {
      if ((SCHEDULER_KINDS as readonly string[]).includes(value)) out.scheduler = value as SchedulerKind;
    } else {
      out[field] = value;
    }
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** The same address without the share query (so a reload does not fill the form again). */
export function withoutShareQuery(url: string): string {
  const u = new URL(url);
  for (const key of Object.values(KEYS)) u.searchParams.delete(key);
  return u.href;
}
