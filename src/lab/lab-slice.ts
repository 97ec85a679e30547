/**
 * The Lab's store slice: its settings, the recorded runs' summaries, the images the current view shows and the
 * actions that ask the worker for them. Only summaries and small view images reach the store; the tensors stay in
 * the worker. A run's reply carries the views of all its recorded steps at the selected frame, and a new frame
 * loads its current step first, then all the others in one batched reply: every Step move is then a cache hit.
 * Loading is "latest wins": one request at a time, and what is wanted next is looked at when a reply lands.
 */
import type { StateCreator } from 'zustand';
import type { ErrorInfo } from '../engine/errors';
import type { GenerateParams, ModelManifest, SchedulerKind } from '../engine/types';
import type { KinetoState } from '../store';
import { RequestError } from '../worker/client';
import { isCancelled, type WorkerEvent } from '../worker/protocol';
import type { LabExportKind, LabRunSummary } from './lab-protocol';
import { type ConditioningActions, conditioningActions } from './conditioning-actions';
import { checkSettings, COMPARE_GUIDANCE, type CompareKind, compareSettings, type LabSettings, lessonDefaults, settingsOf } from './lab-settings';
import { initialLab, type LabState } from './lab-state';
import { type LabViewName, lessonHash, parseLessonHash } from './lesson-link';
import { nextLoad, placeView, shownSlots } from './load-planner';
import { runJson } from './run-json';
import { scheduleChart } from './schedule-chart';
import { ViewCache } from './view-cache';
import { markForBench } from '../automation';

export type LabSlice = ConditioningActions & {
  lab: LabState;
  /** Leaving the Lab (the route went elsewhere): frames stop playing, presentation mode ends. */
  closeLab(): void;
  /** Draws the Schedule chart for the model now loaded. */
  drawLabChart(): void;
  setLabView(view: LabViewName): void;
  setLabSetting<K extends keyof LabSettings>(field: K, value: LabSettings[K]): void;
  setOverlayScheduler(kind: SchedulerKind | null): void;
  /** Runs the Lab's settings with recording; a cancelled run keeps its steps. */
  labRun(): Promise<void>;
  labCancel(): Promise<void>;
  setLabPosition(position: number): void;
  setLabFrame(frame: number): void;
  /** Space: plays the frames of the selected step in a loop, or stops. */
  toggleLabPlay(): void;
  compareGuidance(): Promise<void>;
  setCompare(kind: CompareKind, value: string): void;
  runCompare(): Promise<void>;
  setComparePosition(position: number): void;
  setForwardTimestep(t: number): void;
  labExport(kind: LabExportKind | 'json'): Promise<void>;
  toggleMaths(): void;
  setPresenting(on: boolean): void;
  /** Opens `#/lab…` (the route entered the Lab): a lesson link's settings (bad values named in `messages`), then its run, view and step. */
  openLabHash(hash: string): void;
  /** The lesson link of what is shown now. */
  lessonLink(): string;
  dismissLabMessages(): void;
};

