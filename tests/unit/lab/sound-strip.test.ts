/** The Sound strip's rows and the sentence read in place of its drawing. */
import { describe, expect, it } from 'vitest';
import type { LabSound } from '../../../src/lab/lab-sound';
import { barRows, barsOf, describeSound } from '../../../src/lab/sound-strip';

const sound = (over: Partial<LabSound> = {}): LabSound => ({
  durationSeconds: 2,
  follows: 'object',
  shape: 'star',
  events: [
    { kind: 'movement', fromSeconds: 0, toSeconds: 1.5 },
    { kind: 'impact', seconds: 0.525, strength: 0.8, wall: true, x: 1 },
    { kind: 'spin', fromSeconds: 0.25, toSeconds: 1 },
    { kind: 'still', fromSeconds: 1.5, toSeconds: 2 },
  ],
  level: { hopSeconds: 0.025, windowSeconds: 0.05, db: [-90, -30, -12.5, -20, -90] },
  loudnessLufs: -18.24,
  ...over,
});

describe('Sound strip', () => {
  it('gives a row to movement always and to each other activity the sound marks, never to stillness', () => {
    expect(barRows(sound().events)).toEqual(['movement', 'spin']);
    expect(barRows([])).toEqual(['movement']);
    expect(barRows([{ kind: 'shrink', fromSeconds: 0, toSeconds: 1 }, { kind: 'growth', fromSeconds: 1, toSeconds: 2 }])).toEqual(['movement', 'growth', 'shrink']);
    expect(barsOf(sound().events).map((e) => e.kind)).toEqual(['movement', 'spin']);
  });

  it('describes the events, the loudness and the loudest moment in one sentence', () => {
    expect(describeSound(sound())).toBe(
      'Sound of the finished clip, 2 s, following the star: 1 impact, at 0.53 s; moving from 0 s to 1.5 s; spinning from 0.25 s to 1 s; ' +
        'still from 1.5 s to 2 s; loudness -18.2 LUFS, loudest -12.5 dB at 0.05 s.',
    );
  });

  it('says when it follows the picture’s motion, has no impacts or is silent, and counts impacts beyond eight', () => {
    const quiet = describeSound(sound({ follows: 'motion', shape: null, events: [], loudnessLufs: null }));
    expect(quiet).toBe('Sound of the finished clip, 2 s, following the motion in the picture: no impacts; silent.');
    const hits = Array.from({ length: 10 }, (_, i) => ({ kind: 'impact' as const, seconds: i / 8, strength: 1, wall: false, x: 0.5 }));
    expect(describeSound(sound({ events: hits }))).toContain('10 impacts, at 0 s, 0.13 s, 0.25 s, 0.38 s, 0.5 s, 0.63 s, 0.75 s, 0.88 s and 2 more;');
  });
});
