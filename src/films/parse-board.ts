/**
 * Reads a board from parsed JSON (a file, a share link, storage, the CLI): every problem is named by its field's path
 * (`shots[2].seconds: must be a number from 1 to 30`), all of them at once, and defaults are filled in. Unknown fields
 * are refused rather than ignored: a misspelt `"secnods"` would otherwise be dropped without a word, and a field a
 * newer Kineto adds comes with a new `version`, which is refused by name. `$schema` is allowed at the top, for editors.
 * docs/storyboard.schema.json says the same in JSON Schema; tests/unit/films/parse-board.test.ts keeps them agreeing.
 */
import {
  type Board, BOARD_LIMITS, BOARD_VERSION, DEFAULT_TITLE, defaultStart, type Shot, type Transition,
} from './board';

/** One problem in a board: the field's path (`''` for the whole document) and what is wrong with it. */
export type BoardProblem = { path: string; message: string };
export type ParsedBoard = { ok: true; board: Board } | { ok: false; problems: BoardProblem[] };

/** `shots[2].seconds: must be a number from 1 to 30`. */
export function problemText(p: BoardProblem): string {
  return p.path === '' ? p.message : `${p.path}: ${p.message}`;
}

const BOARD_FIELDS = ['$schema', 'version', 'title', 'seed', 'burnCaptions', 'shots'] as const;
const SHOT_FIELDS = ['prompt', 'seconds', 'start', 'transition', 'seed', 'caption'] as const;
const IMAGE_FIELDS = ['image', 'name'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Length in code points, as JSON Schema's `maxLength` counts. */
const chars = (s: string) => [...s].length;
const list = (names: readonly string[]) => `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

/** The message for a bad text field, or null. */
export function textProblem(v: unknown, maxChars: number): string | null {
  return typeof v === 'string' && chars(v) <= maxChars ? null : `must be text of at most ${maxChars} characters`;
}

/** The message for a bad `seconds`, or null (the Seconds field shows it too). */
export function secondsProblem(v: unknown): string | null {
  const { min, max } = BOARD_LIMITS.seconds;
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? null : `must be a number from ${min} to ${max}`;
}

/** The message for a bad seed, or null. */
export function seedProblem(v: unknown): string | null {
  const { min, max } = BOARD_LIMITS.seed;
  return Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? null : `must be a whole number from ${min} to ${max}`;
}

/** The message for a bad crossfade length, or null. */
export function crossfadeProblem(v: unknown): string | null {
  const { min, max } = BOARD_LIMITS.crossfade;
  return Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? null : `must be a whole number of frames from ${min} to ${max}`;
}

/** Reads `raw` (parsed JSON) as a board. */
export function parseBoard(raw: unknown): ParsedBoard {
  const problems: BoardProblem[] = [];
  const fail = (path: string, message: string) => void problems.push({ path, message });
  if (!isObject(raw)) return { ok: false, problems: [{ path: '', message: 'a board is a JSON object: { "version": 1, "shots": [ … ] }' }] };
  unknownFields(raw, BOARD_FIELDS, '', 'a board', fail);

  if (!('version' in raw)) fail('version', `missing: a board says "version": ${BOARD_VERSION}`);
  else if (raw.version !== BOARD_VERSION) {
    const newer = typeof raw.version === 'number' && raw.version > BOARD_VERSION;
    fail('version', newer ? `this board is version ${raw.version}, from a newer Kineto; this one reads version ${BOARD_VERSION}` : `must be ${BOARD_VERSION}`);
  }
  if ('$schema' in raw && typeof raw.$schema !== 'string') fail('$schema', 'must be text (the schema\'s address)');
  const title = take(raw, 'title', DEFAULT_TITLE, (v) => textProblem(v, BOARD_LIMITS.titleChars), '', fail);
  const seed = take(raw, 'seed', 0, seedProblem, '', fail);
  const burnCaptions = take(raw, 'burnCaptions', false, (v) => (typeof v === 'boolean' ? null : 'must be true or false'), '', fail);

  const shots: Shot[] = [];
  const { min, max } = BOARD_LIMITS.shots;
  if (!('shots' in raw)) fail('shots', `missing: a list of ${min} to ${max} shots`);
  else if (!Array.isArray(raw.shots) || raw.shots.length < min || raw.shots.length > max) fail('shots', `must be a list of ${min} to ${max} shots`);
  else raw.shots.forEach((s, i) => {
    const shot = parseShot(s, i, fail);
    if (shot) shots.push(shot);
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, board: { version: BOARD_VERSION, title, seed, burnCaptions, shots } };
}

function parseShot(raw: unknown, index: number, fail: (path: string, message: string) => void): Shot | null {
  const at = `shots[${index}]`;
  if (!isObject(raw)) {
    fail(at, 'must be an object: { "prompt": "…", "seconds": 2 }');
    return null;
  }
  unknownFields(raw, SHOT_FIELDS, at, 'a shot', fail);
  if (!('prompt' in raw)) fail(`${at}.prompt`, `missing: text of at most ${BOARD_LIMITS.promptChars} characters`);
  if (!('seconds' in raw)) fail(`${at}.seconds`, `missing: a number from ${BOARD_LIMITS.seconds.min} to ${BOARD_LIMITS.seconds.max}`);
  const prompt = take(raw, 'prompt', '', (v) => textProblem(v, BOARD_LIMITS.promptChars), at, fail);
  const seconds = take(raw, 'seconds', 0, secondsProblem, at, fail);
  const start = take(raw, 'start', defaultStart(index), (v) => startProblem(v, index, `${at}.start`, fail), at, fail);
  const transition = take(raw, 'transition', 'cut' as Transition, (v) => transitionProblem(v, `${at}.transition`, fail), at, fail);
  if (index === 0 && transition !== 'cut') fail(`${at}.transition`, 'the first shot has no shot before it to crossfade from: use "cut"');
  else if (('start' in raw ? raw.start : start) === 'continue' && transition !== 'cut')
    fail(`${at}.transition`, 'a shot that continues flows on from the last frame before it: use "cut", or start it with "cut" or an image to crossfade');
  const shot: Shot = { prompt, seconds, start, transition };
  if ('seed' in raw) shot.seed = take(raw, 'seed', 0, seedProblem, at, fail);
  const caption = take(raw, 'caption', '', (v) => textProblem(v, BOARD_LIMITS.captionChars), at, fail);
  if (caption !== '') shot.caption = caption;
  return shot;
}

/** A start's problem; one of an image object's own fields is reported by its path and answers '' here. */
function startProblem(v: unknown, index: number, at: string, fail: (path: string, message: string) => void): string | null {
  if (v === 'cut') return null;
  if (v === 'continue') return index === 0 ? 'the first shot has nothing to continue from: use "cut" or { "image": "…" }' : null;
  if (!isObject(v) || !('image' in v)) return 'must be "continue", "cut" or { "image": "<path or data URL>" }';
  let nested = unknownFields(v, IMAGE_FIELDS, at, 'an image start', fail);
  if (typeof v.image !== 'string' || v.image.trim() === '') {
    fail(`${at}.image`, 'must be a file path or a data: URL');
    nested = true;
  }
  const name = 'name' in v ? textProblem(v.name, BOARD_LIMITS.imageNameChars) : null;
  if (name) {
    fail(`${at}.name`, name);
    nested = true;
  }
  return nested ? '' : null;
}

function transitionProblem(v: unknown, at: string, fail: (path: string, message: string) => void): string | null {
  if (v === 'cut') return null;
  if (!isObject(v) || !('crossfade' in v)) return 'must be "cut" or { "crossfade": <frames> }';
  const nested = unknownFields(v, ['crossfade'], at, 'a crossfade', fail);
  const frames = crossfadeProblem(v.crossfade);
  if (frames) fail(`${at}.crossfade`, frames);
  return nested || frames ? '' : null;
}

/**
 * The field's value, or `fallback` when absent; a problem is reported at the field's path (an empty problem means
 * the check reported its own, deeper paths). Returns the fallback for a bad value, so parsing goes on to find more.
 */
function take<T>(raw: Record<string, unknown>, field: string, fallback: T, problem: (v: unknown) => string | null, at: string, fail: (path: string, message: string) => void): T {
  if (!(field in raw)) return fallback;
  const p = problem(raw[field]);
  if (p === null) return structuredClone(raw[field]) as T;
  if (p !== '') fail(at === '' ? field : `${at}.${field}`, p);
  return fallback;
}

/** Reports each field of `raw` not in `known`; returns whether there was one. */
function unknownFields(raw: Record<string, unknown>, known: readonly string[], at: string, what: string, fail: (path: string, message: string) => void): boolean {
  const unknown = Object.keys(raw).filter((k) => !known.includes(k));
  const shown = known.filter((k) => k !== '$schema');
  for (const k of unknown) fail(at === '' ? k : `${at}.${k}`, `unknown field; ${what} has ${shown.length === 1 ? shown[0] : list(shown)}`);
  return unknown.length > 0;
}
