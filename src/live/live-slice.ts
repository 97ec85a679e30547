/**
 * Live's store slice: video that keeps coming while the prompt changes. The schedule is live-clock.ts's; this slice
 * runs it on a ticker (live-ticker.ts: every display frame in the app), asks the engine worker for each window it
 * schedules (a `make-shot` continuing from the last frames shown, cancelled when a prompt edit abandons it), keeps
 * only the frames the stream still needs (live-frames.ts), and makes a recording into a clip for the Library
 * (`encode-clip`). The store holds what the screen shows — the frame on screen, the prompt it was made with, the speed
 * and the buffer — and the frames themselves stay in the slice's closure. Leaving Live stops it and lets them go.
 */
import type { StateCreator } from 'zustand';
import { version as KINETO_VERSION } from '../../package.json';
import { modelFrameSize } from '../engine/continuation';
import { windowSeed } from '../engine/continuation/seeds';
import type { Frames, GenerateParams, ModelManifest } from '../engine/types';
import { provenanceTags } from '../provenance/tags';
import type { KinetoState } from '../store';
import { findUnknownWords, randomSeed } from '../store/settings-slice';
import { errorInfo } from '../store/worker-connection';
import { isCancelled, type ShotSource } from '../worker/protocol';
import {
  advance, bufferedSeconds, type CatchUp, changePrompt, forget, type LiveConfig, type LiveState as Schedule, nextAsk, pause, realTimeFactor,
  resume, setSmooth, startLive as startSchedule, type WindowAsk, windowLost, windowMade,
} from './live-clock';
import { createLiveFrames, framesToKeepBehind, type LiveFrames } from './live-frames';
import { liveConfig, liveParams, liveProblem } from './live-model';
import { MAX_RECORDING_SECONDS, type RecordedFrame, recordedClip, recordedSeconds } from './live-recording';
import { animationFrameTicker, type LiveTicker } from './live-ticker';

/** The frame on screen, with the window and the prompt that made it. */
export type LivePicture = { frame: number; window: number; prompt: string; width: number; height: number; rgba: Uint8ClampedArray };

/** Windows made, the seconds of video they hold and the seconds they took to make. */
export type WindowTotals = { windows: number; videoSeconds: number; makeSeconds: number };

export type LiveSession = {
  status: 'idle' | 'running';
  /** The Prompt box as typed (new windows take it once typing pauses, or at Enter). */
  prompt: string;
  /** The Smooth motion box. */
  smooth: boolean;
  paused: boolean;
  picture: LivePicture | null;
  /** The prompt new windows are made with. */
  makingPrompt: string | null;
  /** Playing and no frame to show: before the first, or playback caught up with making (a stall). */
  waiting: boolean;
  /** Seconds of video made per second of making, over the last windows (live-clock.ts `realTimeFactor`). */
  speed: number | null;
  bufferSeconds: number;
  catchUp: CatchUp;
  /** Times playback waited for a frame. */
  stalls: number;
  /** Frames held for the stream (not counting a recording's): a few windows' worth at most, however long Live runs. */
  heldFrames: number;
  /** Since Start, at the model's rate and with Smooth motion. */
  totals: Record<'base' | 'smooth', WindowTotals>;
  /** What Record has kept so far; null when not recording. */
  recording: { frames: number; seconds: number } | null;
  /** A recording is being made into a clip for the Library (the Library's `save` tells the outcome). */
  saving: boolean;
  /** Why Live stopped or did not start, or what happened to a recording, for people; null when there is nothing to say. */
  message: string | null;
};

export type LiveSlice = {
  live: LiveSession;
  setLivePrompt(prompt: string): void;
  /** Takes the prompt as typed now (Enter), without waiting for typing to pause. */
  commitLivePrompt(): void;
  startLive(): void;
  /** Stops Live and lets its frames go; a recording in progress is saved first. */
  stopLive(): void;
  pauseLive(): void;
  resumeLive(): void;
  setLiveSmooth(smooth: boolean): void;
  /** Record: starts keeping what is shown; pressed again, saves it as a clip in the Library. */
  toggleLiveRecording(): void;
};

/** Seconds after the last keystroke before an edit is taken: a half-typed word would cost a window and the buffer. */
export const EDIT_PAUSE_SECONDS = 0.8;
/** Windows that fail in a row before Live stops: one retry. */
const MAX_FAILURES = 2;

