/**
 * The Lab's store slice: its settings, the recorded runs' summaries, the images the current view shows and the
 * actions that ask the worker for them. Only summaries and small view images reach the store; the tensors stay in
 * the worker. A run's reply carries the views of all its recorded steps at the selected frame, and a new frame
 * loads its current step first, then all the others in one batched reply: every Step move is then a cache hit.
 * Loading is "latest wins": one request at a time, and what is wanted next is looked at when a reply lands.
 */
import type { StateCreator } from 'zustand';
import type { ErrorInfo } from '../engine/errors';
import { validateParams } from '../engine/params';
import { SCHEDULER_LABELS } from '../engine/schedulers';
import type { GenerateParams, ModelManifest, SchedulerKind } from '../engine/types';
import type { KinetoState } from '../store';
import { RequestError } from '../worker/client';
import type { WorkerEvent } from '../worker/protocol';
import type { LabExportKind, LabImage, LabRunSummary, LabStepView } from './lab-protocol';
import { LAB_VIEWS, type LabViewName, type LessonSettings, lessonHash, parseLessonHash } from './lesson-link';
import type { LabStageName } from './pipeline-stages';
import { type ScheduleChart, scheduleChart } from './schedule-chart';

/** What the Lab runs: the clip settings a lesson link carries (minus view and step). */
export type LabSettings = Omit<LessonSettings, 'view' | 'step'>;

/** What the second run of Compare runs differs in. */
export const COMPARE_KINDS = ['prompt', 'scheduler', 'steps'] as const;
export type CompareKind = (typeof COMPARE_KINDS)[number];

/** Guidance values of Compare guidance. */
export const COMPARE_GUIDANCE = [1, 3, 7] as const;

export type LabRunStatus = 'idle' | 'running' | 'cancelling';
export type LabExport = { kind: LabExportKind | 'json'; url: string; fileName: string; frameCount: number };

export type LabState = {
  /** Whether the Lab (#/lab) is the page shown. */
  open: boolean;
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
};

export type LabSlice = {
  lab: LabState;
  setLabOpen(open: boolean): void;
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
  /** Opens `#/lab…`: a lesson link's settings (bad values named in `messages`), then its run, view and step. */
  openLabHash(hash: string): void;
  /** The lesson link of what is shown now. */
  lessonLink(): string;
  dismissLabMessages(): void;
};

export const DEFAULT_LAB_SETTINGS: LabSettings = {
  prompt: 'a red circle moving left on a black background',
  negativePrompt: '',
  seed: 7,
  steps: 30,
  guidanceScale: 3,
  scheduler: 'ddim',
  frames: 16,
};

const initialLab: LabState = {
  open: false, view: 'step', settings: DEFAULT_LAB_SETTINGS, overlayScheduler: null, chart: null, overlay: null, chartProblem: null,
  status: 'idle', task: null, requestId: null, stage: null, progress: null, run: null, position: 0, frame: 0, playing: false,
  stepView: null, guidanceRuns: [], guidanceViews: [], compareKind: 'scheduler', compareValue: 'euler', compareRuns: null,
  comparePosition: 0, compareViews: [null, null], forwardTimestep: 500, forward: null, messages: [], error: null,
  showMaths: false, presenting: false, exports: [], pendingLesson: null,
};

/**
 * Bytes of view images kept on the page (least recently used dropped first): 64 MiB at most. A view is a few small
 * images: ≈74 KB for Kineto-Shapes with guidance (x_t, x̂0 and both branches at 64×64, two channel strips, a 16×16
 * heat map), so a run's 30 steps at one frame are ≈2.2 MB and the cache holds ≈29 such (run, frame) sets. Decoded
 * images of larger models are capped at 160 px a side by the worker: with 4×64×64 latents a view is ≈560 KB, a
 * 30-step set ≈16.8 MB, and a run plus Compare guidance's three still fit.
 */
export const VIEW_CACHE_BYTES = 64 * 2 ** 20;

