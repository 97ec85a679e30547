/**
 * AAC-LC for clip after clip where the browser has no AAC encoder of its own. The WASM encoder
 * (@mediabunny/aac-encoder) starts a worker and compiles its WASM for every encoder made, which was most of what a
 * short clip's sound cost; so one encoder is kept for the worker's life and fed an endless stream (into a NullTarget):
 * each clip's sound goes in at an AAC frame boundary after silence, and the packets that hold it come out re-timed
 * from 0. They are the packets a fresh encoder would give: its first (priming) packet covers silence either way,
 * because AAC frames overlap only with their neighbours.
 */
import { AudioSample, AudioSampleSource, type EncodedPacket, Mp4OutputFormat, NullTarget, Output } from 'mediabunny';
import { CancelledError } from '../engine/errors';
import { SAMPLE_RATE, type StereoPcm } from '../sound/pcm';
import { AUDIO_QUALITY, audioWatchdog } from './audio';

/** Samples in one AAC-LC frame. */
const FRAME = 1024;
/** Silent frames after each clip: the encoder holds a frame back, so these push the clip's last packets out. */
const TAIL_FRAMES = 3;
/** Frames a clip is fed in at a time: keeps memory flat for long films. */
const CHUNK_FRAMES = 47;

export type AacPackets = { packets: EncodedPacket[]; meta: EncodedAudioChunkMetadata };

export class AacStream {
  private readonly output = new Output({ format: new Mp4OutputFormat(), target: new NullTarget() });
  private readonly source: AudioSampleSource;
  /** Packets out of the encoder and not yet handed to a clip, by frame index in the stream. */
  private readonly packets = new Map<number, EncodedPacket>();
  private decoderConfig: AudioDecoderConfig | null = null;
  /** The next clip starts at this frame of the stream. */
  private position = 0;
  /** Wakes `waitFor` when packets arrive. */
  private arrived = () => {};
  /** One clip at a time: the stream is one encoder. */
  private turn: Promise<unknown> = Promise.resolve();

  private constructor() {
    this.source = new AudioSampleSource({
      codec: 'aac',
      quality: AUDIO_QUALITY,
      onEncodedPacket: (packet, meta) => {
        if (meta?.decoderConfig) this.decoderConfig = meta.decoderConfig;
        this.packets.set(Math.round((packet.timestamp * SAMPLE_RATE) / FRAME), packet);
        this.arrived();
      },
    });
    this.output.addAudioTrack(this.source);
  }

  static async open(): Promise<AacStream> {
    const stream = new AacStream();
    await stream.output.start();
    return stream;
  }

  /** The AAC packets of `pcm`, cut or padded with silence to `samples`, timed from 0, with the decoder's config. */
  encode(pcm: StereoPcm, samples: number, signal?: AbortSignal): Promise<AacPackets> {
    const run = this.turn.then(() => this.encodeNow(pcm, samples, signal));
    this.turn = run.catch(() => undefined);
    return run;
  }

  private async encodeNow(pcm: StereoPcm, samples: number, signal?: AbortSignal): Promise<AacPackets> {
    const first = this.position;
    const frames = Math.ceil(samples / FRAME);
    const fed = (frames + TAIL_FRAMES) * FRAME;
    this.position += frames + TAIL_FRAMES;
    for (let start = 0; start < fed; start += CHUNK_FRAMES * FRAME) {
      if (signal?.aborted) throw new CancelledError();
      const n = Math.min(CHUNK_FRAMES * FRAME, fed - start);
      // Planar: all of the left channel, then all of the right; past the clip's samples, silence.
      const data = new Float32Array(2 * n);
      const end = Math.max(0, Math.min(n, samples - start));
      data.set(pcm.left.subarray(start, start + end), 0);
      data.set(pcm.right.subarray(start, start + end), n);
      const sample = new AudioSample({ data, format: 'f32-planar', numberOfChannels: 2, sampleRate: SAMPLE_RATE, timestamp: ((first * FRAME) + start) / SAMPLE_RATE });
      try {
        await audioWatchdog(this.source.add(sample));
      } finally {
        sample.close();
      }
    }
    // A fresh encoder gives one packet more than the frames it is fed (the priming one): so does this slice.
    await audioWatchdog(this.waitFor(first + frames));
    const packets: EncodedPacket[] = [];
    for (let i = first; i <= first + frames; i++) packets.push(this.packets.get(i)!.clone({ timestamp: ((i - first) * FRAME) / SAMPLE_RATE }));
    for (const i of [...this.packets.keys()]) if (i < first + frames + TAIL_FRAMES) this.packets.delete(i);
    return { packets, meta: { decoderConfig: this.decoderConfig! } };
  }

  /** Resolves once the packet of stream frame `last` (and so every one before it) is out. */
  private waitFor(last: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.packets.has(last) && this.decoderConfig) resolve();
      };
      this.arrived = check;
      check();
    });
  }

  async close(): Promise<void> {
    await this.output.cancel().catch(() => undefined);
  }
}

let shared: Promise<AacStream> | null = null;

/**
 * Encodes `pcm` on this context's one AAC stream (opened on first use). A failure closes the stream, so the next clip
 * starts a fresh one rather than inherit a broken encoder.
 */
export async function encodeAac(pcm: StereoPcm, samples: number, signal?: AbortSignal): Promise<AacPackets> {
  shared ??= AacStream.open();
  const stream = shared;
  try {
    return await (await stream).encode(pcm, samples, signal);
  } catch (e) {
    if (shared === stream) shared = null;
    void stream.then((s) => s.close(), () => undefined);
    throw e;
  }
}