const idleLive: LiveSession = {
  status: 'idle', prompt: '', smooth: false, paused: false, picture: null, makingPrompt: null, waiting: false, speed: null, bufferSeconds: 0,
  catchUp: 'in-time', stalls: 0, heldFrames: 0, totals: { base: { windows: 0, videoSeconds: 0, makeSeconds: 0 }, smooth: { windows: 0, videoSeconds: 0, makeSeconds: 0 } }, recording: null, saving: false, message: null,
};

/** A session's working parts, kept out of the store. */
type Run = {
  schedule: Schedule;
  config: LiveConfig;
  frames: LiveFrames;
  manifest: ModelManifest;
  manifestSha256: string;
  /** Every window's settings but its prompt, seed and frames. */
  params: GenerateParams;
  /** The session's seed; each window's is derived from it and the windows made before it (a retry draws the same). */
  seed: number;
  size: { width: number; height: number };
  /** Frames before the one on screen that a cut may still continue from. */
  behind: number;
  /** The window being made: its ask and, once sent, its request id. */
  inFlight: Flight | null;
  /** Seconds the worker took to stop the last abandoned windows (a cut waits for that before its window starts). */
  stopTimes: number[];
  /** Windows failed in a row. */
  failures: number;
  /** When the Prompt box was last edited and not yet taken (ticker seconds). */
  editedAt: number | null;
  recording: RecordedFrame[] | null;
  totals: LiveSession['totals'];
  stopTicker: () => void;
};

/** A window asked of the worker; `cancelledAt` (ticker seconds) once a prompt edit abandoned it. */
type Flight = { ask: WindowAsk; requestId: number | null; cancelledAt: number | null };

const round1 = (x: number) => Math.round(x * 10) / 10;
const median = (xs: readonly number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[xs.length >> 1]! : 0);
/** Stop times remembered: as many as the schedule judges make times over. */
const STOP_TIMES = 3;

