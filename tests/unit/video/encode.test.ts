import { describe, expect, it } from 'vitest';
import { videoFileName } from '../../../src/video/encode';

describe('videoFileName', () => {
  it('joins the lower-case words of the prompt with dashes', () => {
    expect(videoFileName(42, 'A red Circle moving  LEFT!', 'mp4')).toBe('kineto-42-a-red-circle-moving-left.mp4');
    expect(videoFileName(7, '  blue_star, up... (slow)  ', 'webm')).toBe('kineto-7-blue-star-up-slow.webm');
  });

  it('keeps ASCII only, folding accents and dropping other scripts and emoji', () => {
    expect(videoFileName(1, 'Café crème brûlée', 'mp4')).toBe('kineto-1-cafe-creme-brulee.mp4');
    expect(videoFileName(1, '猫 cat 🐱 über', 'mp4')).toBe('kineto-1-cat-uber.mp4');
  });

  it("uses 'clip' when nothing is left", () => {
    expect(videoFileName(0, '', 'mp4')).toBe('kineto-0-clip.mp4');
    expect(videoFileName(3, '  !!! 🎬 ', 'mp4')).toBe('kineto-3-clip.mp4');
  });

  it('caps the slug at 48 characters without cutting a word, unless one word alone is longer', () => {
    const name = videoFileName(5, 'a very long prompt about a small green triangle moving slowly to the right', 'mp4');
    const slug = name.slice('kineto-5-'.length, -'.mp4'.length);
    expect(slug).toBe('a-very-long-prompt-about-a-small-green-triangle');
    expect(slug.length).toBeLessThanOrEqual(48);
    expect(videoFileName(5, 'x'.repeat(60) + ' tail', 'mp4')).toBe(`kineto-5-${'x'.repeat(48)}.mp4`);
  });

  it('accepts the extension with or without a dot', () => {
    expect(videoFileName(9, 'sun', '.webm')).toBe('kineto-9-sun.webm');
  });
});
