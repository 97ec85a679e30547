/**
 * The Lab's state: what it shows and runs, as plain data (run summaries and small view images; the tensors stay in
 * the worker), and its value before anything has run. The actions are the Lab slice's (lab-slice.ts).
 */
import type { ErrorInfo } from '../engine/errors';
import type { SchedulerKind } from '../engine/types';
import { CONDITIONING_SECONDS, type ConditioningStart } from './conditioning';
import type { LabConditioning, LabExportKind, LabImage, LabRunSummary, LabStepView } from './lab-protocol';
import { type CompareKind, DEFAULT_LAB_SETTINGS, type LabSettings } from './lab-settings';
import type { LabViewName } from './lesson-link';
import type { LabStageName } from './pipeline-stages';
import type { ScheduleChart } from './schedule-chart';

export type LabRunStatus = 'idle' | 'running' | 'cancelling';
export type LabExport = { kind: LabExportKind | 'json'; url: string; fileName: string; frameCount: number };

/** The Conditioning view: how its continuation starts, for how long, and the last one run. */
export type ConditioningState = { start: ConditioningStart; seconds: number; result: LabConditioning | null };

export type LabState = {
  view: LabViewName;
  settings: LabSettings;
  /** A second sampler drawn on the Schedule chart; null for none. */
  overlayScheduler: SchedulerKind | null;
  chart: ScheduleChart | null;
  overlay: ScheduleChart | null;
  /** Why the chart cannot be drawn for these settings (e.g. a step count the sampler refuses). */
  chartProblem: string | null;
  status: LabRunStatus;
  /** What the status line says is running ("Running", "Compare guidance 2 of 3"…). */
  task: string | null;
  requestId: number | null;
  /** The pipeline stage lit in the Pipeline view while a run goes. */
  stage: LabStageName | null;
  progress: { step: number; totalSteps: number } | null;
  run: LabRunSummary | null;
  /** Position in `run.recorded` (not the step index: a thinned record skips steps). */
  position: number;
  frame: number;
  playing: boolean;
  stepView: LabStepView | null;
  guidanceRuns: LabRunSummary[];
  guidanceViews: (LabStepView | null)[];
  compareKind: CompareKind;
  /** The second run's value of `compareKind`, as typed. */
  compareValue: string;
  compareRuns: [LabRunSummary, LabRunSummary] | null;
  comparePosition: number;
  compareViews: [LabStepView | null, LabStepView | null];
  forwardTimestep: number;
  forward: { timestep: number; alpha: number; sigma: number; image: LabImage } | null;
  /** Sentences for the person: a lesson link's bad values, a stopped run, an impossible comparison. */
  messages: string[];
  error: ErrorInfo | null;
  showMaths: boolean;
  presenting: boolean;
  exports: LabExport[];
  /** A lesson link waiting for the model, and the view/step to open once its run is done. */
  pendingLesson: { view: LabViewName; step: number } | null;
  conditioning: ConditioningState;
};

export const initialLab: LabState = {
  view: 'step', settings: DEFAULT_LAB_SETTINGS, overlayScheduler: null, chart: null, overlay: null, chartProblem: null,
  status: 'idle', task: null, requestId: null, stage: null, progress: null, run: null, position: 0, frame: 0, playing: false,
  stepView: null, guidanceRuns: [], guidanceViews: [], compareKind: 'scheduler', compareValue: 'euler', compareRuns: null,
  comparePosition: 0, compareViews: [null, null], forwardTimestep: 500, forward: null, messages: [], error: null,
  showMaths: false, presenting: false, exports: [], pendingLesson: null,
  conditioning: { start: 'text', seconds: CONDITIONING_SECONDS.default, result: null },
};
