/** The Lab's pure pieces beside its slice: the view cache (eviction included), the load planner and its settings. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/engine/manifest';
import type { LabRunSummary, LabStepView } from '../../../src/lab/lab-protocol';
import { checkSettings, compareSettings, DEFAULT_LAB_SETTINGS, lessonDefaults } from '../../../src/lab/lab-settings';
import { initialLab } from '../../../src/lab/lab-state';
import { nextLoad, placeView, type ShownViews, shownSlots } from '../../../src/lab/load-planner';
import { ViewCache, viewBytes } from '../../../src/lab/view-cache';

/** A view whose images take `bytes` (all in x_t). */
function view(runId: number, step: number, frame: number, bytes = 100): LabStepView {
  const img = (n: number) => ({ width: 1, height: 1, rgba: new Uint8ClampedArray(n) });
  return { runId, step, frame, timestep: 999 - step, alpha: 0.5, sigma: 0.5, xt: img(bytes), xtChannels: img(0), eps: img(0), x0: img(0), guidance: null };
}

function summary(runId: number, timesteps: number[]): LabRunSummary {
  return {
    runId, modelId: 'm', stopped: false, totalSteps: timesteps.length, stride: 1, recordBytes: 0, budgetBytes: 1, tokens: [], truncatedWords: 0,
    latentSpace: true, shape: [1, 4, 4, 16, 16], seconds: 1, viewSeconds: 0.1, sound: { problem: 'none' },
    params: { prompt: 'p', negativePrompt: '', seed: 1, steps: timesteps.length, guidanceScale: 3, frames: 4, fps: 8, scheduler: 'ddim', outputSize: 64 },
    recorded: timesteps.map((timestep, index) => ({ index, timestep, alpha: 0.5, sigma: 0.5 })),
  };
}

describe('Lab view cache', () => {
  it('keeps views by run, step and frame', () => {
    const cache = new ViewCache(1000);
    const v = view(1, 2, 3);
    cache.remember(v);
    expect(cache.get(1, 2, 3)).toBe(v);
    expect(cache.get(1, 2, 0)).toBeUndefined();
    expect(cache.has(2, 2, 3)).toBe(false);
    expect(cache.sizeBytes).toBe(viewBytes(v));
  });

  it('drops the least recently used views past its bound; a get counts as a use, a has does not', () => {
    const cache = new ViewCache(300);
    for (const step of [0, 1, 2]) cache.remember(view(1, step, 0));
    cache.get(1, 0, 0); // step 0 used: step 1 is now the oldest
    cache.remember(view(1, 3, 0));
    expect([0, 1, 2, 3].map((s) => cache.has(1, s, 0))).toEqual([true, false, true, true]);
    cache.has(1, 2, 0); // not a use: step 2 stays the oldest
    cache.remember(view(1, 4, 0));
    expect([0, 2, 3, 4].map((s) => cache.has(1, s, 0))).toEqual([true, false, true, true]);
    expect(cache.sizeBytes).toBe(300);
    // One larger view drops as many of the oldest as it needs.
    cache.remember(view(2, 0, 0, 250));
    expect([cache.has(1, 0, 0), cache.has(1, 3, 0), cache.has(1, 4, 0), cache.has(2, 0, 0)]).toEqual([false, false, false, true]);
    expect(cache.sizeBytes).toBe(250);
  });

  it('replaces a view of the same run, step and frame, counting its bytes once', () => {
    const cache = new ViewCache(1000);
    cache.remember(view(1, 0, 0, 100));
    const again = view(1, 0, 0, 40);
    cache.remember(again);
    expect(cache.get(1, 0, 0)).toBe(again);
    expect(cache.sizeBytes).toBe(40);
  });

  it('keeps nothing of a view larger than its bound', () => {
    const cache = new ViewCache(100);
    cache.remember(view(1, 0, 0, 50));
    cache.remember(view(1, 1, 0, 150));
    expect([cache.has(1, 0, 0), cache.has(1, 1, 0), cache.sizeBytes]).toEqual([false, false, 0]);
  });
});

