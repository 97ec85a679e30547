import { describe, expect, it } from 'vitest';
import { entryFromResult, entryLabel, entryProblem } from '../../../src/library/clip-record';
import type { RunResult } from '../../../src/store/run-slice';
import { CLIP_ENTRY, CLIP_PARAMS as params } from '../../fixtures/settings';

describe('Library entries', () => {
  const good = CLIP_ENTRY;

  it('accepts a complete entry', () => {
    expect(entryProblem(good)).toBeNull();
  });

  it('names what is wrong with a damaged one', () => {
    expect(entryProblem('junk')).toBe('not an object');
    expect(entryProblem({ ...good, params: { ...params, steps: 'four' } })).toBe('settings.steps is missing');
    expect(entryProblem({ ...good, poster: 'not a blob' })).toBe('damaged poster');
    expect(entryProblem({ ...good, createdAt: undefined })).toBe('no date');
  });

  it('is made from a finished run, valid, with a batch id only for Variations', () => {
    const video = new Blob([new Uint8Array(10)], { type: 'video/mp4' });
    const result: RunResult = {
      ...good, url: 'blob:x', video, fps: 8, seed: 42, prompt: params.prompt, unknownWords: [], container: 'mp4',
      timings: { ...good.timings, posterSeconds: 0 },
    };
    const entry = entryFromResult(result, 'id-1', 5);
    expect(entryProblem(entry)).toBeNull();
    expect(entry).toEqual({ ...good, id: 'id-1', createdAt: 5, timings: result.timings });
    expect(entryFromResult(result, 'id-2', 6, 'batch').batchId).toBe('batch');
  });

  it('is named by its prompt, else its id', () => {
    expect(entryLabel(good)).toBe('“a red circle moving left & up?”');
    expect(entryLabel({ id: 'abc' })).toBe('entry abc');
    expect(entryLabel(null)).toBe('an entry without an id');
  });
});
