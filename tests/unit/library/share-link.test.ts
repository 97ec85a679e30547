import { describe, expect, it } from 'vitest';
import { draftFromShareUrl, shareUrl, withoutShareQuery } from '../../../src/library/share-link';
import { CLIP_PARAMS as params } from '../../fixtures/settings';

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
