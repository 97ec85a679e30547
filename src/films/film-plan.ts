/**
 * Which shots a film needs made, and in what order. Each shot has a key: a digest of everything that decides its
 * frames (prompt, seed, frames, fps, start, and for a continuing shot the key of the shot before). A shot whose key
 * is already made is kept; an edit changes the keys of the shot and of the shots that continue from it, so Generate
 * film makes again exactly those. Pure; the CLI plans the same way.
 */
import { type Board, isImageStart, shotSeed } from './board';
import type { ShotRequest } from './film-engine';
import type { BoardProblem } from './parse-board';
import { buildTimeline, timelineProblems } from './timeline';

export type ShotPlan = { key: string; request: ShotRequest; /** The shot it continues from, or null. */ after: number | null };

/** Every shot's request and key at `fps`. */
export function planFilm(board: Board, fps: number): ShotPlan[] {
  const timeline = buildTimeline(board, fps);
  const plan: ShotPlan[] = [];
  board.shots.forEach((shot, index) => {
    const request: ShotRequest = { index, prompt: shot.prompt, seed: shotSeed(board, index), frames: timeline.shots[index]!.made, fps, start: shot.start };
    const after = shot.start === 'continue' && index > 0 ? index - 1 : null;
    const start = isImageStart(shot.start) ? { image: shot.start.image } : shot.start; // the picture's name is no part of it
    const key = digest(JSON.stringify([request.prompt, request.seed, request.frames, fps, start, after === null ? null : plan[after]!.key]));
    plan.push({ key, request, after });
  });
  return plan;
}

/**
 * What stops the board being made at `fps`: a shot without a prompt, a crossfade too long for the timeline, and
 * where `readsPaths` is false (the browser) a picture given as a file path.
 */
export function filmProblems(board: Board, fps: number, readsPaths: boolean): BoardProblem[] {
  const problems: BoardProblem[] = [];
  board.shots.forEach((shot, i) => {
    if (shot.prompt.trim() === '') problems.push({ path: `shots[${i}].prompt`, message: 'type what the shot shows' });
    if (!readsPaths && isImageStart(shot.start) && !shot.start.image.startsWith('data:'))
      problems.push({ path: `shots[${i}].start.image`, message: `${shot.start.image} is not in this browser: choose the picture` });
  });
  return [...problems, ...timelineProblems(board, fps)].sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
}

/** `targets` that are not made yet, with the unmade shots they continue from, in the board's order. */
export function shotsToMake(plan: readonly ShotPlan[], isMade: (key: string) => boolean, targets: Iterable<number>): number[] {
  const out = new Set<number>();
  for (const t of targets) {
    for (let i: number | null = t; i !== null && !out.has(i) && !isMade(plan[i]!.key); i = plan[i]!.after) out.add(i);
  }
  return [...out].sort((a, b) => a - b);
}

/** Shot `index` and the shots after it that continue from it, one from the other. */
export function continuingFrom(plan: readonly ShotPlan[], index: number): number[] {
  const out = [index];
  while (plan[out.at(-1)! + 1]?.after === out.at(-1)) out.push(out.at(-1)! + 1);
  return out;
}

/** A 64-bit digest of `text` as 16 hex digits (two 32-bit FNV-1a passes with different seeds and primes). */
export function digest(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
