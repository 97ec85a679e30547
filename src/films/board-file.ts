/**
 * A board as a file: the same JSON document the schema describes, written with its fields in a fixed order (so two
 * saves of one board are the same bytes), and read back with every problem named by its field.
 */
import { type Board, type Shot } from './board';
import { type ParsedBoard, parseBoard } from './parse-board';

/** The board as a plain document: fields in the schema's order, optional ones only when set. */
export function boardDocument(board: Board): Board {
  const shot = (s: Shot): Shot => ({
    prompt: s.prompt,
    seconds: s.seconds,
    start: typeof s.start === 'object' ? { image: s.start.image, ...(s.start.name !== undefined ? { name: s.start.name } : {}) } : s.start,
    transition: s.transition === 'cut' ? 'cut' : { crossfade: s.transition.crossfade },
    ...(s.seed !== undefined ? { seed: s.seed } : {}),
    ...(s.caption ? { caption: s.caption } : {}),
  });
  return { version: board.version, title: board.title, seed: board.seed, burnCaptions: board.burnCaptions, shots: board.shots.map(shot) };
}

/** The board file's text. */
export function boardText(board: Board): string {
  return `${JSON.stringify(boardDocument(board), null, 2)}\n`;
}

/** A file's text as a board; text that is not JSON is named as such. */
export function readBoardText(text: string): ParsedBoard {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [{ path: '', message: `not a JSON file (${e instanceof Error ? e.message : String(e)})` }] };
  }
  return parseBoard(raw);
}

/** `the-lighthouse` for a board titled "The lighthouse" (`fallback` when the title has no letter or digit). */
export function boardSlug(board: Board, fallback: string): string {
  const slug = board.title.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return slug || fallback;
}

/** `the-lighthouse.storyboard.json` for a board titled "The lighthouse". */
export function boardFileName(board: Board): string {
  return `${boardSlug(board, 'storyboard')}.storyboard.json`;
}
