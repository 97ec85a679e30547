import { describe, expect, it } from 'vitest';
import type { GenerateParams } from '../../src/engine/types';
import { entryLabel, entryProblem } from '../../src/library/clip-record';
import { draftFromShareUrl, shareUrl, withoutShareQuery } from '../../src/library/share-link';
import { IPTC_TRAINED_ALGORITHMIC_MEDIA, provenanceTags, readProvenance } from '../../src/provenance/tags';

const params: GenerateParams = {
  prompt: 'a red circle moving left & up?',
  negativePrompt: 'blurry',
  seed: 42,
  steps: 4,
  guidanceScale: 4.5,
  frames: 16,
  fps: 8,
  scheduler: 'euler-karras',
  outputSize: 128,
};

describe('share links', () => {
  it('carry every setting and fill the same draft back', () => {
    const url = shareUrl('http://127.0.0.1:5173/app/?x=1#library', params);
    expect(url.startsWith('http://127.0.0.1:5173/app/?prompt=')).toBe(true);
    expect(url).not.toContain('#');
    expect(draftFromShareUrl(url)).toEqual({
      prompt: params.prompt,
      negativePrompt: 'blurry',
      scheduler: 'euler-karras',
      seed: '42',
      steps: '4',
      guidanceScale: '4.5',
      frames: '16',
      fps: '8',
      outputSize: '128',
    });
  });

  it('ignore addresses without settings and unknown schedulers', () => {
    expect(draftFromShareUrl('http://h/?utm_source=x')).toBeNull();
    expect(draftFromShareUrl('http://h/?scheduler=bogus&seed=3')).toEqual({ seed: '3' });
  });

  it('are removed from the address once applied', () => {
    expect(withoutShareQuery('http://h/?prompt=a&seed=1&keep=1#library')).toBe('http://h/?keep=1#library');
  });
});

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

describe('provenance tags', () => {
  const input = { version: '0.1.0', modelId: 'kineto-shapes', manifestSha256: 'f'.repeat(64), backend: 'wasm', params };

  it('put the prompt in the title and the record in description and comment', () => {
    const tags = provenanceTags(input, { includePrompt: true });
    expect(tags.title).toBe(params.prompt);
    expect(tags.description).toBe(tags.comment);
    expect(readProvenance(tags)).toEqual({
      generator: 'Kineto',
      version: '0.1.0',
      model: { id: 'kineto-shapes', sha256: 'f'.repeat(64) },
      seed: 42,
      steps: 4,
      guidance: 4.5,
      scheduler: 'euler-karras',
      backend: 'wasm',
      digitalSourceType: IPTC_TRAINED_ALGORITHMIC_MEDIA,
    });
  });

  it('leave the prompt out when asked, anywhere in the file', () => {
    const tags = provenanceTags(input, { includePrompt: false });
    expect(JSON.stringify(tags)).not.toContain('red circle');
    expect(readProvenance(tags)?.seed).toBe(42);
  });

  it('read nothing from another tool\'s tags', () => {
    expect(readProvenance({ comment: 'made with X', description: '{"generator":"Other"}' })).toBeNull();
  });
});
