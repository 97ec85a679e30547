/**
 * The sound worker's clip step (src/sound-worker/clip-sound.ts) on a ground-truth bouncing clip: the foley and the
 * fact a clip records about its track; a foley that fails becomes the sentence the person sees.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clipFoley, soundFact } from '../../../src/sound-worker/clip-sound';
import { integratedLoudness } from '../../../src/sound/loudness';
import { readLabels, readStrip } from '../../sound-measure';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/world-sound');

function bouncing() {
  const label = readLabels<{ file: string }>(FIXTURES)[0]!;
  return readStrip(path.join(FIXTURES, label.file));
}

describe('the sound of a generated clip', () => {
  it('follows Kineto-Shapes’ object and records its codec, events and loudness', () => {
    const { frames, size } = bouncing();
    const made = clipFoley(frames, size, size, { fps: 8, seed: 3 }, 'kineto-shapes');
    if ('skipped' in made) throw new Error(made.skipped);
    expect(made.foley.pcm.left.length).toBe(2 * 48_000);
    const lufs = integratedLoudness([made.foley.pcm.left, made.foley.pcm.right]);
    expect(soundFact(made, { codec: 'aac', codecString: 'mp4a.40.2', encoder: 'wasm' })).toEqual({
      codec: 'mp4a.40.2', encoder: 'wasm', follows: 'object', events: made.foley.events.length, loudnessLufs: Math.round(lufs * 10) / 10, seconds: made.seconds,
    });
    expect(made.foley.events.some((e) => e.kind === 'impact')).toBe(true);
    // Another model's clip follows the motion in the picture.
    const other = clipFoley(frames, size, size, { fps: 8, seed: 3 }, 'sd-turbo');
    expect('foley' in other && other.foley.cues.source).toBe('motion');
  });

  it('says why there is no sound when the foley fails', () => {
    expect(clipFoley([], 64, 64, { fps: 8, seed: 1 }, 'kineto-shapes')).toEqual({
      skipped: expect.stringMatching(/^The sound could not be made \(.+\), so this clip has no sound\.$/),
    });
  });
});
