/**
 * The storyboard: one plain, versioned JSON document that the Storyboard screen, its share link, its file, the
 * Library and the CLI all read and write (docs/STORYBOARD.md, docs/storyboard.schema.json). A board is a list of
 * shots; each shot is a prompt made for some seconds, starting fresh ("cut"), from the last frames of the shot before
 * ("continue") or from a picture, and joined to the shot before by a cut or a crossfade. The frame rate is the
 * model's, so the board holds seconds, never frames. Types and defaults here; reading is `parse-board.ts`.
 */
import { LIMITS } from '../engine/params';

/** The version this Kineto writes and reads; a newer board is refused by name, never half-read. */
export const BOARD_VERSION = 1;

/** How a shot begins: fresh from noise, from the previous shot's last frames, or from a picture. */
export type ShotStart = 'continue' | 'cut' | ImageStart;
/**
 * A picture to start from: a file path (the CLI reads it, relative to the board's file) or a `data:` URL (what the
 * app keeps). `name` is the picture's file name, shown in the app and written in place of a data URL in share links.
 */
export type ImageStart = { image: string; name?: string };

/** How the shot before hands over to this one: a cut, or a crossfade of `crossfade` frames (see timeline.ts). */
export type Transition = 'cut' | { crossfade: number };

export type Shot = {
  prompt: string;
  /** Length on the film's timeline, in seconds (frames: rounded at the model's fps). */
  seconds: number;
  start: ShotStart;
  transition: Transition;
  /** This shot's seed; absent: the board's. */
  seed?: number;
  /** Dialogue or a note, shown as a subtitle while the shot plays. */
  caption?: string;
};

/** A board with every default filled in: what `parseBoard` returns and what the app edits. */
export type Board = {
  version: typeof BOARD_VERSION;
  title: string;
  /** The seed of every shot that has none of its own. */
  seed: number;
  /** True: captions are drawn into the frames; false: they travel as a WebVTT subtitle track only. */
  burnCaptions: boolean;
  shots: Shot[];
};

/** Bounds every reader and writer of a board keeps: out of range is refused, never clamped. */
export const BOARD_LIMITS = {
  shots: { min: 1, max: 50 },
  seconds: { min: 1, max: 30 },
  crossfade: { min: 1, max: 120 },
  seed: LIMITS.seed,
  titleChars: 120,
  promptChars: LIMITS.promptChars,
  captionChars: 300,
  imageNameChars: 200,
} as const;

export const DEFAULT_TITLE = 'Untitled film';
export const DEFAULT_SECONDS = 2;

/** The start a shot has when its board says none: the first shot starts fresh, later ones continue. */
export function defaultStart(index: number): ShotStart {
  return index === 0 ? 'cut' : 'continue';
}

export function isImageStart(start: ShotStart): start is ImageStart {
  return typeof start === 'object';
}

/** The seed a shot is made with. */
export function shotSeed(board: Board, index: number): number {
  return board.shots[index]?.seed ?? board.seed;
}

/** The crossfade frames into a shot (0 for a cut). */
export function crossfadeFrames(transition: Transition): number {
  return transition === 'cut' ? 0 : transition.crossfade;
}

/** A new, empty shot for position `index`. */
export function blankShot(index: number): Shot {
  return { prompt: '', seconds: DEFAULT_SECONDS, start: defaultStart(index), transition: 'cut' };
}

/** A board with one empty shot. */
export function blankBoard(seed = 0): Board {
  return { version: BOARD_VERSION, title: DEFAULT_TITLE, seed, burnCaptions: false, shots: [blankShot(0)] };
}
