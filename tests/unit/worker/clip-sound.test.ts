/**
 * The worker's sound step (src/worker/clip-sound.ts) on a ground-truth bouncing clip: the foley and the facts a clip
 * records about its track; a foley that fails, and a track the encoder skipped, become the sentence the person sees.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { integratedLoudness } from '../../../src/sound/loudness';
import type { EncodedVideo } from '../../../src/video/encode';
import { clipFoley, soundFacts } from '../../../src/worker/clip-sound';
import { readLabels, readStrip } from '../../sound-measure';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/world-sound');

function bouncing() {
  const label = readLabels<{ file: string }>(FIXTURES)[0]!;
  return readStrip(path.join(FIXTURES, label.file));
}

const encoded = (over: Partial<EncodedVideo>): EncodedVideo => ({
  blob: new Blob([]), mimeType: 'video/mp4', codec: 'avc1.42001f', width: 64, height: 64, adjustedFrom: null, frameCount: 16,
  durationSeconds: 2, audio: null, audioSkipped: null, ...over,
});

describe('the sound of a generated clip', () => {
  it('follows Kineto-Shapes’ object and records its codec, events and loudness', () => {
    const { frames, size } = bouncing();
    const made = clipFoley(frames, size, size, { fps: 8, seed: 3 }, 'kineto-shapes');
    if ('skipped' in made) throw new Error(made.skipped);
    expect(made.foley.pcm.left.length).toBe(2 * 48_000);
    const facts = soundFacts(made, encoded({ audio: { codec: 'aac', codecString: 'mp4a.40.2', encoder: 'wasm' } }));
    const lufs = integratedLoudness([made.foley.pcm.left, made.foley.pcm.right]);
    expect(facts).toEqual({
      sound: { codec: 'mp4a.40.2', encoder: 'wasm', follows: 'object', events: made.foley.events.length, loudnessLufs: Math.round(lufs * 10) / 10, seconds: made.seconds },
      soundSkipped: null,
    });
    expect(made.foley.events.some((e) => e.kind === 'impact')).toBe(true);
    // Another model's clip follows the motion in the picture.
    const other = clipFoley(frames, size, size, { fps: 8, seed: 3 }, 'sd-turbo');
    expect('foley' in other && other.foley.cues.source).toBe('motion');
  });

  it('says why there is no sound: Sound off, a foley that failed, an encoder that could not take it', () => {
    expect(soundFacts(null, encoded({}))).toEqual({ sound: null, soundSkipped: null });
    const failed = clipFoley([], 64, 64, { fps: 8, seed: 1 }, 'kineto-shapes');
    expect(failed).toEqual({ skipped: expect.stringMatching(/^The sound could not be made \(.+\), so this clip has no sound\.$/) });
    expect(soundFacts(failed, encoded({}))).toEqual({ sound: null, soundSkipped: (failed as { skipped: string }).skipped });
    const { frames, size } = bouncing();
    const made = clipFoley(frames, size, size, { fps: 8, seed: 1 }, 'kineto-shapes');
    const reason = "This browser can't encode Opus audio, so this WebM has no sound. Try MP4.";
    expect(soundFacts(made, encoded({ audioSkipped: reason }))).toEqual({ sound: null, soundSkipped: reason });
  });
});
