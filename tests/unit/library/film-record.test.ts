/**
 * src/library/film-record.ts: a made film's Library entry keeps the file's facts, its poster, the board document and
 * the timeline; a damaged or newer one is named, not half-read; a shot's span is its own frames on the timeline.
 */
import { describe, expect, it } from 'vitest';
import { entryFromFilm, FILM_ENTRY_VERSION, type FilmEntry, filmEntryProblem, filmLabel, filmSeconds, shotSpan } from '../../../src/library/film-record';
import { FILM_BOARD, filmOutput } from '../../fixtures/film';

const output = filmOutput();
const good: FilmEntry = entryFromFilm(output, 'f1', 1_700_000_000_000);

describe('Film entries', () => {
  it('are made from a film: the file\'s facts, its poster, the board and its timeline, of the film kind', () => {
    expect(good).toEqual({
      kind: 'film',
      version: FILM_ENTRY_VERSION,
      id: 'f1',
      createdAt: 1_700_000_000_000,
      facts: {
        container: 'mp4', mimeType: 'video/mp4; codecs="avc1.42001f"', width: 256, height: 256, fileName: 'the-lighthouse.mp4', size: 1234, sound: true,
        model: output.kept.model,
      },
      poster: output.kept.poster,
      board: FILM_BOARD,
      timeline: output.kept.timeline,
    });
    expect(filmEntryProblem(good)).toBeNull();
    // What IndexedDB hands back is a structured clone: the check must pass on one (no prototypes, no functions).
    expect(filmEntryProblem(structuredClone(good))).toBeNull();
  });

  it('name what is wrong with a damaged one', () => {
    expect(filmEntryProblem({ ...good, kind: undefined })).toBe('not a film');
    expect(filmEntryProblem({ ...good, version: 2 })).toBe('unknown film version 2');
    expect(filmEntryProblem({ ...good, id: '' })).toBe('no id');
    expect(filmEntryProblem({ ...good, createdAt: 'yesterday' })).toBe('no date');
    expect(filmEntryProblem({ ...good, facts: { ...good.facts, container: 'avi' } })).toBe('unknown container');
    expect(filmEntryProblem({ ...good, facts: { ...good.facts, size: -1 } })).toBe('no size');
    expect(filmEntryProblem({ ...good, facts: { ...good.facts, sound: 'yes' } })).toBe('no sound flag');
    expect(filmEntryProblem({ ...good, poster: 'x' })).toBe('damaged poster');
    expect(filmEntryProblem({ ...good, board: { ...FILM_BOARD, shots: [] } })).toBe('board: shots: must be a list of 1 to 50 shots');
    expect(filmEntryProblem({ ...good, timeline: undefined })).toBe('no timeline');
    expect(filmEntryProblem({ ...good, timeline: { ...good.timeline, shots: good.timeline.shots.slice(1) } })).toBe('the timeline has 2 shots, the board 3');
    const moved = good.timeline.shots.map((s, i) => (i === 1 ? { ...s, first: s.first + 1 } : s));
    expect(filmEntryProblem({ ...good, timeline: { ...good.timeline, shots: moved } })).toBe('timeline shot 2 is out of place');
    expect(filmEntryProblem({ ...good, timeline: { ...good.timeline, frames: 99 } })).toBe("the timeline's shots fill 28 frames, not 99");
  });

  it('are named by their title, else their id', () => {
    expect(filmLabel(good)).toBe('the film “The lighthouse”');
    expect(filmLabel({ id: 'f2' })).toBe('film f2');
  });

  it('know their length and where each shot plays: its own frames, its crossfade lead-in belonging to the shot before', () => {
    // 8 + 8 + 12 frames at 8 fps; shot 3's 4 lead-in frames play over the end of shot 2.
    expect(filmSeconds(good)).toBe(3.5);
    expect(shotSpan(good, 0)).toEqual({ start: 0, end: 1 });
    expect(shotSpan(good, 1)).toEqual({ start: 1, end: 2 });
    expect(shotSpan(good, 2)).toEqual({ start: 2, end: 3.5 });
    expect(shotSpan(good, 3)).toBeNull();
  });
});
