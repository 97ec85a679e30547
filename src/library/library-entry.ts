/**
 * Everything the Library keeps under one id: a clip (clip-record.ts, no `kind`) or a film with its board
 * (film-record.ts, `kind: 'film'`). Each kind has its own version and its own check; these pick the kind's.
 */
import { type ClipEntry, entryLabel, entryProblem } from './clip-record';
import { type FilmEntry, filmEntryProblem, filmLabel, isFilmValue } from './film-record';

export type LibraryEntry = ClipEntry | FilmEntry;

export function isFilmEntry(entry: LibraryEntry): entry is FilmEntry {
  return 'kind' in entry && entry.kind === 'film';
}

/** Why a stored value (clips of older versions upgraded first) is not a usable entry of its kind, or null. */
export function libraryEntryProblem(value: unknown): string | null {
  return isFilmValue(value) ? filmEntryProblem(value) : entryProblem(value);
}

/** A short name for a stored value in messages. */
export function libraryEntryLabel(value: unknown): string {
  return isFilmValue(value) ? filmLabel(value) : entryLabel(value);
}