/** The bytes of a view's images. */
export function viewBytes(v: LabStepView): number {
  const g = v.guidance;
  return v.xt.rgba.byteLength + v.xtChannels.rgba.byteLength + v.eps.rgba.byteLength + v.x0.rgba.byteLength +
    (g ? g.uncond.rgba.byteLength + g.cond.rgba.byteLength + g.difference.rgba.byteLength : 0);
}

/** Settings → engine parameters (fps and output size from the model's defaults: the Lab shows steps, not clips). */
export function labParams(s: LabSettings, m: ModelManifest): GenerateParams {
  return { ...s, fps: m.defaults.fps, outputSize: m.defaults.outputSize };
}

/** The recorded position whose timestep is nearest `t` (aligns runs with different step counts by t). */
export function positionNearest(run: LabRunSummary, t: number): number {
  let best = 0;
  run.recorded.forEach((r, i) => {
    if (Math.abs(r.timestep - t) < Math.abs(run.recorded[best]!.timestep - t)) best = i;
  });
  return best;
}

function errorOf(e: unknown): ErrorInfo {
  if (e instanceof RequestError) return e.info;
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

export const createLabSlice: StateCreator<KinetoState, [], [], LabSlice> = (set, get) => {
  const patch = (p: Partial<LabState>) => set((s) => ({ lab: { ...s.lab, ...p } }));
  /** Views by `run:step:frame`, in least-recently-used order, bounded by VIEW_CACHE_BYTES. */
  const cache = new Map<string, LabStepView>();
  let cacheBytes = 0;
  const keyOf = (runId: number, step: number, frame: number) => `${runId}:${step}:${frame}`;
  const remember = (v: LabStepView) => {
    const key = keyOf(v.runId, v.step, v.frame);
    const old = cache.get(key);
    if (old) {
      cache.delete(key);
      cacheBytes -= viewBytes(old);
    }
    cache.set(key, v);
    cacheBytes += viewBytes(v);
    for (const [k, x] of cache) {
      if (cacheBytes <= VIEW_CACHE_BYTES) break;
      cache.delete(k);
      cacheBytes -= viewBytes(x);
    }
  };
  const cached = (runId: number, step: number, frame: number): LabStepView | undefined => {
    const key = keyOf(runId, step, frame);
    const v = cache.get(key);
    if (v) {
      cache.delete(key);
      cache.set(key, v);
    }
    return v;
  };
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

  /** A view on screen: a run at a recorded position, and where its view goes. */
  type Slot = { run: LabRunSummary; position: number; shown: LabStepView | null; apply(v: LabStepView): void };

  /** The views shown now: the run, Compare guidance's runs (in lock step) and the two compared runs. */
  const shownSlots = (): Slot[] => {
    const { run, position, stepView, guidanceRuns, guidanceViews, compareRuns, comparePosition, compareViews } = get().lab;
    const slots: Slot[] = [];
    if (run && run.recorded.length > 0) slots.push({ run, position, shown: stepView, apply: (v) => patch({ stepView: v }) });
    guidanceRuns.forEach((g, i) => {
      if (g.recorded.length === 0) return;
      slots.push({ run: g, position: Math.min(position, g.recorded.length - 1), shown: guidanceViews[i] ?? null, apply: (v) => {
        const views = [...get().lab.guidanceViews];
        views[i] = v;
        patch({ guidanceViews: views });
      } });
    });
    if (compareRuns) {
      const [a, b] = compareRuns;
      slots.push({ run: a, position: comparePosition, shown: compareViews[0], apply: (v) => patch({ compareViews: [v, get().lab.compareViews[1]] }) });
      slots.push({ run: b, position: positionNearest(b, a.recorded[comparePosition]?.timestep ?? 0), shown: compareViews[1], apply: (v) => patch({ compareViews: [get().lab.compareViews[0], v] }) });
    }
    return slots;
  };

  /** Shows every shown slot's view that is on the page already; the missing ones are loaded by `load`. */
  const applyCached = () => {
    const frame = get().lab.frame;
    for (const s of shownSlots()) {
      const step = s.run.recorded[s.position]?.index;
      const v = step === undefined ? undefined : cached(s.run.runId, step, frame);
      if (v && v !== s.shown) s.apply(v);
    }
  };

  /**
   * What to ask the worker for next, or null: first a shown view that is missing (its step alone, so a new frame
   * shows quickly), then, unless frames are playing, all the other recorded steps of the shown runs at this frame
   * (one batched reply per run), so that every Step move finds its view here.
   */
  const nextLoad = (): { run: LabRunSummary; frame: number; steps: number[] } | null => {
    const { frame, playing } = get().lab;
    const slots = shownSlots();
    for (const s of slots) {
      const step = s.run.recorded[s.position]?.index;
      if (step !== undefined && !cache.has(keyOf(s.run.runId, step, frame))) return { run: s.run, frame, steps: [step] };
    }
    if (playing) return null;
    for (const s of slots) {
      const steps = s.run.recorded.map((r) => r.index).filter((i) => !cache.has(keyOf(s.run.runId, i, frame)));
      if (steps.length > 0) return { run: s.run, frame, steps };
    }
    return null;
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
    try {
      for (let job = nextLoad(); job; job = nextLoad()) {
        const id = `${job.run.runId}:${job.frame}:${job.steps.join(',')}`;
        if (asked.has(id)) break; // the reply did not hold what was asked: don't ask again in a loop
        asked.add(id);
        const r = await get().labRequest({ type: 'lab-views', runId: job.run.runId, frame: job.frame, steps: job.steps });
        for (const v of r.views) remember(v);
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
      for (const v of views) remember(v);
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
    const params = labParams(s, m);
    const issues = validateParams(params, m);
    if (issues.length === 0) return params;
    patch({ messages: [...get().lab.messages, ...issues.map((i) => `${what}: ${i.message}`)] });
    return null;
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

    setLabOpen: (open) => {
      patch({ open });
      if (open) recomputeChart();
      else {
        stopPlaying();
        patch({ playing: false, presenting: false });
      }
    },

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
      performance.mark('lab-step');
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
      let b: LabSettings;
      switch (compareKind) {
        case 'prompt':
          b = { ...settings, prompt: compareValue };
          break;
        case 'scheduler':
          if (!(compareValue in SCHEDULER_LABELS)) {
            patch({ messages: [`"${compareValue}" is not a scheduler this Lab knows.`] });
            return;
          }
          b = { ...settings, scheduler: compareValue as SchedulerKind };
          break;
        case 'steps':
          b = { ...settings, steps: compareValue.trim() === '' ? Number.NaN : Number(compareValue) };
          break;
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
          ({ blob, fileName, frameCount } = await get().labRequest({ type: 'lab-export', runId: run.runId, kind }, undefined, (id) => patch({ requestId: id })));
        } catch (e) {
          if (!(e instanceof RequestError && e.cancelled)) patch({ error: errorOf(e) });
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
      const defaults: LessonSettings = {
        ...DEFAULT_LAB_SETTINGS,
        ...(m ? { steps: m.defaults.steps, guidanceScale: m.defaults.guidanceScale, scheduler: m.defaults.scheduler, frames: m.defaults.frames } : {}),
        view: 'step',
        step: m?.defaults.steps ?? DEFAULT_LAB_SETTINGS.steps,
      };
      const parsed = parseLessonHash(hash, defaults, m?.latent.frames ?? 64);
      patch({ open: true });
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
      const s = run ? { ...settings, ...pick(run.params) } : settings;
      const step = run ? (run.recorded[position]?.index ?? 0) + 1 : s.steps;
      return `${location.origin}${location.pathname}${lessonHash({ ...s, view, step })}`;
    },

    dismissLabMessages: () => patch({ messages: [], error: null }),
  };
};

function pick(p: GenerateParams): LabSettings {
  return { prompt: p.prompt, negativePrompt: p.negativePrompt, seed: p.seed, steps: p.steps, guidanceScale: p.guidanceScale, scheduler: p.scheduler, frames: p.frames };
}

/** The JSON export: settings and per-step scalars of a recorded run. */
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

export { LAB_VIEWS };
