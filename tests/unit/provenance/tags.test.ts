import { describe, expect, it } from 'vitest';
import { IPTC_TRAINED_ALGORITHMIC_MEDIA, provenanceTags, readProvenance } from '../../../src/provenance/tags';
import { CLIP_PARAMS as params } from '../../fixtures/settings';

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
