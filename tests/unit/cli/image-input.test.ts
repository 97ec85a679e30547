import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImageFrame, sniffFormat } from '../../../src/cli/image-input';
import { KinetoError } from '../../../src/engine/errors';

const IMAGES = 'tests/fixtures/images/';

describe('readImageFrame', () => {
  it('recognises PNG, JPEG and WebP by their first bytes, not their names', () => {
    expect(readImageFrame('--from-image', IMAGES + 'star-alpha.png', 64, 64).format).toBe('PNG');
    expect(readImageFrame('--from-image', IMAGES + 'clip04-last.jpg', 64, 64).format).toBe('JPEG');
    expect(readImageFrame('--from-image', IMAGES + 'clip04-first.webp', 64, 64).format).toBe('WebP');
    expect(sniffFormat(new TextEncoder().encode('GIF89a'))).toBeNull();
  });

  it('makes one frame of the model size from any size', () => {
    const img = readImageFrame('--to-image', IMAGES + 'clip04-last.jpg', 64, 64);
    expect([img.width, img.height, img.frame.count, img.frame.width, img.frame.rgba[0]!.length]).toEqual([256, 192, 1, 64, 64 * 64 * 4]);
  });

  it('refuses a file that is not an image, or a folder, by flag and path', () => {
    expect(() => readImageFrame('--from-image', IMAGES + 'not-an-image.png', 64, 64)).toThrow('--from-image tests/fixtures/images/not-an-image.png: is not a PNG, JPEG or WebP image. Convert it to one of those.');
    expect(() => readImageFrame('--to-image', IMAGES, 64, 64)).toThrow(KinetoError);
    expect(() => readImageFrame('--to-image', IMAGES, 64, 64)).toThrow(/is not a file/);
  });

  it('refuses a damaged image: its kind, and what to do', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kineto-image-'));
    for (const [name, keep] of [['cut.jpg', 200], ['cut.webp', 40], ['cut.png', 60]] as const) {
      const source = { 'cut.jpg': 'clip04-last.jpg', 'cut.webp': 'clip04-first.webp', 'cut.png': 'star-alpha.png' }[name];
      writeFileSync(path.join(dir, name), readFileSync(IMAGES + source).subarray(0, keep));
      expect(() => readImageFrame('--from-image', path.join(dir, name), 64, 64)).toThrow(/starts like a (JPEG|WebP|PNG) image but could not be decoded .*Re-save it, or convert it to PNG\./);
    }
  });
});
