/**
 * Which step views the Lab shows now, and which to ask the worker for next. Pure: the Lab's state in; the slots on
 * screen, the state change that shows a view and the next request out (the slice sends it and caches the reply).
 */
import type { LabRunSummary, LabStepView } from './lab-protocol';
import type { LabState } from './lab-state';

/** The part of the Lab's state that says which views are shown. */
export type ShownViews = Pick<LabState, 'run' | 'position' | 'stepView' | 'guidanceRuns' | 'guidanceViews' | 'compareRuns' | 'comparePosition' | 'compareViews'>;

/** Where a slot's view goes in the Lab's state. */
export type SlotTarget = { kind: 'step' } | { kind: 'guidance'; index: number } | { kind: 'compare'; side: 0 | 1 };

/** A view on screen: a run at a recorded position, the view shown there now, and where a new one goes. */
export type Slot = { run: LabRunSummary; position: number; shown: LabStepView | null; target: SlotTarget };

/** A request for the views of `steps` (step indices) of a run at one frame. */
export type LoadJob = { run: LabRunSummary; frame: number; steps: number[] };

/** The recorded position whose timestep is nearest `t` (aligns runs with different step counts by t). */
export function positionNearest(run: LabRunSummary, t: number): number {
  let best = 0;
  run.recorded.forEach((r, i) => {
    if (Math.abs(r.timestep - t) < Math.abs(run.recorded[best]!.timestep - t)) best = i;
  });
  return best;
}

/** The views shown now: the run, Compare guidance's runs (in lock step) and the two compared runs (B aligned by t). */
export function shownSlots(lab: ShownViews): Slot[] {
  const { run, position, stepView, guidanceRuns, guidanceViews, compareRuns, comparePosition, compareViews } = lab;
  const slots: Slot[] = [];
  if (run && run.recorded.length > 0) slots.push({ run, position, shown: stepView, target: { kind: 'step' } });
  guidanceRuns.forEach((g, index) => {
    if (g.recorded.length === 0) return;
    slots.push({ run: g, position: Math.min(position, g.recorded.length - 1), shown: guidanceViews[index] ?? null, target: { kind: 'guidance', index } });
  });
  if (compareRuns) {
    const [a, b] = compareRuns;
    slots.push({ run: a, position: comparePosition, shown: compareViews[0], target: { kind: 'compare', side: 0 } });
    slots.push({ run: b, position: positionNearest(b, a.recorded[comparePosition]?.timestep ?? 0), shown: compareViews[1], target: { kind: 'compare', side: 1 } });
  }
  return slots;
}

/** The state change that shows `v` at `target`. */
export function placeView(lab: ShownViews, target: SlotTarget, v: LabStepView): Partial<ShownViews> {
  switch (target.kind) {
    case 'step':
      return { stepView: v };
    case 'guidance': {
      const guidanceViews = [...lab.guidanceViews];
      guidanceViews[target.index] = v;
      return { guidanceViews };
    }
    case 'compare':
      return { compareViews: target.side === 0 ? [v, lab.compareViews[1]] : [lab.compareViews[0], v] };
  }
}

/**
 * What to ask the worker for next, or null: first a shown view that is missing (its step alone, so a new frame
 * shows quickly), then, unless frames are playing, all the other recorded steps of the shown runs at this frame
 * (one batched request per run), so that every Step move finds its view kept. `has`: whether a view is kept.
 */
export function nextLoad(slots: Slot[], frame: number, playing: boolean, has: (runId: number, step: number, frame: number) => boolean): LoadJob | null {
  for (const s of slots) {
    const step = s.run.recorded[s.position]?.index;
    if (step !== undefined && !has(s.run.runId, step, frame)) return { run: s.run, frame, steps: [step] };
  }
  if (playing) return null;
  for (const s of slots) {
    const steps = s.run.recorded.map((r) => r.index).filter((i) => !has(s.run.runId, i, frame));
    if (steps.length > 0) return { run: s.run, frame, steps };
  }
  return null;
}
