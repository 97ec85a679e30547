/** src/engine/clip-facts.ts: the frame rate a clip's file plays at. */
import { describe, expect, it } from 'vitest';
import { type ClipFacts, fileFps } from '../../../src/engine/clip-facts';
import { CLIP_FACTS } from '../../fixtures/settings';

describe('fileFps', () => {
  it("is the clip's fps, and twice it with Smooth motion (the frames between were made)", () => {
    expect(CLIP_FACTS.params.fps).toBe(8);
    expect(fileFps(CLIP_FACTS)).toBe(8);
    expect(fileFps({ ...CLIP_FACTS, smoothMotion: false })).toBe(8);
    const smooth: ClipFacts = { ...CLIP_FACTS, smoothMotion: true, frameCount: 32 };
    expect(fileFps(smooth)).toBe(16);
  });
});
