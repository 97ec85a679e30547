/**
 * What the Library keeps of a finished film: like a clip (clip-record.ts), an entry under one id with its video stored
 * apart, but of its own kind (`kind: 'film'`) with its own version, so clip entries stay exactly as they were and
 * builds before films skip a film as an entry they cannot read. Beside the file's facts and a poster it keeps the
 * whole board document (Remix opens it) and the timeline the video was made on: where each shot plays, which is what
 * opening a shot as a clip cuts out. The title and the shots are the board's, the length the timeline's: nothing is
 * stored twice. Pure: types, the entry of a made film, its check, and a shot's span in seconds.
 */
import { type ClipModel, isVideoContainer, type VideoContainer } from '../engine/clip-facts';
import type { Board } from '../films/board';
import type { FilmOutput } from '../films/film-output';
import { parseBoard, problemText } from '../films/parse-board';
import { secondsAtFrame, type Timeline } from '../films/timeline';

/** The version of `FilmEntry` this build writes. */
export const FILM_ENTRY_VERSION = 1;

/** The film's file. */
export type FilmFacts = {
  container: VideoContainer;
  mimeType: string;
  /** Encoded size in pixels. */
  width: number;
  height: number;
  /** `the-lighthouse.mp4`: the board's title as a file name. */
  fileName: string;
  /** Video bytes. */
  size: number;
  /** Whether the file has a sound track. */
  sound: boolean;
  model: ClipModel;
};

export type FilmEntry = {
  kind: 'film';
  version: typeof FILM_ENTRY_VERSION;
  /** Random UUID; also the key of the video record. */
  id: string;
  /** When the film was made (ms since the epoch). */
  createdAt: number;
  facts: FilmFacts;
  /** Still image of the film's middle frame for the grid; null when none could be made. */
  poster: Blob | null;
  /** The board document the film was made from, as its file holds it. */
  board: Board;
  /** Where each shot sits in the video, at `timeline.fps`; its `frames` is the video's. */
  timeline: Timeline;
};

/** The entry of a made film (its video is stored apart). */
export function entryFromFilm(output: FilmOutput, id: string, createdAt: number): FilmEntry {
  const { kept } = output;
  return {
    kind: 'film',
    version: FILM_ENTRY_VERSION,
    id,
    createdAt,
    facts: {
      container: kept.container, mimeType: kept.mimeType, width: kept.width, height: kept.height, fileName: output.fileName, size: kept.video.size,
      sound: output.audio, model: kept.model,
    },
    poster: kept.poster,
    board: kept.board,
    timeline: kept.timeline,
  };
}

/** Whether a stored value says it is a film (a good one or not): clips carry no `kind`. */
export function isFilmValue(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'film';
}

const isCount = (v: unknown, min: number): v is number => Number.isInteger(v) && (v as number) >= min;

/** Why `t` is not a timeline of `shots` shots laid end to end from frame 0, or null. */
function timelineProblem(t: Partial<Timeline> | undefined, shots: number): string | null {
  if (typeof t !== 'object' || t === null || typeof t.fps !== 'number' || !(t.fps > 0) || !isCount(t.frames, 1) || !Array.isArray(t.shots)) return 'no timeline';
  if (t.shots.length !== shots) return `the timeline has ${t.shots.length} shots, the board ${shots}`;
  let first = 0;
  for (const [i, s] of t.shots.entries()) {
    if (!isCount(s?.frames, 1) || s.first !== first || s.last !== first + s.frames - 1 || !isCount(s.leadIn, 0)) return `timeline shot ${i + 1} is out of place`;
    first += s.frames;
  }
  return first === t.frames ? null : `the timeline's shots fill ${first} frames, not ${t.frames}`;
}

/**
 * Why a stored value that says it is a film is not a usable FilmEntry (the first problem found), or null when it is
 * one; like clips, a damaged or newer entry is skipped with this reason.
 */
export function filmEntryProblem(value: unknown): string | null {
  if (!isFilmValue(value)) return 'not a film';
  const e = value as Partial<FilmEntry>;
  if (e.version !== FILM_ENTRY_VERSION) return `unknown film version ${String(e.version)}`;
  if (typeof e.id !== 'string' || e.id === '') return 'no id';
  if (typeof e.createdAt !== 'number' || !Number.isFinite(e.createdAt)) return 'no date';
  const f = e.facts as Partial<FilmFacts> | undefined;
  if (typeof f !== 'object' || f === null) return 'no facts';
  if (!isVideoContainer(f.container)) return 'unknown container';
  if (typeof f.fileName !== 'string' || typeof f.mimeType !== 'string') return 'no file name';
  if (!isCount(f.size, 0) || !isCount(f.width, 1) || !isCount(f.height, 1)) return 'no size';
  if (typeof f.sound !== 'boolean') return 'no sound flag';
  if (typeof f.model !== 'object' || f.model === null || typeof f.model.id !== 'string') return 'no model';
  if (e.poster !== null && !(e.poster instanceof Blob)) return 'damaged poster';
  const board = parseBoard(e.board);
  if (!board.ok) return `board: ${board.problems.slice(0, 1).map(problemText).join('')}`;
  return timelineProblem(e.timeline, board.board.shots.length);
}

/** A short name for a stored film in messages: its title when readable, else its id. */
export function filmLabel(value: unknown): string {
  const v = value as { id?: unknown; board?: { title?: unknown } } | null;
  const title = v?.board?.title;
  if (typeof title === 'string' && title.trim() !== '') return `the film “${title.length > 40 ? `${title.slice(0, 40)}…` : title}”`;
  return typeof v?.id === 'string' ? `film ${v.id}` : 'a film without an id';
}

/** The film's length in seconds. */
export function filmSeconds(entry: FilmEntry): number {
  return secondsAtFrame(entry.timeline, entry.timeline.frames);
}

/**
 * Where shot `index` (from 0) plays in the film's video, in seconds: its own frames on the timeline, from its first to
 * the end of its last. Its crossfade lead-in plays over the shot before, so it belongs to that shot's span; null when
 * the film has no such shot.
 */
export function shotSpan(entry: FilmEntry, index: number): { start: number; end: number } | null {
  const span = entry.timeline.shots[index];
  return span ? { start: secondsAtFrame(entry.timeline, span.first), end: secondsAtFrame(entry.timeline, span.last + 1) } : null;
}
