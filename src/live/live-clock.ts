/**
 * Live's schedule: a stream of windows shown at their frame rate while the next ones are made. Pure — the caller
 * passes `now` (seconds: performance.now() / 1000 in the app, a fake clock in the tests) — so every rule below is
 * tested without a browser or a model.
 *
 * The stream is a run of frames numbered from 0. Each made window appends its new frames at the end (a window
 * continues from the last `knownFrames` frames before it); playback shows them one after another, each for 1/fps of
 * its window. The rules:
 * - Ahead: a window is asked for whenever less than `aheadSeconds` of frames wait to be shown, one at a time.
 * - A prompt edit takes effect at the earliest seam that can still be made in time: frames that would play after the
 *   new window could be ready are dropped unseen, the new window continues from the last frames kept, and a window
 *   still being made under the old prompt is abandoned. So an edit shows after about one window's making time, not
 *   after the whole buffer has played.
 * - Stall: a frame due and not made holds the last frame on screen (a pause at the seam, never a repeated or torn
 *   frame); the clock restarts from the next frame when it comes.
 * - Catch-up, when making is slower than playback (the median real-time factor of the last windows below 1): first
 *   Smooth motion is dropped for the base frame rate, then Live plays on with pauses at seams. Each step says so.
 */

/** What one window makes at a frame rate: new frames, and the rate they play at. */
export type WindowRate = { fps: number; newFrames: number };

export type LiveConfig = {
  /** The model's own rate. */
  base: WindowRate;
  /** Smooth motion's rate (the in-betweens double it), or null where the model cannot make them. */
  smooth: WindowRate | null;
  /** Frames a window takes from the stream before it. */
  knownFrames: number;
  /** How far ahead of playback making tries to stay. */
  aheadSeconds: number;
};

/** A made window: where its new frames are in the stream, their rate, and what made them. */
export type LiveSegment = { first: number; count: number; fps: number; prompt: string; makeSeconds: number };

/** A window asked for: its new frames start at stream frame `from`, after the known ones before it. */
export type WindowAsk = { id: number; from: number; prompt: string; rate: WindowRate; smooth: boolean };

/** How Live copes: in time, at the base rate because Smooth motion was too slow, or pausing at seams. */
export type CatchUp = 'in-time' | 'base-rate' | 'pausing';

export type LiveState = {
  config: LiveConfig;
  prompt: string;
  /** Whether windows are asked at Smooth motion's rate. */
  smooth: boolean;
  /** Made windows, oldest first; those long shown are let go (`forget`). */
  segments: LiveSegment[];
  /** Frames made so far: the next window's first new frame. */
  made: number;
  /** The frame on screen (-1 before the first). */
  shown: number;
  /** When frame `shown + 1` is due; null before the first frame, while paused and while stalled. */
  nextDue: number | null;
  paused: boolean;
  ask: WindowAsk | null;
  nextId: number;
  /** Real-time factors (seconds of video per second of making) of the last windows. */
  speeds: number[];
  /** Seconds the last windows took to make. */
  makeTimes: number[];
  stalls: number;
  catchUp: CatchUp;
};

/** Windows the speed is judged over: enough to ride out one slow window, few enough to react within seconds. */
const SPEED_WINDOWS = 3;

