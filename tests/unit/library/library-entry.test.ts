/**
 * src/library/library-entry.ts: clips and films side by side in one store. Clip entries of every version read exactly
 * as before (a version-1 clip is still upgraded, a version-2 one passes untouched); a film passes the clip upgrade
 * untouched and is checked as a film.
 */
import { describe, expect, it } from 'vitest';
import { upgradeEntry } from '../../../src/library/clip-versions';
import { entryFromFilm } from '../../../src/library/film-record';
import { isFilmEntry, libraryEntryLabel, libraryEntryProblem } from '../../../src/library/library-entry';
import { filmOutput } from '../../fixtures/film';
import { CLIP_ENTRY } from '../../fixtures/settings';

const film = entryFromFilm(filmOutput(), 'f1', 5);

describe('Library entries of two kinds', () => {
  it('read clips as before: a version-2 clip untouched, a version-1 clip upgraded, both checked as clips', () => {
    expect(upgradeEntry(CLIP_ENTRY)).toBe(CLIP_ENTRY);
    expect(libraryEntryProblem(CLIP_ENTRY)).toBeNull();
    const { version: _, facts, ...rest } = CLIP_ENTRY;
    const v1 = upgradeEntry({ ...rest, ...facts });
    expect(v1).toMatchObject({ version: 2, id: 'x', facts: { params: facts.params } });
    expect(libraryEntryProblem(v1)).toBeNull();
    expect(libraryEntryProblem({ ...CLIP_ENTRY, version: 3 })).toBe('unknown version 3');
    expect(isFilmEntry(CLIP_ENTRY)).toBe(false);
  });

  it('read a film untouched by the clip upgrade, and check it as a film', () => {
    expect(upgradeEntry(film)).toBe(film);
    expect(libraryEntryProblem(film)).toBeNull();
    expect(isFilmEntry(film)).toBe(true);
    // A damaged film is named as a film, not as a clip without settings.
    expect(libraryEntryProblem({ ...film, board: undefined })).toMatch(/^board: /);
    expect(libraryEntryLabel({ ...film, board: { title: 'The lighthouse' } })).toBe('the film “The lighthouse”');
    expect(libraryEntryLabel(CLIP_ENTRY)).toBe('“a red circle moving left & up?”');
  });
});
