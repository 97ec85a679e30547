/**
 * src/library/clip-versions.ts: a Library entry as the previous build stored it (version 1, the facts flat beside
 * the id) reads as the current ClipEntry, and what is not an older version passes through for entryProblem to judge.
 */
import { describe, expect, it } from 'vitest';
import type { ClipFacts } from '../../../src/engine/clip-facts';
import type { GenerateParams } from '../../../src/engine/types';
import { type ClipEntry, entryLabel, entryProblem } from '../../../src/library/clip-record';
import { type ClipEntryV1, upgradeEntry } from '../../../src/library/clip-versions';

const params: GenerateParams = {
  prompt: 'a red circle moving left', negativePrompt: '', seed: 42, steps: 4, guidanceScale: 4.5, frames: 16, fps: 8, scheduler: 'ddim', outputSize: 128, preset: 'fast',
};
const poster = new Blob([new Uint8Array(4)], { type: 'image/jpeg' });

/** A version-1 entry exactly as the previous build's entryFromResult stored it. */
const v1: ClipEntryV1 = {
  id: 'old-1',
  createdAt: 1_700_000_000_000,
  params,
  container: 'webm',
  mimeType: 'video/webm; codecs="vp09.00.10.08"',
  codec: 'vp09.00.10.08',
  fileName: 'kineto-42-a-red-circle-moving-left.webm',
  size: 12_345,
  width: 128,
  height: 128,
  frameCount: 16,
  model: { id: 'kineto-shapes', name: 'Kineto-Shapes', manifestSha256: 'ab'.repeat(32) },
  backend: 'wasm',
  timings: { totalSeconds: 3, modelSeconds: 2.5, encodeSeconds: 0.5, posterSeconds: 0.01 },
  poster,
  batchId: 'batch-1',
};

describe('Library entries of version 1', () => {
  it('read as the current entry: the same facts under `facts`, the id, date, poster and batch kept', () => {
    const upgraded = upgradeEntry(v1);
    expect(entryProblem(upgraded)).toBeNull();
    const facts: ClipFacts = {
      params,
      model: v1.model,
      backend: 'wasm',
      container: 'webm',
      mimeType: v1.mimeType,
      codec: v1.codec,
      width: 128,
      height: 128,
      frameCount: 16,
      fileName: v1.fileName,
      size: 12_345,
      unknownWords: [],
      timings: { totalSeconds: 3, modelSeconds: 2.5, encodeSeconds: 0.5, posterSeconds: 0.01 },
    };
    const expected: ClipEntry = { version: 2, id: 'old-1', createdAt: v1.createdAt, facts, poster, batchId: 'batch-1' };
    expect(upgraded).toEqual(expected);
    expect((upgraded as ClipEntry).poster).toBe(poster);
  });

  it('without a poster time (stored before posters were timed) or a batch get NaN and no batch id', () => {
    const { batchId: _, ...single } = v1;
    const upgraded = upgradeEntry({ ...single, poster: null, timings: { totalSeconds: 3, modelSeconds: 2.5, encodeSeconds: 0.5 } }) as ClipEntry;
    expect(entryProblem(upgraded)).toBeNull();
    expect(upgraded.facts.timings.posterSeconds).toBeNaN();
    expect('batchId' in upgraded).toBe(false);
  });

  it('damaged ones stay damaged, named by their prompt', () => {
    const broken = upgradeEntry({ id: 'broken-1', createdAt: 5, params: { prompt: 'a broken clip' }, poster: 'x' });
    expect(entryProblem(broken)).toBe('settings.seed is missing');
    expect(entryLabel(broken)).toBe('“a broken clip”');
    expect(entryProblem(upgradeEntry({ ...v1, container: 'avi' }))).toBe('unknown container');
  });
});

describe('values that are not version 1', () => {
  it('pass through untouched', () => {
    const current = upgradeEntry(v1);
    expect(upgradeEntry(current)).toBe(current);
    const newer = { version: 3, id: 'n', createdAt: 1 };
    expect(upgradeEntry(newer)).toBe(newer);
    expect(entryProblem(newer)).toBe('unknown version 3');
    for (const junk of [null, undefined, 'junk', 7]) expect(upgradeEntry(junk)).toBe(junk);
  });
});