export function startLive(config: LiveConfig, prompt: string, smooth: boolean): LiveState {
  return {
    config, prompt, smooth: smooth && config.smooth !== null, segments: [], made: 0, shown: -1, nextDue: null,
    paused: false, ask: null, nextId: 1, speeds: [], makeTimes: [], stalls: 0, catchUp: 'in-time',
  };
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** The segment that holds stream frame `frame`. */
export function segmentOf(state: LiveState, frame: number): LiveSegment | undefined {
  return state.segments.find((s) => frame >= s.first && frame < s.first + s.count);
}

const frameSeconds = (state: LiveState, frame: number) => 1 / (segmentOf(state, frame)?.fps ?? state.config.base.fps);

/** Seconds of made frames not yet shown. */
export function bufferedSeconds(state: LiveState): number {
  let s = 0;
  for (let f = state.shown + 1; f < state.made; f++) s += frameSeconds(state, f);
  return s;
}

/** Median seconds of video made per second of making over the last windows; null before the first. */
export function realTimeFactor(state: LiveState): number | null {
  return state.speeds.length ? median(state.speeds)! : null;
}

/**
 * Shows the frames due by `now`. A frame due but not made stalls the clock (counted once per stall). Returns the new
 * state; its `shown` is the frame to draw.
 */
export function advance(state: LiveState, now: number): LiveState {
  if (state.nextDue === null || now < state.nextDue) return state;
  let { shown, nextDue } = state;
  while (now >= nextDue && shown + 1 < state.made) {
    shown++;
    nextDue += frameSeconds(state, shown);
  }
  if (now >= nextDue && shown + 1 >= state.made) return { ...state, shown, nextDue: null, stalls: state.stalls + 1 };
  return { ...state, shown, nextDue };
}

/** The window to ask for now, if any: one at a time, while less than `aheadSeconds` waits to be shown. */
export function nextAsk(state: LiveState): { state: LiveState; ask: WindowAsk | null } {
  if (state.ask || bufferedSeconds(state) >= state.config.aheadSeconds) return { state, ask: null };
  const rate = state.smooth ? state.config.smooth! : state.config.base;
  const ask: WindowAsk = { id: state.nextId, from: state.made, prompt: state.prompt, rate, smooth: state.smooth };
  return { state: { ...state, ask, nextId: state.nextId + 1 }, ask };
}

/**
 * A window came back: its frames join the stream (unless it was abandoned: `accepted` false), its speed is counted,
 * and a stalled or starting clock restarts at once.
 */
export function windowMade(state: LiveState, id: number, makeSeconds: number, now: number): { state: LiveState; accepted: boolean } {
  const ask = state.ask;
  if (!ask || ask.id !== id) return { state, accepted: false };
  const { fps, newFrames } = ask.rate;
  const segment: LiveSegment = { first: ask.from, count: newFrames, fps, prompt: ask.prompt, makeSeconds };
  const speeds = [...state.speeds, newFrames / fps / Math.max(makeSeconds, 1e-6)].slice(-SPEED_WINDOWS);
  const makeTimes = [...state.makeTimes, makeSeconds].slice(-SPEED_WINDOWS);
  const next: LiveState = {
    ...state, ask: null, segments: [...state.segments, segment], made: ask.from + newFrames, speeds, makeTimes,
    nextDue: state.nextDue ?? (state.paused ? null : now),
  };
  return { state: catchUp(next), accepted: true };
}

/** Slower than playback over the last windows: drop Smooth motion first, then say it pauses at seams. */
function catchUp(state: LiveState): LiveState {
  if (state.speeds.length < SPEED_WINDOWS || realTimeFactor(state)! >= 1) return state;
  if (state.smooth) return { ...state, smooth: false, catchUp: 'base-rate', speeds: [] };
  return { ...state, catchUp: 'pausing' };
}

/** A window failed or was cancelled: it is asked again (from the same frame) on the next `nextAsk`. */
export function windowLost(state: LiveState, id: number): LiveState {
  return state.ask?.id === id ? { ...state, ask: null } : state;
}

/** How much longer than the slowest recent window a window under a new prompt is given before it is due. */
const EDIT_LEAD_MARGIN = 1.5;

/**
 * A new prompt. Frames that would play after a window under it could be ready (one making time from `now`, the
 * slowest of the last windows) are dropped unseen, and a window being made under the old prompt is abandoned
 * (`abandoned`: its id, to cancel). The stream keeps at least `knownFrames` frames to continue from.
 */
export function changePrompt(state: LiveState, prompt: string, now: number): { state: LiveState; abandoned: number | null } {
  if (prompt === state.prompt) return { state, abandoned: null };
  // The slowest of the last windows, not the median, with a margin: a window under a new prompt that comes late is a
  // stall, and on a busy machine one window now and then takes a good part longer than the last few did.
  const lead = state.makeTimes.length ? Math.max(...state.makeTimes) * EDIT_LEAD_MARGIN : 0;
  // The first frame not yet due by the time a new window could be made.
  let keep = state.shown + 1;
  let due = state.nextDue ?? now;
  while (keep < state.made && due < now + lead) {
    due += frameSeconds(state, keep);
    keep++;
  }
  keep = Math.min(state.made, Math.max(keep, state.config.knownFrames));
  const segments = state.segments
    .filter((s) => s.first < keep)
    .map((s) => (s.first + s.count > keep ? { ...s, count: keep - s.first } : s));
  return { state: { ...state, prompt, made: keep, segments, ask: null }, abandoned: state.ask?.id ?? null };
}

export function pause(state: LiveState): LiveState {
  return { ...state, paused: true, nextDue: null };
}

/** Plays on from the frame on screen: the next one is due one of its frame times from `now`. */
export function resume(state: LiveState, now: number): LiveState {
  if (!state.paused) return state;
  const waiting = state.shown + 1 < state.made;
  return { ...state, paused: false, nextDue: waiting ? now + frameSeconds(state, Math.max(0, state.shown)) : null };
}

/** Smooth motion switched by the person: from the next window on (a window already made keeps its rate). */
export function setSmooth(state: LiveState, smooth: boolean): LiveState {
  const on = smooth && state.config.smooth !== null;
  return on === state.smooth ? state : { ...state, smooth: on, catchUp: 'in-time', speeds: [] };
}

/** Lets go of segments shown more than `keepFrames` frames ago (the frames they describe are gone too). */
export function forget(state: LiveState, keepFrames: number): LiveState {
  const segments = state.segments.filter((s) => s.first + s.count > state.shown - keepFrames);
  return segments.length === state.segments.length ? state : { ...state, segments };
}
