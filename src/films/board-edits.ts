/**
 * The Storyboard's edits as pure functions of the board. Every edit keeps the board readable: the first shot never
 * continues or crossfades (there is nothing before it), and a continuing shot cuts in (it flows on from the frame
 * before), so moving a shot to the top or choosing Continue adjusts its neighbours' fields rather than leaving a board
 * that `parseBoard` would refuse.
 */
import { type Board, blankShot, type Shot } from './board';

/** The first shot starts with a cut if it said Continue; continuing shots and the first one cut in. */
function tidy(shots: Shot[]): Shot[] {
  return shots.map((s, i) => {
    const start = i === 0 && s.start === 'continue' ? 'cut' : s.start;
    const transition = i === 0 || start === 'continue' ? 'cut' : s.transition;
    return start === s.start && transition === s.transition ? s : { ...s, start, transition };
  });
}

const withShots = (board: Board, shots: Shot[]): Board => ({ ...board, shots: tidy(shots) });

/** Shot `index` with `patch` applied; `seed` or `caption` set to undefined (or an empty caption) removes it. */
export function editShot(board: Board, index: number, patch: Partial<Shot>): Board {
  return withShots(board, board.shots.map((s, i) => {
    if (i !== index) return s;
    const next: Shot = { ...s, ...patch };
    if (next.seed === undefined) delete next.seed;
    if (!next.caption) delete next.caption;
    return next;
  }));
}

/** A blank shot at the end: it continues the last one. */
export function addShot(board: Board): Board {
  return withShots(board, [...board.shots, blankShot(board.shots.length)]);
}

/** A copy of shot `index` right after it. */
export function duplicateShot(board: Board, index: number): Board {
  const shot = board.shots[index];
  if (!shot) return board;
  return withShots(board, [...board.shots.slice(0, index + 1), structuredClone(shot), ...board.shots.slice(index + 1)]);
}

/** The board without shot `index`; the last shot is kept (a board has at least one). */
export function deleteShot(board: Board, index: number): Board {
  if (board.shots.length <= 1 || !board.shots[index]) return board;
  return withShots(board, board.shots.filter((_, i) => i !== index));
}

/** Shot `from` moved to position `to` (both from 0; `to` clamped to the board). */
export function moveShot(board: Board, from: number, to: number): Board {
  const shot = board.shots[from];
  const target = Math.min(Math.max(0, to), board.shots.length - 1);
  if (!shot || target === from) return board;
  const rest = board.shots.filter((_, i) => i !== from);
  return withShots(board, [...rest.slice(0, target), shot, ...rest.slice(target)]);
}
