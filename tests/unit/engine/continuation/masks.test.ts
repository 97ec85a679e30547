import { describe, expect, it } from 'vitest';
import { knownFrames, maskTensor, matchMask } from '../../../../src/engine/continuation/masks';
import { CONDITIONING_MASKS } from '../../../../src/engine/types';

const bits = (b: boolean[]) => b.map((x) => (x ? 1 : 0)).join('');

describe('knownFrames (as training/masks.py, 16 frames)', () => {
  it('names each pattern by purpose', () => {
    expect(bits(knownFrames('text_to_video', 16))).toBe('0000000000000000');
    expect(bits(knownFrames('image_to_video', 16))).toBe('1000000000000000');
    expect(bits(knownFrames('continue', 16, 4))).toBe('1111000000000000');
    expect(bits(knownFrames('keyframes', 16))).toBe('1000000000000001');
    expect(bits(knownFrames('double_frame_rate', 16))).toBe('1010101010101010');
  });

  it('refuses a continue that knows nothing or everything', () => {
    expect(() => knownFrames('continue', 16, 0)).toThrow(RangeError);
    expect(() => knownFrames('continue', 16, 16)).toThrow(RangeError);
  });
});

describe('matchMask', () => {
  const all = { masks: [...CONDITIONING_MASKS], continueMaxKnown: 8 };
  it('finds each trained mask and none for other patterns', () => {
    for (const name of CONDITIONING_MASKS) expect(matchMask(knownFrames(name, 16, 4), all)).toBe(name);
    expect(matchMask(knownFrames('continue', 16, 8), all)).toBe('continue');
    expect(matchMask(knownFrames('continue', 16, 9), all)).toBeNull();
    // A window that continues and ends at an image: no trained mask.
    const both = knownFrames('continue', 16, 4);
    both[15] = true;
    expect(matchMask(both, all)).toBeNull();
  });

  it('only matches what the manifest says the denoiser was trained on', () => {
    expect(matchMask(knownFrames('keyframes', 16), { masks: ['continue'], continueMaxKnown: 8 })).toBeNull();
    expect(matchMask(knownFrames('image_to_video', 16), { masks: ['keyframes'], continueMaxKnown: 0 })).toBeNull();
    // One known frame first is also a continue of one frame, which training/masks.py draws (k = 1…8).
    expect(matchMask(knownFrames('image_to_video', 16), { masks: ['continue'], continueMaxKnown: 8 })).toBe('continue');
  });
});

describe('maskTensor', () => {
  it('is 1 on every latent pixel of a known frame, per batch item', () => {
    const m = maskTensor([true, false, true], 2, 2, 3);
    expect(m.length).toBe(2 * 3 * 6);
    expect(Array.from(m.subarray(0, 18))).toEqual([...new Array(6).fill(1), ...new Array(6).fill(0), ...new Array(6).fill(1)]);
    expect(Array.from(m.subarray(18))).toEqual(Array.from(m.subarray(0, 18)));
  });
});
