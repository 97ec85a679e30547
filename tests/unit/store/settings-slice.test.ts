/**
 * src/store/settings-slice.ts: parameters and the form's draft convert both ways, and a model's defaults fill the
 * draft through the same conversion (keeping the prompt, the seed and a negative prompt already typed).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseManifest } from '../../../src/engine/manifest';
import type { GenerateParams, ModelManifest } from '../../../src/engine/types';
import { createKinetoStore } from '../../../src/store';
import { draftFromParams, draftToParams } from '../../../src/store/settings-slice';

const params: GenerateParams = {
  prompt: 'a red circle moving left', negativePrompt: 'blurry', seed: 4_294_967_295, steps: 4, guidanceScale: 4.5, frames: 16, fps: 8, scheduler: 'euler-karras', outputSize: 128,
};

describe('draftFromParams', () => {
  it('writes every number as the text an input shows, and draftToParams reads it back', () => {
    const draft = draftFromParams({ ...params, preset: 'quality' });
    expect(draft).toEqual({
      prompt: params.prompt, negativePrompt: 'blurry', scheduler: 'euler-karras', preset: 'quality',
      seed: '4294967295', steps: '4', guidanceScale: '4.5', frames: '16', fps: '8', outputSize: '128',
    });
    expect(draftToParams(draft)).toEqual({ ...params, preset: 'quality' });
  });

  it('names no preset for parameters without one', () => {
    expect(draftFromParams(params).preset).toBeNull();
    expect(draftToParams(draftFromParams(params))).toEqual(params);
  });
});

describe('applyModelDefaults', () => {
  const shapes = parseManifest(JSON.parse(readFileSync('public/models/kineto-shapes/manifest.json', 'utf8')));
  const manifest: ModelManifest = { ...shapes, defaults: { ...shapes.defaults, negativePrompt: 'blurry' } };
  const noWorker = () => {
    throw new Error('no worker in these tests');
  };

  it("fills the draft with the model's defaults (its default preset's sampler), keeping the prompt and the seed", () => {
    const store = createKinetoStore(noWorker);
    store.getState().setDraftField('prompt', 'a blue square');
    store.getState().setDraftField('seed', '12');
    store.getState().setDraftField('steps', '99');
    store.getState().applyModelDefaults(manifest);
    expect(store.getState().draft).toEqual({
      prompt: 'a blue square', negativePrompt: 'blurry', scheduler: 'lcm', preset: 'fast',
      seed: '12', steps: '4', guidanceScale: '1', frames: '16', fps: '8', outputSize: '256',
    });
    expect(store.getState().draftModelId).toBe(manifest.id);
  });

  it('keeps a negative prompt already typed, fills an empty one', () => {
    const store = createKinetoStore(noWorker);
    store.getState().setDraftField('negativePrompt', 'no text');
    store.getState().applyModelDefaults(manifest);
    expect(store.getState().draft.negativePrompt).toBe('no text');
    store.getState().setDraftField('negativePrompt', '');
    store.getState().applyModelDefaults(manifest);
    expect(store.getState().draft.negativePrompt).toBe('blurry');
  });
});
