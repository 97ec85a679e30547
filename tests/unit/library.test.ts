import { describe, expect, it } from 'vitest';
import type { GenerateParams } from '../../src/engine/types';
import type { ClipFacts } from '../../src/engine/clip-facts';
import { type ClipEntry, entryFromResult, entryLabel, entryProblem } from '../../src/library/clip-record';
import { draftFromShareUrl, shareUrl, withoutShareQuery } from '../../src/library/share-link';
import { saveFailureMessage } from '../../src/library/storage';
import { MAX_VARIATIONS, type Variations, variationSeeds, withVariationItem } from '../../src/library/variations';
import { createKinetoStore } from '../../src/store';
import type { RunResult } from '../../src/store/run-slice';
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

/** A clip's facts, as the worker fills them. */
const facts: ClipFacts = {
  params,
  model: { id: 'm', name: 'M', manifestSha256: 'ab' },
  backend: 'wasm',
  container: 'mp4',
  mimeType: 'video/mp4',
  codec: 'avc1',
  width: 128,
  height: 128,
  frameCount: 16,
  fileName: 'a.mp4',
  size: 10,
  unknownWords: [],
  timings: { totalSeconds: 1, modelSeconds: 1, encodeSeconds: 0, posterSeconds: 0 },
};

/** A valid entry, as the Library stores it. */
const good: ClipEntry = { version: 2, id: 'x', createdAt: 1, facts, poster: null };

describe('Library entries', () => {
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

describe('Variations', () => {
  it('count up from the Seed field, wrap at 2^32 and stay within 1 to MAX_VARIATIONS seeds', () => {
    const never = () => {
      throw new Error('the Seed field holds a seed');
    };
    expect(variationSeeds('100', 3, never)).toEqual([100, 101, 102]);
    expect(variationSeeds(String(2 ** 32 - 1), 2, never)).toEqual([2 ** 32 - 1, 0]);
    expect(variationSeeds('5', 99, never)).toHaveLength(MAX_VARIATIONS);
    expect(variationSeeds('5', 0, never)).toEqual([5]);
    expect(variationSeeds('-3', 2, () => 70)).toEqual([70, 71]);
    expect(variationSeeds('1.5', 2, () => 9)).toEqual([9, 10]);
  });

  it('change one item of the grid', () => {
    const v: Variations = { batchId: 'b', prompt: 'p', status: 'running', items: [100, 101].map((seed) => ({ seed, status: 'waiting', url: null })) };
    const next = withVariationItem(v, 101, { status: 'done', url: 'blob:y' });
    expect(next.items).toEqual([{ seed: 100, status: 'waiting', url: null }, { seed: 101, status: 'done', url: 'blob:y' }]);
    expect(v.items[1]!.status).toBe('waiting');
  });
});

describe('save failures', () => {
  it('say the storage is full (with the quota when known), else why; the clip is still on screen either way', () => {
    const full = saveFailureMessage(new DOMException('quota', 'QuotaExceededError'), 2_000_000);
    expect(full).toContain("storage for Kineto is full (quota 2.0 MB)");
    expect(saveFailureMessage(new DOMException('quota', 'QuotaExceededError'), null)).not.toContain('quota ');
    const other = saveFailureMessage(new Error('disk on fire'), null);
    expect(other).toContain('(disk on fire)');
    for (const m of [full, other]) expect(m).toContain('still here to watch and download');
  });
});

describe('Library slice', () => {
  const noWorker = () => {
    throw new Error('no worker in these tests');
  };

  it('is fresh in every store', () => {
    const a = createKinetoStore(noWorker);
    const b = createKinetoStore(noWorker);
    a.getState().askDeleteAll(true);
    a.setState((s) => ({ library: { ...s.library, total: 3 } }));
    expect(a.getState().library).toMatchObject({ confirmDeleteAll: true, total: 3 });
    expect(b.getState().library).toMatchObject({ confirmDeleteAll: false, total: 0, status: 'idle', items: [], save: null });
  });

  it('Remix fills the form once the model\'s defaults are in, sets the container and shows Create', () => {
    const store = createKinetoStore(noWorker);
    const item = { ...good, id: 'c1', facts: { ...facts, container: 'webm' as const, params: { ...params, preset: 'quality' as const } }, posterUrl: null };
    store.setState((s) => ({ library: { ...s.library, items: [item] } }));
    store.getState().navigate('library');
    store.getState().remixClip('c1');
    expect(store.getState().route.view).toBe('create');
    expect(store.getState().container).toBe('webm');
    // No model yet: its defaults, written when it loads, must not overwrite the remixed settings.
    store.setState((s) => ({ draftModelId: 'm', draft: { ...s.draft, prompt: 'the default', seed: '1' } }));
    expect(store.getState().draft).toMatchObject({ prompt: params.prompt, seed: '42', steps: '4', guidanceScale: '4.5', scheduler: 'euler-karras', preset: 'quality' });
    store.getState().remixClip('not-listed');
    expect(store.getState().draft.prompt).toBe(params.prompt);
    // A clip made without a Speed choice (a model without presets) leaves the form's.
    const plain = { ...good, id: 'c2', facts: { ...facts, params: { ...params, steps: 30 } }, posterUrl: null };
    store.setState((s) => ({ library: { ...s.library, items: [plain] } }));
    store.getState().remixClip('c2');
    expect(store.getState().draft).toMatchObject({ steps: '30', preset: 'quality' });
  });

  it('runs no Variations before the model is ready', async () => {
    const store = createKinetoStore(noWorker);
    await store.getState().runVariations(3);
    expect(store.getState().library.variations).toBeNull();
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
