import { describe, expect, it } from 'vitest';
import { entryLabel, entryProblem } from '../../../src/library/clip-record';
import { CLIP_PARAMS as params } from '../../fixtures/settings';

describe('Library entries', () => {
  const good = {
    id: 'x',
    createdAt: 1,
    params,
    container: 'mp4',
    mimeType: 'video/mp4',
    codec: 'avc1',
    fileName: 'a.mp4',
    size: 10,
    width: 128,
    height: 128,
    frameCount: 16,
    model: { id: 'm', name: 'M', manifestSha256: 'ab' },
    backend: 'wasm',
    timings: { totalSeconds: 1, modelSeconds: 1, encodeSeconds: 0 },
    poster: null,
  };

  it('accepts a complete entry', () => {
    expect(entryProblem(good)).toBeNull();
  });

  it('names what is wrong with a damaged one', () => {
    expect(entryProblem('junk')).toBe('not an object');
    expect(entryProblem({ ...good, params: { ...params, steps: 'four' } })).toBe('settings.steps is missing');
    expect(entryProblem({ ...good, poster: 'not a blob' })).toBe('damaged poster');
    expect(entryProblem({ ...good, createdAt: undefined })).toBe('no date');
  });

  it('is named by its prompt, else its id', () => {
    expect(entryLabel(good)).toBe('“a red circle moving left & up?”');
    expect(entryLabel({ id: 'abc' })).toBe('entry abc');
    expect(entryLabel(null)).toBe('an entry without an id');
  });
});
