/**
 * The sound worker's requests, a handler each (worker.ts runs them): every failure becomes the sentence the person
 * sees, as the reply's `skipped`.
 */
import { filmSoundTrack } from '../films/film-sound';
import type { StereoPcm } from '../sound/pcm';
import { NoSound } from '../video/encode';
import { audioEncoderFor, encodeSound } from '../video/encode-sound';
import { clipSound } from './clip-sound';
import type { SoundEnvelope, SoundReplies, SoundReply, SoundRequest } from './protocol';

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A `film` request: its one track (films/film-sound.ts) encoded; rejects with `NoSound` when it has none. */
async function filmSound(request: Extract<SoundRequest, { type: 'film' }>): Promise<SoundReplies['film']> {
  const choice = await audioEncoderFor(request.container);
  let pcm: StereoPcm;
  try {
    pcm = filmSoundTrack(request.shots, request.timeline, request.seeds, request.modelId);
  } catch (e) {
    throw new NoSound(`The film's sound could not be made (${messageOf(e)}), so the film has no sound.`);
  }
  return { sound: await encodeSound(choice, pcm, request.durationSeconds) };
}

const handlers: { [K in SoundRequest['type']]: (request: Extract<SoundRequest, { type: K }>) => Promise<SoundReplies[K]> } = {
  clip: clipSound,
  film: filmSound,
};

/** The reply to `request`: its handler's data, or the sentence saying why there is no sound. */
export async function answer({ id, request }: SoundEnvelope): Promise<SoundReply> {
  // The map pairs each type with its handler; looked up by a union type, that pairing needs one cast.
  const handler = handlers[request.type] as (request: SoundRequest) => Promise<SoundReplies[SoundRequest['type']]>;
  try {
    return { id, data: await handler(request) };
  } catch (e) {
    return { id, skipped: e instanceof NoSound ? e.message : `The sound could not be made (${messageOf(e)}), so this clip has no sound.` };
  }
}
