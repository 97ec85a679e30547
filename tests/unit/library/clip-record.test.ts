import { describe, expect, it } from 'vitest';
import { entryFromResult, entryLabel, entryProblem } from '../../../src/library/clip-record';
import type { RunResult } from '../../../src/store/run-slice';
import { CLIP_ENTRY, CLIP_FACTS as facts, CLIP_PARAMS as params } from '../../fixtures/settings';

describe('Library entries', () => {
  const good = CLIP_ENTRY;

  it('accepts a complete entry', () => {
    expect(entryProblem(good)).toBeNull();
  });

  it('names what is wrong with a damaged one', () => {
    expect(entryProblem('junk')).toBe('not an object');
    expect(entryProblem({ ...good, facts: { ...facts, params: { ...params, steps: 'four' } } })).toBe('settings.steps is missing');
    expect(entryProblem({ ...good, facts: { ...facts, container: 'avi' } })).toBe('unknown container');
    expect(entryProblem({ ...good, facts: undefined })).toBe('no settings');
    expect(entryProblem({ ...good, poster: 'not a blob' })).toBe('damaged poster');
    expect(entryProblem({ ...good, createdAt: undefined })).toBe('no date');
    expect(entryProblem({ ...good, version: 3 })).toBe('unknown version 3');
  });

  it('is made from a finished run, valid, with a batch id only for Variations', () => {
    const video = new Blob([new Uint8Array(10)], { type: 'video/mp4' });
    const result: RunResult = { facts, url: 'blob:x', video, poster: null };
    const entry = entryFromResult(result, 'id-1', 5);
    expect(entryProblem(entry)).toBeNull();
    expect(entry).toEqual({ ...good, id: 'id-1', createdAt: 5 });
    expect(entryFromResult(result, 'id-2', 6, 'batch').batchId).toBe('batch');
  });

  it('is named by its prompt, else its id', () => {
    expect(entryLabel(good)).toBe('“a red circle moving left & up?”');
    expect(entryLabel({ id: 'abc' })).toBe('entry abc');
    expect(entryLabel(null)).toBe('an entry without an id');
  });
});
