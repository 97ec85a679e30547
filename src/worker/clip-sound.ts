/**
 * A clip's sound in the worker: the foley made from the frames the model made (src/sound, seeded by the clip's seed,
 * so a clip always sounds the same), and what the clip's facts say about it once the video is encoded. The sound
 * never costs the video: a foley that fails becomes a sentence, and the clip is encoded without sound.
 */
import type { ClipSound } from '../engine/clip-facts';
import { type Foley, makeFoley, tracksObjects } from '../sound/foley';
import { integratedLoudness } from '../sound/loudness';
import type { EncodedVideo } from '../video/encode';

/** The foley of a clip and the time it took; or why there is none. */
export type ClipFoley = { foley: Foley; seconds: number } | { skipped: string };

/** The foley of RGBA `frames` of `width`×`height` made by model `modelId` at `fps` with `seed`. */
export function clipFoley(frames: Uint8ClampedArray[], width: number, height: number, clip: { fps: number; seed: number }, modelId: string): ClipFoley {
  const t0 = performance.now();
  try {
    const foley = makeFoley(frames, width, height, { fps: clip.fps, seed: clip.seed, trackObject: tracksObjects(modelId) });
    return { foley, seconds: (performance.now() - t0) / 1000 };
  } catch (e) {
    return { skipped: `The sound could not be made (${e instanceof Error ? e.message : String(e)}), so this clip has no sound.` };
  }
}

/** The clip's `sound` and `soundSkipped` facts: `made` is null when Sound was off. */
export function soundFacts(made: ClipFoley | null, video: EncodedVideo): { sound: ClipSound | null; soundSkipped: string | null } {
  if (made === null) return { sound: null, soundSkipped: null };
  if ('skipped' in made) return { sound: null, soundSkipped: made.skipped };
  if (!video.audio) return { sound: null, soundSkipped: video.audioSkipped };
  const { pcm, cues, events } = made.foley;
  const lufs = integratedLoudness([pcm.left, pcm.right]);
  return {
    sound: {
      codec: video.audio.codecString,
      encoder: video.audio.encoder,
      follows: cues.source,
      events: events.length,
      loudnessLufs: Number.isFinite(lufs) ? Math.round(lufs * 10) / 10 : null,
      seconds: made.seconds,
    },
    soundSkipped: null,
  };
}
