import { describe, expect, it } from 'vitest';
import { createKinetoStore } from '../../../src/store';
import { CLIP_ENTRY as good, CLIP_FACTS as facts, CLIP_PARAMS as params } from '../../fixtures/settings';

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
