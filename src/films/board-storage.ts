/**
 * The board being written, kept in the browser's localStorage so that a reload (or closing the tab) keeps it. The
 * stored text is the board file's; a stored board this Kineto cannot read is set aside under another key rather than
 * overwritten by the next edit.
 */
import type { Board } from './board';
import { boardText, readBoardText } from './board-file';
import { problemText } from './parse-board';

export const BOARD_STORAGE_KEY = 'kineto-storyboard';
const UNREADABLE_KEY = `${BOARD_STORAGE_KEY}-unreadable`;

/** The kept board; null when none is kept; a sentence when one is kept but cannot be read (it is set aside). */
export function loadBoard(storage: Storage): Board | null | { problem: string } {
  const text = storage.getItem(BOARD_STORAGE_KEY);
  if (text === null) return null;
  const parsed = readBoardText(text);
  if (parsed.ok) return parsed.board;
  storage.setItem(UNREADABLE_KEY, text);
  storage.removeItem(BOARD_STORAGE_KEY);
  return { problem: parsed.problems.map(problemText).join('; ') };
}

/** Keeps `board`; returns a sentence when the browser refused (its storage is full). */
export function saveBoard(storage: Storage, board: Board): string | null {
  try {
    storage.setItem(BOARD_STORAGE_KEY, boardText(board));
    return null;
  } catch {
    return 'This browser would not keep the board (its storage is full, perhaps with the pictures): use Download board to keep it.';
  }
}
