/**
 * A clip's encoded video packets, and its sound's when it has one, → one MP4 or WebM file (mediabunny). Muxing
 * comes after both are encoded, so the sound can be made on another thread meanwhile and a sound that fails costs
 * only the sound.
 */
import { BufferTarget, EncodedAudioPacketSource, EncodedPacket, EncodedVideoPacketSource, type MetadataTags, Mp4OutputFormat, Output, WebMOutputFormat } from 'mediabunny';
import type { CodecChoice, Container } from './codec';
import type { EncodedSound } from './encode-sound';

/** The video encoder's output, in order: each chunk as a packet, with the metadata that came with it. */
export type VideoPackets = { packet: EncodedPacket; meta?: EncodedVideoChunkMetadata }[];

/** The file, and its MIME type with the codecs parameter. */
export async function muxClip(
  container: Container,
  video: { choice: CodecChoice; fps: number; packets: VideoPackets },
  sound: EncodedSound | null,
  tags?: MetadataTags,
): Promise<{ blob: Blob; mimeType: string }> {
  const target = new BufferTarget();
  const output = new Output({ format: container === 'mp4' ? new Mp4OutputFormat({ fastStart: 'in-memory' }) : new WebMOutputFormat(), target });
  const videoSource = new EncodedVideoPacketSource(video.choice.mediabunnyCodec);
  output.addVideoTrack(videoSource, { frameRate: video.fps });
  const audioSource = sound ? new EncodedAudioPacketSource(sound.choice.codec) : null;
  if (audioSource) output.addAudioTrack(audioSource);
  if (tags) output.setMetadataTags(tags);
  try {
    await output.start();
    for (const { packet, meta } of video.packets) await videoSource.add(packet, meta);
    if (sound && audioSource) {
      for (const [i, p] of sound.packets.entries()) {
        await audioSource.add(new EncodedPacket(p.data, 'key', p.timestamp, p.duration), i === 0 ? { decoderConfig: sound.decoderConfig } : undefined);
      }
    }
    await output.finalize();
  } catch (e) {
    if (output.state !== 'finalized' && output.state !== 'canceled') await output.cancel().catch(() => undefined);
    throw e;
  }
  const buffer = target.buffer;
  if (!buffer) throw new Error('the muxer produced no bytes');
  const mimeType = await output.getMimeType();
  return { blob: new Blob([buffer], { type: mimeType }), mimeType };
}