function errorOf(e: unknown): ErrorInfo {
  if (e instanceof RequestError) return e.info;
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

export const createLabSlice: StateCreator<KinetoState, [], [], LabSlice> = (set, get) => {
  const patch = (p: Partial<LabState>) => set((s) => ({ lab: { ...s.lab, ...p } }));
  const cache = new ViewCache();
  let playTimer: ReturnType<typeof setInterval> | null = null;

  const manifest = (): ModelManifest | null => {
    const m = get().model;
    return m.status === 'ready' ? m.manifest : null;
  };

  const recomputeChart = () => {
    const m = manifest();
    const { settings, overlayScheduler } = get().lab;
    if (!m) return;
    try {
      const chart = scheduleChart(m.scheduler, settings.scheduler, settings.steps);
      const overlay = overlayScheduler ? scheduleChart(m.scheduler, overlayScheduler, settings.steps) : null;
      patch({ chart, overlay, chartProblem: null });
    } catch (e) {
      patch({ chart: null, overlay: null, chartProblem: e instanceof Error ? e.message : String(e) });
    }
  };

  /** Shows every shown slot's view that is on the page already; the missing ones are loaded by `load`. */
  const applyCached = () => {
    const frame = get().lab.frame;
    for (const s of shownSlots(get().lab)) {
      const step = s.run.recorded[s.position]?.index;
      const v = step === undefined ? undefined : cache.get(s.run.runId, step, frame);
      if (v && v !== s.shown) patch(placeView(get().lab, s.target, v));
    }
  };

  /**
   * Loads missing views one request at a time (the worker runs requests in turn, so a queue of stale requests would
   * only delay the newest wish): each reply is cached and shown if still wanted, then the next need is looked at.
   */
  let loading = false;
  const load = async () => {
    if (loading) return;
    loading = true;
    const asked = new Set<string>();
    const next = () => nextLoad(shownSlots(get().lab), get().lab.frame, get().lab.playing, (runId, step, frame) => cache.has(runId, step, frame));
    try {
      for (let job = next(); job; job = next()) {
        const id = `${job.run.runId}:${job.frame}:${job.steps.join(',')}`;
        if (asked.has(id)) break; // the reply did not hold what was asked: don't ask again in a loop
        asked.add(id);
        const r = await get().labRequest({ type: 'lab-views', runId: job.run.runId, frame: job.frame, steps: job.steps });
        for (const v of r.views) cache.remember(v);
        applyCached();
      }
    } catch (e) {
      patch({ error: errorOf(e) });
    } finally {
      loading = false;
    }
  };

  /** Shows the views now wanted from the cache and loads what is missing. */
  const refreshViews = () => {
    applyCached();
    void load();
  };

  let forwardBusy = false;
  const refreshForward = async () => {
    const { run, forwardTimestep, frame } = get().lab;
    if (!run || run.recorded.length === 0 || forwardBusy) return;
    forwardBusy = true;
    try {
      const r = await get().labRequest({ type: 'lab-forward', runId: run.runId, timestep: forwardTimestep, frame });
      patch({ forward: r });
    } catch (e) {
      patch({ error: errorOf(e) });
    } finally {
      forwardBusy = false;
    }
    const now = get().lab;
    if (now.run === run && (now.forwardTimestep !== forwardTimestep || now.frame !== frame)) void refreshForward();
  };

  /**
   * One recorded run: progress events drive the Pipeline view; resolves with the summary, null when it failed. The
   * reply carries the views of every recorded step at the selected frame (made as the run's last part): all cached.
   */
  const record = async (params: GenerateParams, task: string): Promise<LabRunSummary | null> => {
    patch({ status: 'running', task, stage: 'tokens', progress: { step: 0, totalSteps: params.steps }, error: null });
    const onEvent = (e: WorkerEvent) => {
      if (e.type === 'stage') patch({ stage: e.stage === 'encode-text' ? 'text-encoder' : e.stage === 'denoise' ? 'denoise' : e.stage === 'decode' ? 'vae-decoder' : 'video-encoder' });
      else if (e.type === 'step') patch({ stage: 'denoise', progress: { step: e.step, totalSteps: e.totalSteps } });
    };
    try {
      const frame = Math.min(get().lab.frame, params.frames - 1);
      const { summary, views } = await get().labRequest({ type: 'lab-run', params, frame }, onEvent, (id) => patch({ requestId: id }));
      for (const v of views) cache.remember(v);
      if (summary.stopped)
        patch({ messages: [...get().lab.messages, `The run stopped after ${summary.recorded.length} of ${summary.totalSteps} steps; the recorded steps are kept.`] });
      if (summary.stride > 1)
        patch({ messages: [...get().lab.messages, `This model's steps are large: every ${summary.stride}th step was recorded to stay under ${Math.round(summary.budgetBytes / 2 ** 20)} MB.`] });
      return summary;
    } catch (e) {
      patch({ error: errorOf(e) });
      return null;
    } finally {
      patch({ requestId: null, stage: null });
    }
  };

  /** Checks settings against the model; problems go to `messages`. */
  const checked = (s: LabSettings, what: string): GenerateParams | null => {
    const m = manifest();
    if (!m) {
      patch({ messages: ['The model is still loading; run again when it is ready.'] });
      return null;
    }
    const { params, problems } = checkSettings(s, m, what);
    if (problems.length > 0) patch({ messages: [...get().lab.messages, ...problems] });
    return params;
  };

  const stopPlaying = () => {
    if (playTimer !== null) clearInterval(playTimer);
    playTimer = null;
  };

  const revokeExports = () => {
    for (const x of get().lab.exports) URL.revokeObjectURL(x.url);
  };

  return {
    lab: initialLab,
    ...conditioningActions(get, patch, errorOf),

    closeLab: () => {
      stopPlaying();
      patch({ playing: false, presenting: false });
    },

    drawLabChart: recomputeChart,

    setLabView: (view) => {
      patch({ view });
      if (view === 'schedule') recomputeChart();
      if (view === 'forward') void refreshForward();
    },

    setLabSetting: (field, value) => {
      patch({ settings: { ...get().lab.settings, [field]: value } });
      if (field === 'steps' || field === 'scheduler') recomputeChart();
    },

    setOverlayScheduler: (kind) => {
      patch({ overlayScheduler: kind });
      recomputeChart();
    },

    labRun: async () => {
      if (get().lab.status !== 'idle') return;
      patch({ messages: [] });
      const params = checked(get().lab.settings, 'Settings');
      if (!params) return;
      stopPlaying();
      const summary = await record(params, 'Running');
      patch({ status: 'idle', task: null });
      if (!summary) return;
      revokeExports();
      const pending = get().lab.pendingLesson;
      const last = Math.max(0, summary.recorded.length - 1);
      let position = last;
      if (pending) {
        const i = summary.recorded.findIndex((r) => r.index === pending.step - 1);
        position = i >= 0 ? i : last;
      }
      patch({
        run: summary, position, frame: Math.min(get().lab.frame, summary.params.frames - 1), playing: false, stepView: null,
        guidanceRuns: [], guidanceViews: [], exports: [], forward: null, pendingLesson: null, ...(pending ? { view: pending.view } : {}),
      });
      refreshViews();
      if (get().lab.view === 'forward') void refreshForward();
    },

    labCancel: async () => {
      const { status, requestId } = get().lab;
      if (status !== 'running' || requestId === null) return;
      patch({ status: 'cancelling' });
      await get().cancelRequest(requestId);
    },

    setLabPosition: (position) => {
      const run = get().lab.run;
      if (!run || run.recorded.length === 0) return;
      markForBench('lab-step');
      patch({ position: Math.max(0, Math.min(run.recorded.length - 1, Math.round(position))) });
      refreshViews();
    },

    setLabFrame: (frame) => {
      const run = get().lab.run;
      if (!run) return;
      const frames = run.params.frames;
      patch({ frame: ((Math.round(frame) % frames) + frames) % frames });
      refreshViews();
      if (get().lab.view === 'forward') void refreshForward();
    },

    toggleLabPlay: () => {
      const { run, playing } = get().lab;
      if (playing || !run) {
        stopPlaying();
        patch({ playing: false });
        refreshViews(); // the steps of the frame it stopped on
        return;
      }
      patch({ playing: true });
      playTimer = setInterval(() => get().setLabFrame(get().lab.frame + 1), 1000 / run.params.fps);
    },

    compareGuidance: async () => {
      if (get().lab.status !== 'idle') return;
      patch({ messages: [], guidanceRuns: [], guidanceViews: [] });
      const runs: LabRunSummary[] = [];
      for (const [i, g] of COMPARE_GUIDANCE.entries()) {
        const params = checked({ ...get().lab.settings, guidanceScale: g }, `Guidance ${g}`);
        if (!params) break;
        const summary = await record(params, `Compare guidance: run ${i + 1} of ${COMPARE_GUIDANCE.length} (guidance ${g})`);
        if (!summary || summary.stopped) break;
        runs.push(summary);
      }
      patch({ status: 'idle', task: null, guidanceRuns: runs, guidanceViews: runs.map(() => null) });
      if (!get().lab.run && runs[0]) patch({ run: runs[0], position: runs[0].recorded.length - 1 });
      refreshViews();
    },

    setCompare: (kind, value) => patch({ compareKind: kind, compareValue: value }),

    runCompare: async () => {
      if (get().lab.status !== 'idle') return;
      patch({ messages: [], compareRuns: null, compareViews: [null, null] });
      const { settings, compareKind, compareValue } = get().lab;
      const b = compareSettings(settings, compareKind, compareValue);
      if (typeof b === 'string') {
        patch({ messages: [b] });
        return;
      }
      const pa = checked(settings, 'Run A');
      const pb = checked(b, 'Run B');
      if (!pa || !pb) return;
      const runA = await record(pa, 'Compare runs: run A');
      const runB = runA && !runA.stopped ? await record(pb, 'Compare runs: run B') : null;
      patch({ status: 'idle', task: null });
      if (!runA || !runB) return;
      patch({ compareRuns: [runA, runB], comparePosition: runA.recorded.length - 1 });
      refreshViews();
    },

    setComparePosition: (position) => {
      const runs = get().lab.compareRuns;
      if (!runs) return;
      patch({ comparePosition: Math.max(0, Math.min(runs[0].recorded.length - 1, Math.round(position))) });
      refreshViews();
    },

    setForwardTimestep: (t) => {
      const m = manifest();
      const max = (m?.scheduler.numTrainTimesteps ?? 1000) - 1;
      patch({ forwardTimestep: Math.max(0, Math.min(max, Math.round(t))) });
      void refreshForward();
    },

    labExport: async (kind) => {
      const run = get().lab.run;
      if (!run || get().lab.status !== 'idle') return;
      let blob: Blob;
      let fileName: string;
      let frameCount: number;
      if (kind === 'json') {
        blob = new Blob([JSON.stringify(runJson(run), null, 2)], { type: 'application/json' });
        fileName = `kineto-lab-${run.params.seed}.json`;
        frameCount = run.recorded.length;
      } else {
        patch({ status: 'running', task: kind === 'film' ? 'Making the denoising film' : 'Making the contact sheet', stage: kind === 'film' ? 'video-encoder' : null });
        try {
          const reply = await get().labRequest({ type: 'lab-export', runId: run.runId, kind }, undefined, (id) => patch({ requestId: id }));
          if (isCancelled(reply)) return;
          ({ blob, fileName, frameCount } = reply);
        } catch (e) {
          patch({ error: errorOf(e) });
          return;
        } finally {
          patch({ status: 'idle', task: null, stage: null, requestId: null });
        }
      }
      const old = get().lab.exports.find((x) => x.kind === kind);
      if (old) URL.revokeObjectURL(old.url);
      patch({ exports: [...get().lab.exports.filter((x) => x.kind !== kind), { kind, url: URL.createObjectURL(blob), fileName, frameCount }] });
    },

    toggleMaths: () => patch({ showMaths: !get().lab.showMaths }),

    setPresenting: (on) => patch({ presenting: on }),

    openLabHash: (hash) => {
      const m = manifest();
      const base = get().lab.settings;
      const parsed = parseLessonHash(hash, lessonDefaults(m), m?.latent.frames ?? 64);
      if (!parsed.isLesson) {
        patch({ settings: base });
        recomputeChart();
        return;
      }
      const { view, step, ...settings } = parsed.settings;
      patch({ settings, view, messages: parsed.problems, pendingLesson: { view, step } });
      recomputeChart();
      if (m) void get().labRun();
    },

    lessonLink: () => {
      const { settings, view, run, position } = get().lab;
      const s = run ? { ...settings, ...settingsOf(run.params) } : settings;
      const step = run ? (run.recorded[position]?.index ?? 0) + 1 : s.steps;
      return `${location.origin}${location.pathname}${lessonHash({ ...s, view, step })}`;
    },

    dismissLabMessages: () => patch({ messages: [], error: null }),
  };
};

