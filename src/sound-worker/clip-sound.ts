/**
 * A clip's sound in the sound worker: the foley made from the frames the model made (src/sound, seeded by the clip's
 * seed, so a clip always sounds the same), encoded for the clip's container, and what the clip's facts say about it.
 * The encoder is found first, so a browser that cannot encode the sound does not pay for making it; a foley that
 * fails becomes a sentence (`NoSound`), and the clip is made without sound.
 */
import type { ClipSound } from '../engine/clip-facts';
import { type Foley, makeFoley, tracksObjects } from '../sound/foley';
import { integratedLoudness } from '../sound/loudness';
import type { AudioChoice } from '../video/audio';
import { NoSound } from '../video/encode';
import { audioEncoderFor, encodeSound } from '../video/encode-sound';
import type { SoundReplies, SoundRequest } from './protocol';

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

/** The clip's `sound` fact, for its foley encoded with `choice`. */
export function soundFact({ foley, seconds }: { foley: Foley; seconds: number }, choice: AudioChoice): ClipSound {
  const { pcm, cues, events } = foley;
  const lufs = integratedLoudness([pcm.left, pcm.right]);
  return {
    codec: choice.codecString,
    encoder: choice.encoder,
    follows: cues.source,
    events: events.length,
    loudnessLufs: Number.isFinite(lufs) ? Math.round(lufs * 10) / 10 : null,
    seconds,
  };
}

/** A `clip` request: its sound encoded, and its fact; rejects with `NoSound` when it has none. */
export async function clipSound(request: Extract<SoundRequest, { type: 'clip' }>): Promise<SoundReplies['clip']> {
  const choice = await audioEncoderFor(request.container);
  const { frames } = request;
  const made = clipFoley(frames.rgba, frames.width, frames.height, request, request.modelId);
  if ('skipped' in made) throw new NoSound(made.skipped);
  return { sound: await encodeSound(choice, made.foley.pcm, request.durationSeconds), facts: soundFact(made, choice) };
}
