/**
 * A clip's sound → the packets of its container's audio codec (AAC-LC for MP4, Opus for WebM), as plain data, so it
 * can be encoded on a thread of its own (the sound worker: src/sound-worker) and muxed beside the video afterwards
 * (encode.ts). DOM-free.
 */
import { AudioSampleSource, type EncodedPacket, Mp4OutputFormat, NullTarget, Output } from 'mediabunny';
import { CancelledError } from '../engine/errors';
import { SAMPLE_RATE, type StereoPcm } from '../sound/pcm';
import { encodeAac } from './aac-stream';
import { AUDIO_QUALITY, type AudioChoice, audioWatchdog, chooseAudioEncoder, writeAudio } from './audio';
import type { Container } from './codec';
import { NoSound } from './encode';

/** One encoded audio packet; times in seconds from the clip's start. */
export type SoundPacket = { data: Uint8Array; timestamp: number; duration: number };

/** A clip's sound track, encoded and ready to mux: which encoder made it, its packets and its decoder's config. */
export type EncodedSound = { choice: AudioChoice; packets: SoundPacket[]; decoderConfig: AudioDecoderConfig };

/** The encoder for `container`'s sound; rejects with `NoSound` (saying why, as a sentence) when there is none. */
export async function audioEncoderFor(container: Container): Promise<AudioChoice> {
  const choice = await chooseAudioEncoder(container);
  if ('reason' in choice) throw new NoSound(choice.reason);
  return choice;
}

/**
 * `pcm` encoded with `choice`, cut or padded with silence to exactly `durationSeconds` (the video's). Rejects with
 * `NoSound` when the encoder fails (the sentence names the codec and the cause), CancelledError when `signal` aborts.
 */
export async function encodeSound(choice: AudioChoice, pcm: StereoPcm, durationSeconds: number, signal?: AbortSignal): Promise<EncodedSound> {
  if (pcm.sampleRate !== SAMPLE_RATE) throw new RangeError(`encodeSound: sound must be ${SAMPLE_RATE} Hz, got ${pcm.sampleRate}.`);
  try {
    // The WASM AAC encoder runs as one long stream for every clip (aac-stream.ts); WebCodecs' are cheap to start.
    const { packets, meta } = choice.encoder === 'wasm'
      ? await encodeAac(pcm, Math.round(durationSeconds * SAMPLE_RATE), signal)
      : await encodeWithWebCodecs(choice, pcm, durationSeconds, signal);
    if (!meta.decoderConfig) throw new Error('the encoder gave no decoder configuration');
    return { choice, packets: packets.map(({ data, timestamp, duration }) => ({ data, timestamp, duration })), decoderConfig: meta.decoderConfig };
  } catch (e) {
    if (e instanceof CancelledError) throw e;
    const cause = e instanceof Error ? e.message : String(e);
    throw new NoSound(`The ${choice.codec === 'aac' ? 'AAC' : 'Opus'} sound could not be encoded (${cause}), so this clip has no sound.`);
  }
}

/** The browser's own encoder, its packets caught on their way to a muxer that keeps nothing. */
async function encodeWithWebCodecs(choice: AudioChoice, pcm: StereoPcm, durationSeconds: number, signal?: AbortSignal): Promise<{ packets: EncodedPacket[]; meta: EncodedAudioChunkMetadata }> {
  const packets: EncodedPacket[] = [];
  let meta: EncodedAudioChunkMetadata = {};
  const output = new Output({ format: new Mp4OutputFormat(), target: new NullTarget() });
  const source = new AudioSampleSource({
    codec: choice.codec,
    quality: AUDIO_QUALITY,
    onEncodedPacket: (packet, packetMeta) => {
      if (packetMeta?.decoderConfig) meta = packetMeta;
      packets.push(packet);
    },
  });
  output.addAudioTrack(source);
  try {
    await output.start();
    await writeAudio(source, pcm, durationSeconds, signal);
    // Finalising flushes the encoder, which must not be able to hold the sound (and so the clip) forever.
    await audioWatchdog(output.finalize());
    return { packets, meta };
  } finally {
    if (output.state !== 'finalized') await output.cancel().catch(() => undefined);
  }
}