describe('Lab load planner', () => {
  const run = summary(1, [999, 749, 499, 249]);
  const shown = (p: Partial<ShownViews>): ShownViews => ({ ...initialLab, ...p });

  it('lists the views on screen: the run, Compare guidance in lock step, and the compared runs aligned by t', () => {
    const g = [summary(2, [999, 749, 499, 249]), summary(3, [999, 499])];
    const a = summary(4, [999, 666, 333]);
    const b = summary(5, [999, 749, 499, 249, 0]);
    const slots = shownSlots(shown({ run, position: 3, guidanceRuns: g, guidanceViews: [null, null], compareRuns: [a, b], comparePosition: 1 }));
    expect(slots.map((s) => [s.run.runId, s.position, s.target])).toEqual([
      [1, 3, { kind: 'step' }],
      [2, 3, { kind: 'guidance', index: 0 }],
      [3, 1, { kind: 'guidance', index: 1 }], // a shorter run stops at its last step
      [4, 1, { kind: 'compare', side: 0 }],
      [5, 1, { kind: 'compare', side: 1 }], // t 666 of A is nearest t 749 of B
    ]);
    expect(shownSlots(shown({ run: summary(6, []) }))).toEqual([]);
  });

  it('places a view where its slot shows it, leaving the others', () => {
    const v = view(1, 0, 0);
    const old = view(9, 0, 0);
    const lab = shown({ guidanceViews: [old, null], compareViews: [old, null] });
    expect(placeView(lab, { kind: 'step' }, v)).toEqual({ stepView: v });
    expect(placeView(lab, { kind: 'guidance', index: 1 }, v)).toEqual({ guidanceViews: [old, v] });
    expect(placeView(lab, { kind: 'compare', side: 1 }, v)).toEqual({ compareViews: [old, v] });
    expect(placeView(lab, { kind: 'compare', side: 0 }, v)).toEqual({ compareViews: [v, null] });
    expect(lab.guidanceViews).toEqual([old, null]);
  });

  it('asks first for a missing shown view alone, then for the other steps of each shown run in one batch', () => {
    const other = summary(2, [999, 499]);
    const slots = shownSlots(shown({ run, position: 2, guidanceRuns: [other], guidanceViews: [null] }));
    const kept = new Set<string>();
    const has = (r: number, s: number, f: number) => kept.has(`${r}:${s}:${f}`);
    const plan = (playing = false) => {
      const job = nextLoad(slots, 3, playing, has);
      return job && { runId: job.run.runId, frame: job.frame, steps: job.steps };
    };
    expect(plan()).toEqual({ runId: 1, frame: 3, steps: [2] });
    kept.add('1:2:3');
    expect(plan()).toEqual({ runId: 2, frame: 3, steps: [1] });
    kept.add('2:1:3');
    expect(plan()).toEqual({ runId: 1, frame: 3, steps: [0, 1, 3] });
    expect(plan(true)).toBeNull(); // playing: only the shown steps
    for (const s of [0, 1, 3]) kept.add(`1:${s}:3`);
    expect(plan()).toEqual({ runId: 2, frame: 3, steps: [0] });
    kept.add('2:0:3');
    expect(plan()).toBeNull();
  });
});

describe('Lab settings', () => {
  const m = parseManifest(JSON.parse(readFileSync('public/models/kineto-shapes/manifest.json', 'utf8')));

  it('make run B of Compare runs, or say why not', () => {
    const a = DEFAULT_LAB_SETTINGS;
    expect(compareSettings(a, 'prompt', 'a blue star')).toEqual({ ...a, prompt: 'a blue star' });
    expect(compareSettings(a, 'scheduler', 'euler')).toEqual({ ...a, scheduler: 'euler' });
    expect(compareSettings(a, 'scheduler', 'warp')).toBe('"warp" is not a scheduler this Lab knows.');
    expect(compareSettings(a, 'steps', '12')).toEqual({ ...a, steps: 12 });
    const empty = compareSettings(a, 'steps', ' ');
    if (typeof empty === 'string') throw new Error(empty);
    const checked = checkSettings(empty, m, 'Run B');
    expect(checked.params).toBeNull();
    expect(checked.problems.length).toBeGreaterThan(0);
    for (const p of checked.problems) expect(p).toMatch(/^Run B: /);
  });

  it('become engine parameters with the model\'s fps and size', () => {
    expect(checkSettings(DEFAULT_LAB_SETTINGS, m, 'Settings')).toEqual({ params: { ...DEFAULT_LAB_SETTINGS, fps: 8, outputSize: 256 }, problems: [] });
  });

  it('fill a lesson link\'s gaps with the model\'s defaults once it is loaded', () => {
    expect(lessonDefaults(null)).toEqual({ ...DEFAULT_LAB_SETTINGS, view: 'step', step: 30 });
    expect(lessonDefaults({ ...m, defaults: { ...m.defaults, steps: 12, frames: 8, scheduler: 'euler', guidanceScale: 5 } })).toEqual({
      ...DEFAULT_LAB_SETTINGS, steps: 12, frames: 8, scheduler: 'euler', guidanceScale: 5, view: 'step', step: 12,
    });
  });
});