export const createLiveSlice = (ticker: LiveTicker = animationFrameTicker): StateCreator<KinetoState, [], [], LiveSlice> => (set, get, store) => {
  const patch = (p: Partial<LiveSession>) => set((s) => ({ live: { ...s.live, ...p } }));
  let run: Run | null = null;

  /** The store's view of the schedule, written only when something on screen changes. */
  const publish = (r: Run) => {
    const s = r.schedule;
    const view: Partial<LiveSession> = {
      paused: s.paused, makingPrompt: s.prompt, waiting: !s.paused && s.nextDue === null, speed: s.speeds.length ? round1(realTimeFactor(s)!) : null,
      bufferSeconds: round1(bufferedSeconds(s)), catchUp: s.catchUp, stalls: s.stalls, heldFrames: r.frames.size,
    };
    const live = get().live;
    const changed = (Object.keys(view) as (keyof LiveSession)[]).some((k) => view[k] !== live[k]);
    const recording = r.recording && { frames: r.recording.length, seconds: round1(recordedSeconds(r.recording)) };
    const recordingChanged = recording?.frames !== live.recording?.frames;
    const totalsChanged = r.totals !== live.totals;
    if (changed || recordingChanged || totalsChanged) patch({ ...view, recording, totals: r.totals });
  };

  /** Asks the worker for the window the schedule wants now, if any. */
  const ask = (r: Run) => {
    const next = nextAsk(r.schedule);
    r.schedule = next.state;
    if (next.ask) sendWindow(r, next.ask);
  };

  const sendWindow = (r: Run, ask: WindowAsk) => {
    const known = r.frames.known(ask.from, r.config.knownFrames, r.config.base.fps).map((f) => r.frames.get(f)!.rgba);
    const start: ShotSource = known.length ? { kind: 'clip', frames: { ...r.size, count: known.length, rgba: known } } : { kind: 'text' };
    const params = { ...r.params, prompt: ask.prompt, seed: windowSeed(r.seed, 'windows', r.totals.base.windows + r.totals.smooth.windows), frames: r.config.base.newFrames };
    const flight: Flight = { ask, requestId: null, cancelledAt: null };
    r.inFlight = flight;
    const t0 = ticker.now();
    const current = () => run === r && r.inFlight === flight;
    get().liveRequest({ type: 'make-shot', params, start, ...(ask.smooth ? { smoothMotion: true } : {}) }, undefined, (id) => (flight.requestId = id))
      .then((reply) => {
        if (flight.cancelledAt !== null && run === r) r.stopTimes = [...r.stopTimes, ticker.now() - flight.cancelledAt].slice(-STOP_TIMES);
        if (!current()) return;
        r.inFlight = null;
        if (isCancelled(reply)) r.schedule = windowLost(r.schedule, ask.id);
        else if (reply.frames.count !== ask.rate.newFrames) windowFailed(r, ask, `it came back with ${reply.frames.count} frames instead of ${ask.rate.newFrames}`);
        else windowArrived(r, ask, reply.frames, ticker.now() - t0);
      })
      .catch((e: unknown) => {
        if (!current()) return;
        r.inFlight = null;
        windowFailed(r, ask, errorInfo(e).message);
      });
  };

  const windowArrived = (r: Run, ask: WindowAsk, frames: Frames, makeSeconds: number) => {
    const made = windowMade(r.schedule, ask.id, makeSeconds, ticker.now());
    r.schedule = made.state;
    if (!made.accepted) return;
    r.failures = 0;
    r.frames.add(ask.from, frames.rgba, { fps: ask.rate.fps, prompt: ask.prompt, window: ask.id, makeSeconds: makeSeconds / frames.count });
    const rate = ask.smooth ? 'smooth' : 'base';
    const t = r.totals[rate];
    r.totals = { ...r.totals, [rate]: { windows: t.windows + 1, videoSeconds: t.videoSeconds + frames.count / ask.rate.fps, makeSeconds: t.makeSeconds + makeSeconds } };
    publish(r);
  };

  /** A failed window is asked again once (the next tick asks from the same frame); a second failure in a row stops Live. */
  const windowFailed = (r: Run, ask: WindowAsk, reason: string) => {
    r.schedule = windowLost(r.schedule, ask.id);
    if (++r.failures >= MAX_FAILURES) stop(`Live stopped: the next part of the video could not be made, twice (${reason}).`);
  };

  /**
   * Takes the Prompt box's text for the windows from now on: it cuts in at the earliest seam the schedule can make. A
   * window in flight must first be stopped (between two denoising steps), so the cut is planned that much later.
   */
  const takePrompt = (r: Run) => {
    r.editedAt = null;
    const prompt = get().live.prompt.trim();
    if (prompt === '' || prompt === r.schedule.prompt) return;
    const now = ticker.now();
    const cut = changePrompt(r.schedule, prompt, now + (r.inFlight ? median(r.stopTimes) : 0));
    r.schedule = cut.state;
    r.frames.dropFrom(cut.state.made);
    const flight = r.inFlight;
    if (cut.abandoned !== null && flight?.ask.id === cut.abandoned) {
      r.inFlight = null;
      flight.cancelledAt = now;
      if (flight.requestId !== null) void get().cancelRequest(flight.requestId);
    }
    ask(r);
    publish(r);
  };

  /** Frames newly on screen: the last one is drawn, and every one of them is recorded while Record is on. */
  const show = (r: Run, from: number, to: number) => {
    const frame = r.frames.get(to)!;
    if (r.recording) {
      for (let f = from; f <= to; f++) r.recording.push(r.frames.get(f)!);
      if (recordedSeconds(r.recording) >= MAX_RECORDING_SECONDS) {
        saveRecording(r);
        patch({ message: `Recording stopped at ${MAX_RECORDING_SECONDS} s, the longest a clip may be; it is being saved to the Library.` });
      }
    }
    patch({ picture: { frame: to, window: frame.window, prompt: frame.prompt, ...r.size, rgba: frame.rgba } });
  };

  const tick = () => {
    const r = run;
    if (!r) return;
    if (r.editedAt !== null && ticker.now() - r.editedAt >= EDIT_PAUSE_SECONDS) takePrompt(r);
    const before = r.schedule.shown;
    r.schedule = advance(r.schedule, ticker.now());
    if (r.schedule.shown !== before) show(r, before + 1, r.schedule.shown);
    r.schedule = forget(r.schedule, r.behind);
    // The frames a cut just after the frame on screen would continue from, and every later one, are kept.
    r.frames.releaseBefore(r.schedule.shown + 1 - r.behind);
    ask(r);
    publish(r);
  };

  /** Makes what Record kept into a clip and gives it to the Library. */
  const saveRecording = (r: Run) => {
    const kept = r.recording;
    r.recording = null;
    if (!kept?.length) {
      patch({ recording: null, message: 'Nothing was recorded: no new frame was shown between the two presses of Record.' });
      return;
    }
    const clip = recordedClip(kept, r.config.base.fps);
    const s = get();
    const params: GenerateParams = { ...r.params, prompt: clip.parts[0]!.prompt, seed: r.seed, frames: clip.baseFrames };
    const vocabulary = r.manifest.vocabulary;
    const unknownWords = [...new Set(clip.parts.flatMap((p) => findUnknownWords(p.prompt, vocabulary)))];
    const backend = s.model.status === 'ready' ? s.model.backendInfo.backend : 'wasm';
    const tags = provenanceTags({ version: KINETO_VERSION, modelId: r.manifest.id, manifestSha256: r.manifestSha256, backend, params }, { includePrompt: s.promptInFile });
    patch({ recording: null, saving: true });
    get().liveRequest({
      type: 'encode-clip', frames: { ...r.size, count: clip.rgba.length, rgba: clip.rgba }, params, smoothMotion: clip.smoothMotion, container: s.container,
      manifestSha256: r.manifestSha256, sound: s.sound, tags, modelSeconds: clip.modelSeconds, unknownWords, live: { parts: clip.parts },
    })
      .then((reply) => get().keepResult(reply))
      .catch((e: unknown) => patch({ message: `The recording could not be made into a clip: ${errorInfo(e).message}` }))
      .finally(() => patch({ saving: false }));
  };

  const stop = (message: string | null) => {
    const r = run;
    if (!r) return;
    run = null;
    r.stopTicker();
    if (r.inFlight?.requestId != null) void get().cancelRequest(r.inFlight.requestId);
    if (r.recording) saveRecording(r);
    r.frames.clear();
    patch({ status: 'idle', paused: false, picture: null, makingPrompt: null, waiting: false, speed: null, bufferSeconds: 0, heldFrames: 0, recording: null, message });
  };

  // Leaving Live stops it; so does the model it runs on going away.
  store.subscribe((s, prev) => {
    if (!run) return;
    if (prev.route.view === 'live' && s.route.view !== 'live') s.stopLive();
    else if (s.model !== prev.model && (s.model.status !== 'ready' || s.model.manifest.id !== run.manifest.id))
      stop('Live stopped: the model it ran on was replaced or unloaded. Press Start to go on with the model in use.');
  });

  return {
    live: idleLive,

    setLivePrompt: (prompt) => {
      patch({ prompt });
      if (run) run.editedAt = ticker.now();
    },

    commitLivePrompt: () => {
      if (run) takePrompt(run);
    },

    startLive: () => {
      const s = get();
      if (run) return;
      const problem = liveProblem(s.model);
      const prompt = s.live.prompt.trim();
      if (problem !== null || s.model.status !== 'ready') return patch({ message: problem });
      if (prompt === '') return patch({ message: 'Type a prompt first: it says what the video shows.' });
      const { manifest, manifestSha256 } = s.model;
      const config = liveConfig(manifest);
      const schedule = startSchedule(config, prompt, s.live.smooth);
      const r: Run = {
        schedule, config, frames: createLiveFrames(), manifest, manifestSha256, params: liveParams(manifest), seed: randomSeed(),
        size: modelFrameSize(manifest), behind: framesToKeepBehind(config.knownFrames, config.smooth !== null), inFlight: null, stopTimes: [], failures: 0,
        editedAt: null, recording: null, totals: idleLive.totals, stopTicker: () => {},
      };
      run = r;
      patch({ ...idleLive, prompt: s.live.prompt, smooth: s.live.smooth, status: 'running', makingPrompt: prompt, waiting: true });
      r.stopTicker = ticker.start(tick);
      tick();
    },

    stopLive: () => stop(null),

    pauseLive: () => {
      if (!run) return;
      run.schedule = pause(run.schedule);
      publish(run);
    },

    resumeLive: () => {
      if (!run) return;
      run.schedule = resume(run.schedule, ticker.now());
      publish(run);
    },

    setLiveSmooth: (smooth) => {
      patch({ smooth });
      if (run) run.schedule = setSmooth(run.schedule, smooth);
    },

    toggleLiveRecording: () => {
      const r = run;
      if (!r) return;
      if (r.recording) saveRecording(r);
      else {
        r.recording = [];
        patch({ recording: { frames: 0, seconds: 0 }, message: null });
      }
    },
  };
};
