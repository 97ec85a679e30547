/**
 * The sound worker's messages, the only file both its sides import: a request per kind of sound, a reply with the
 * encoded track or the sentence saying why there is none.
 */
import type { ClipSound } from '../engine/clip-facts';
import type { Frames } from '../engine/types';
import type { Timeline } from '../films/timeline';
import type { Container } from '../video/codec';
import type { EncodedSound } from '../video/encode-sound';

/** What a sound is encoded for: its container's audio codec, as long as the video (seconds). */
type Track = { container: Container; durationSeconds: number };

export type SoundRequest =
  /** A clip's foley, from its frames at `fps`, seeded by its seed (worker/clip-file.ts). */
  | ({ type: 'clip'; frames: Frames; fps: number; seed: number; modelId: string } & Track)
  /** A film's one track: each shot's foley joined the way the pictures are (films/film-sound.ts). */
  | ({ type: 'film'; shots: Frames[]; timeline: Timeline; seeds: number[]; modelId: string } & Track);

/** Reply data by request type; a clip's also holds its `sound` fact. */
export type SoundReplies = {
  clip: { sound: EncodedSound; facts: ClipSound };
  film: { sound: EncodedSound };
};

export type SoundEnvelope = { id: number; request: SoundRequest };

/** The request's data, or why it has no sound, as the sentence the person sees (NoSound's message). */
export type SoundReply = { id: number; data: SoundReplies[SoundRequest['type']] } | { id: number; skipped: string };
