/**
 * Where each shot sits in the film, in frames at the model's fps. A shot holds round(seconds × fps) frames of the
 * timeline; the film is their sum (the board's total), whatever the transitions.
 *
 * A crossfade of N frames into shot k+1 overlaps, it does not shorten: shot k+1 is made N frames longer ("lead-in"),
 * and those N frames play over the last N of shot k, blending in (crossfade.ts). So the film still has the board's
 * total frames, and shot k+1's own frames start where its slot starts:
 *
 *   shot k     |■■■■■■■■■■■■■■■■■■■■|
 *   shot k+1               |░░░░░░░░|■■■■■■■■■■■■■■|     ░ = lead-in, blended over shot k's last N frames
 *   film       |-------- k --------|------ k+1 ------|
 *
 * Frames are numbered from 0 here; the screen says "frame 1" for frame 0.
 */
import { type Board, crossfadeFrames } from './board';
import type { BoardProblem } from './parse-board';

/** One shot on the timeline. */
export type ShotSpan = {
  /** Frames the shot holds on the timeline: round(seconds × fps). */
  frames: number;
  /** Its first and last frame in the film's numbering (last inclusive). */
  first: number;
  last: number;
  /** Crossfade frames made before `first`, played over the end of the shot before. */
  leadIn: number;
  /** Frames the engine makes for it: `leadIn + frames`. */
  made: number;
};

export type Timeline = { fps: number; frames: number; shots: ShotSpan[] };

/** The frames a shot of `seconds` holds at `fps`. */
export function shotFrames(seconds: number, fps: number): number {
  return Math.max(1, Math.round(seconds * fps));
}

export function buildTimeline(board: Board, fps: number): Timeline {
  let first = 0;
  const shots = board.shots.map((shot, i): ShotSpan => {
    const frames = shotFrames(shot.seconds, fps);
    const leadIn = i === 0 ? 0 : crossfadeFrames(shot.transition);
    const span = { frames, first, last: first + frames - 1, leadIn, made: leadIn + frames };
    first += frames;
    return span;
  });
  return { fps, frames: first, shots };
}

/** What the board asks that the timeline cannot give at `fps`: a crossfade longer than the shot it fades over. */
export function timelineProblems(board: Board, fps: number): BoardProblem[] {
  const t = buildTimeline(board, fps);
  const problems: BoardProblem[] = [];
  t.shots.forEach((span, i) => {
    const before = t.shots[i - 1];
    if (before && span.leadIn > before.frames)
      problems.push({
        path: `shots[${i}].transition.crossfade`,
        message: `${span.leadIn} frames is longer than shot ${i} before it (${before.frames} frames at ${fps} fps)`,
      });
  });
  return problems;
}

/** A frame of one shot: `frame` counts that shot's made frames, its lead-in first. */
export type ShotFrame = { shot: number; frame: number };
/** What plays at a film frame: a shot's frame, and during a crossfade the incoming shot's with its weight (0–1). */
export type FramePosition = ShotFrame & { incoming?: ShotFrame & { weight: number } };

/** The incoming shot's weight at crossfade frame `j` (from 0) of `n`: never all one shot or all the other. */
export function crossfadeWeight(j: number, n: number): number {
  return (j + 1) / (n + 1);
}

/** What plays at film frame `f` (clamped to the film). */
export function frameAt(t: Timeline, f: number): FramePosition {
  const at = Math.min(Math.max(0, Math.floor(f)), t.frames - 1);
  const index = t.shots.findIndex((s) => at <= s.last);
  const span = t.shots[index]!;
  const position: FramePosition = { shot: index, frame: span.leadIn + at - span.first };
  const next = t.shots[index + 1];
  if (next && at > span.last - next.leadIn) {
    const j = at - (next.first - next.leadIn);
    position.incoming = { shot: index + 1, frame: j, weight: crossfadeWeight(j, next.leadIn) };
  }
  return position;
}

/** The film frame where shot `shot`'s frame `frame` of the timeline (0: its first, after any lead-in) plays. */
export function filmFrame(t: Timeline, shot: number, frame: number): number {
  const span = t.shots[shot];
  if (!span) throw new RangeError(`No shot ${shot} on a timeline of ${t.shots.length}`);
  return span.first + frame;
}

/** The film frame showing at `seconds` into the film (clamped to the film). */
export function frameAtSeconds(t: Timeline, seconds: number): number {
  return Math.min(Math.max(0, Math.floor(seconds * t.fps + 1e-9)), t.frames - 1);
}

/** The time at which film frame `f` starts, in seconds. */
export function secondsAtFrame(t: Timeline, f: number): number {
  return f / t.fps;
}
