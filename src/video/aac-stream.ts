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
/**
 * Silent frames after each clip: the encoder gives packet k once frame k + 1 is in, so these push the clip's last
 * packet out (with one it never comes).
 */
const TAIL_FRAMES = 2;
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

/**
 * Sounds at least this long are encoded in two parts at once, on two streams. The sound is the last thing a clip
 * waits for, and while the WASM encoder works the engine worker sits idle: a second encoder uses that core (2 s of
 * sound natively on two cores: 83 ms against 130 ms for one). Shorter ones are not split: the frames the second part
 * encodes before its seam would cost more than they save.
 */
const MIN_SPLIT_FRAMES = 24;
/**
 * Frames the second encoder is given before the seam and whose packets are dropped. One is what the overlap needs
 * (below); more let a fresh encoder's rate control settle on this sound first. On the world's bouncing clips' foley, a
 * fresh second encoder's frames after the seam were up to 13 dB noisier than one encoder's with one warm-up frame and
 * 3.6–6.6 dB with eight, under 1 dB on average (throwaway runs and aac-stream.test.ts).
 */
const WARM_UP_FRAMES = 8;

/** This context's two streams, each opened on first use. */
const streams: (Promise<AacStream> | null)[] = [null, null];

/** Encodes on stream `slot`. A failure closes that stream, so the next clip starts a fresh one rather than inherit a broken encoder. */
async function encodeOn(slot: number, pcm: StereoPcm, samples: number, signal?: AbortSignal): Promise<AacPackets> {
  const stream = (streams[slot] ??= AacStream.open());
  try {
    return await (await stream).encode(pcm, samples, signal);
  } catch (e) {
    if (streams[slot] === stream) streams[slot] = null;
    void stream.then((s) => s.close(), () => undefined);
    throw e;
  }
}

/**
 * Encodes `pcm`, cut or padded with silence to `samples`, on this context's AAC streams: the packets one fresh encoder
 * would give (a priming packet, then one a frame), timed from 0. A long sound is split at a frame s near its middle.
 * Packet k is the transform of frames k − 1 and k, and the decoder overlaps each packet with the one before, so the
 * first encoder is given frames 0 … s + 1 and keeps packets 0 … s (frame s + 1 is its look-ahead), and the second is
 * given frames from s − WARM_UP_FRAMES on and keeps its packets from s + 1: its packet s + 1 and the first's packet s
 * meet on frame s, which both encoded.
 */
export async function encodeAac(pcm: StereoPcm, samples: number, signal?: AbortSignal): Promise<AacPackets> {
  const frames = Math.ceil(samples / FRAME);
  if (frames < MIN_SPLIT_FRAMES) return encodeOn(0, pcm, samples, signal);
  // The two parts are given s + 2 and frames − s + WARM_UP_FRAMES frames: s evens them out.
  const seam = Math.floor((frames + WARM_UP_FRAMES - 2) / 2);
  const offset = (seam - WARM_UP_FRAMES) * FRAME;
  const rest = { sampleRate: pcm.sampleRate, left: pcm.left.subarray(offset), right: pcm.right.subarray(offset) };
  const [first, second] = await Promise.all([
    encodeOn(0, pcm, (seam + 2) * FRAME, signal),
    encodeOn(1, rest, samples - offset, signal),
  ]);
  const later = second.packets.slice(WARM_UP_FRAMES + 1).map((packet, i) => packet.clone({ timestamp: ((seam + 1 + i) * FRAME) / SAMPLE_RATE }));
  return { packets: [...first.packets.slice(0, seam + 1), ...later], meta: first.meta };
}
