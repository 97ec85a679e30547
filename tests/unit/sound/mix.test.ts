/** The mixer on hand-written cues: panning law, room tone alone, an impact where the cue puts it. */
import { describe, expect, it } from 'vitest';
import type { SoundCues } from '../../../src/sound/cues';
import { rmsDb } from '../../../src/sound/loudness';
import { panGains, renderCues } from '../../../src/sound/mix';
import { SAMPLE_RATE } from '../../../src/sound/pcm';
import { ROOM_TONE_DB } from '../../../src/sound/voices';
import { onsetTimes } from '../../sound-measure';

function cues(overrides: Partial<SoundCues> = {}): SoundCues {
  const n = 16;
  const curve = (v: number) => new Float32Array(n).fill(v);
  return { fps: 8, frameCount: n, source: 'object', shape: 'square', motion: curve(0), x: curve(0.5), size: curve(0.12), spin: curve(0), growth: curve(0), impacts: [], ...overrides };
}

describe('panGains', () => {
  it('is equal-power: full left, centre at √½ each, full right, and constant total power', () => {
    expect(panGains(0)).toEqual([1, 0]);
    expect(panGains(0.5)[0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(panGains(1)[1]).toBeCloseTo(1, 12);
    for (const x of [0, 0.2, 0.5, 0.9, 1]) expect(panGains(x)[0] ** 2 + panGains(x)[1] ** 2).toBeCloseTo(1, 12);
    expect(panGains(-3)).toEqual(panGains(0));
  });
});

describe('renderCues', () => {
  it('plays only the room tone when nothing moves', () => {
    const pcm = renderCues(cues(), 1);
    expect(pcm.left.length).toBe(2 * SAMPLE_RATE);
    expect(Math.abs(rmsDb([pcm.left, pcm.right]) - ROOM_TONE_DB)).toBeLessThan(1);
    expect(onsetTimes(pcm)).toEqual([]);
  });

  it('strikes at the impact’s time and on its side', () => {
    const pcm = renderCues(cues({ impacts: [{ frame: 8.5, strength: 1, x: 0.9, wall: true }] }), 1);
    const onsets = onsetTimes(pcm);
    expect(onsets).toHaveLength(1);
    expect(Math.abs(onsets[0]! - 8.5 / 8)).toBeLessThan(0.01);
    const at = Math.round((8.5 / 8) * SAMPLE_RATE);
    const right = rmsDb([pcm.right.subarray(at, at + 2400)]);
    const left = rmsDb([pcm.left.subarray(at, at + 2400)]);
    expect(right - left).toBeGreaterThan(10);
  });

  it('adds a whirr only for shapes with corners, and a glide only while the size changes', () => {
    const spin = new Float32Array(16).fill(2);
    const quiet = rmsDb([renderCues(cues(), 1).left]);
    expect(rmsDb([renderCues(cues({ spin }), 1).left]) - quiet).toBeGreaterThan(20);
    expect(rmsDb([renderCues(cues({ spin, shape: 'circle' }), 1).left]) - quiet).toBeLessThan(1);
    expect(rmsDb([renderCues(cues({ growth: new Float32Array(16).fill(0.4) }), 1).left]) - quiet).toBeGreaterThan(20);
  });
});
