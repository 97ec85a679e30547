import { describe, expect, it } from 'vitest';
import { recordedClip, recordedSeconds } from '../../../src/live/live-recording';

const frame = (fps: number, prompt: string, i: number) => ({ rgba: new Uint8ClampedArray([i]), fps, prompt, makeSeconds: 0.02 });

describe('Live recording', () => {
  it('is a clip of the frames shown, in order, with the prompt of each part and where it begins', () => {
    const shown = [...Array.from({ length: 10 }, (_, i) => frame(8, 'a', i)), ...Array.from({ length: 6 }, (_, i) => frame(8, 'b', 10 + i))];
    const clip = recordedClip(shown, 8);
    expect(clip.rgba.map((f) => f[0])).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(clip).toMatchObject({ smoothMotion: false, baseFrames: 16, seconds: 2, parts: [{ prompt: 'a', startFrame: 0 }, { prompt: 'b', startFrame: 10 }] });
    expect(clip.modelSeconds).toBeCloseTo(0.32, 9);
    expect(recordedSeconds(shown)).toBeCloseTo(2, 9);
  });

  it('plays at the faster rate when Smooth motion came or went, showing each slower frame twice: the same seconds', () => {
    const shown = [frame(8, 'a', 0), frame(8, 'a', 1), frame(16, 'a', 2), frame(16, 'a', 3)];
    const clip = recordedClip(shown, 8);
    expect(clip.rgba.map((f) => f[0])).toEqual([0, 0, 1, 1, 2, 3]);
    expect(clip).toMatchObject({ smoothMotion: true, seconds: 6 / 16, baseFrames: 3 });
    expect(recordedSeconds(shown)).toBeCloseTo(clip.seconds, 9);
  });
});
