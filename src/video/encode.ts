/**
 * RGBA frames (and, optionally, their sound) → MP4 or WebM bytes: resize (resize.ts), WebCodecs `VideoEncoder`,
 * the sound's encoder (audio.ts), mediabunny muxer. DOM-free, so the worker runs it right after decoding the latents.
 */
import { AudioSampleSource, BufferTarget, EncodedAudioPacketSource, EncodedPacket, EncodedVideoPacketSource, type MetadataTags, Mp4OutputFormat, Output, WebMOutputFormat } from 'mediabunny';
import { CancelledError, KinetoError } from '../engine/errors';
import type { StereoPcm } from '../sound/pcm';
import { writeAacPackets } from './aac-stream';
import { AUDIO_QUALITY, type AudioChoice, audioWatchdog, chooseAudioEncoder, writeAudio } from './audio';
import { chooseVideoCodec, type CodecChoice, type Container } from './codec';
import { resizeRgba } from './resize';

/** Options of `encodeVideo`; sizes in pixels. */
export type EncodeOptions = {
  fps: number;
  container: Container;
  /** Requested output size; odd sides are rounded up to even (see `EncodedVideo.adjustedFrom`). */
  outputWidth: number;
  outputHeight: number;
  /** Called after frame `index` (0-based) of `total` has been handed to the encoder. */
  onFrame?: (index: number, total: number) => void;
  /** Aborting rejects with `CancelledError` and releases the encoder. */
  signal?: AbortSignal;
  /** Container metadata (title, description, comment) the muxer writes: MP4 `udta`/`ilst`, WebM `Tags`. */
  tags?: MetadataTags;
  /**
   * The clip's sound (48 kHz stereo, src/sound), muxed as AAC-LC in MP4 and Opus in WebM and made exactly as long
   * as the video. A function, called once the audio encoder is chosen (never when there is none), so a clip whose
   * browser cannot encode its sound does not pay for making it. Without an encoder, if it throws `NoSound`, or if its
   * encoder fails, the clip is encoded without sound and `EncodedVideo.audioSkipped` says why: the sound never costs
   * the video.
   */
  audio?: () => StereoPcm;
};

/** Thrown by `EncodeOptions.audio` when there is no sound to give; its message, a sentence, becomes `audioSkipped`. */
export class NoSound extends Error {
  override name = 'NoSound';
}

/** An encoded clip. */
export type EncodedVideo = {
  blob: Blob;
  /** Container MIME type with the codecs parameter, e.g. `video/mp4; codecs="avc1.42001f"`. */
  mimeType: string;
  /** Full codec string, e.g. `avc1.42001f`, `vp09.00.10.08`. */
  codec: string;
  width: number;
  height: number;
  /** The requested size when it was odd and rounded up to even, else null. */
  adjustedFrom: { width: number; height: number } | null;
  frameCount: number;
  durationSeconds: number;
  /** The sound track, when one was muxed. */
  audio: AudioChoice | null;
  /** Why the clip has no sound although `EncodeOptions.audio` was given, as a sentence to show; else null. */
  audioSkipped: string | null;
};

/** Frames the encoder may hold before we wait; keeps memory flat without starving the encoder. */
const MAX_ENCODE_QUEUE = 8;
/** Longest gap between key frames, so players can seek in long clips. */
const KEY_FRAME_INTERVAL_SECONDS = 2;

/**
 * Encodes RGBA frames of `width`×`height` into a video of `opts.outputWidth`×`opts.outputHeight` (rounded up to even)
 * at `opts.fps`, with `opts.audio` as its sound when this browser can encode it. Rejects with `KinetoError`
 * (`bad-parameter`, `encode-failed`) or `CancelledError`.
 */
export async function encodeVideo(
  frames: readonly Uint8ClampedArray[],
  width: number,
  height: number,
  opts: EncodeOptions,
): Promise<EncodedVideo> {
  if (frames.length === 0) throw new KinetoError('bad-parameter', 'encodeVideo: no frames to encode.');
  frames.forEach((f, i) => {
    if (f.length !== width * height * 4) {
      throw new KinetoError('bad-parameter', `encodeVideo: frame ${i} has ${f.length} bytes, expected ${width}×${height}×4 = ${width * height * 4}.`);
    }
  });
  const choice = await chooseVideoCodec(opts.container, opts.outputWidth, opts.outputHeight, opts.fps);
  const silent = () => encodeOnce(frames, width, height, opts, choice, null);
  if (!opts.audio) return silent();
  const audio = await chooseAudioEncoder(opts.container);
  if ('reason' in audio) return { ...(await silent()), audioSkipped: audio.reason };
  try {
    return await encodeOnce(frames, width, height, opts, choice, { choice: audio, pcm: opts.audio });
  } catch (e) {
    if (e instanceof CancelledError || opts.signal?.aborted) throw e;
    if (e instanceof NoSound) return { ...(await silent()), audioSkipped: e.message };
    // Whatever broke (most likely the sound's encoder), the video is made again without it.
    const video = await silent();
    const cause = e instanceof KinetoError && e.cause instanceof Error ? e.cause.message : e instanceof Error ? e.message : String(e);
    const name = audio.codec === 'aac' ? 'AAC' : 'Opus';
    return { ...video, audioSkipped: `The ${name} sound could not be encoded (${cause}), so this clip has no sound.` };
  }
}

/** One encoding pass: the video, and the sound when `audio` is given. */
async function encodeOnce(
  frames: readonly Uint8ClampedArray[],
  width: number,
  height: number,
  opts: EncodeOptions,
  choice: CodecChoice,
  audio: { choice: AudioChoice; pcm: () => StereoPcm } | null,
): Promise<EncodedVideo> {
  const { fps, signal } = opts;
  const { width: outW, height: outH } = choice;
  const durationSeconds = frames.length / fps;

  const target = new BufferTarget();
  const output = new Output({
    format: opts.container === 'mp4' ? new Mp4OutputFormat({ fastStart: 'in-memory' }) : new WebMOutputFormat(),
    target,
  });
  const source = new EncodedVideoPacketSource(choice.mediabunnyCodec);
  output.addVideoTrack(source, { frameRate: fps });
  // The WASM AAC encoder runs as one long stream for every clip (aac-stream.ts), its packets muxed as they are.
  const audioSource = !audio ? null
    : audio.choice.encoder === 'wasm' ? new EncodedAudioPacketSource('aac')
    : new AudioSampleSource({ codec: audio.choice.codec, quality: AUDIO_QUALITY });
  if (audioSource) output.addAudioTrack(audioSource);
  if (opts.tags) output.setMetadataTags(opts.tags);

  // The encoder's callbacks are synchronous; packets are muxed in order on one promise chain, and the first error
  // from either side is kept and rethrown from the awaiting code below.
  let failure: unknown = null;
  let muxing = Promise.resolve();
  // Resolves the backpressure wait below; called on dequeue, on error and on abort so that wait can never hang.
  let wake = () => {};
  const encoder = new VideoEncoder({
    output: (chunk, meta) => {
      muxing = muxing.then(() => source.add(EncodedPacket.fromEncodedChunk(chunk), meta)).catch((e: unknown) => {
        failure ??= e;
      });
    },
    error: (e) => {
      failure ??= e;
      wake();
    },
  });
  encoder.addEventListener('dequeue', () => wake());

  const onAbort = () => {
    if (encoder.state !== 'closed') encoder.close();
    wake();
  };
  signal?.addEventListener('abort', onAbort);
  try {
    await output.start();
    // The sound first (its foley takes this thread a few tens of ms), then encoded on its encoder's own thread (the
    // WASM AAC encoder's worker, or WebCodecs') while this one feeds the video encoder; the muxer interleaves them.
    const pcm = audio?.pcm();
    const written = !pcm || !audioSource ? null
      : audioSource instanceof EncodedAudioPacketSource ? writeAacPackets(audioSource, pcm, durationSeconds, signal)
      : writeAudio(audioSource, pcm, durationSeconds, signal);
    const sound = written
      ? written.catch((e: unknown) => {
          failure ??= e;
          wake();
        })
      : Promise.resolve();
    encoder.configure(choice.config);
    const keyEvery = Math.max(1, Math.floor(KEY_FRAME_INTERVAL_SECONDS * fps));
    for (let i = 0; i < frames.length; i++) {
      throwIfStopped(signal, failure);
      const rgba = resizeRgba(frames[i]!, width, height, outW, outH);
      const timestamp = Math.round((i * 1e6) / fps);
      const frame = new VideoFrame(rgba, {
        // Our frames are opaque; RGBX spares the encoder an alpha plane it would drop anyway.
        format: 'RGBX',
        codedWidth: outW,
        codedHeight: outH,
        timestamp,
        duration: Math.round(((i + 1) * 1e6) / fps) - timestamp,
      });
      try {
        encoder.encode(frame, { keyFrame: i % keyEvery === 0 });
      } finally {
        frame.close();
      }
      opts.onFrame?.(i, frames.length);
      while (encoder.state === 'configured' && encoder.encodeQueueSize > MAX_ENCODE_QUEUE && failure === null) {
        await new Promise<void>((resolve) => (wake = resolve));
      }
    }
    throwIfStopped(signal, failure);
    await encoder.flush();
    await muxing;
    await sound;
    throwIfStopped(signal, failure);
    // Finalising flushes the sound's encoder too, which must not be able to hold the video forever.
    await (audio ? audioWatchdog(output.finalize()) : output.finalize());
    const buffer = target.buffer;
    if (!buffer) throw new Error('the muxer produced no bytes');
    const mimeType = await output.getMimeType();
    return {
      blob: new Blob([buffer], { type: mimeType }),
      mimeType,
      codec: choice.codec,
      width: outW,
      height: outH,
      adjustedFrom: choice.adjustedFrom,
      frameCount: frames.length,
      durationSeconds,
      audio: audio?.choice ?? null,
      audioSkipped: null,
    };
  } catch (e) {
    if (output.state !== 'finalized' && output.state !== 'canceled') await output.cancel().catch(() => undefined);
    if (signal?.aborted) throw new CancelledError();
    if (e instanceof KinetoError || e instanceof CancelledError || e instanceof NoSound) throw e;
    const cause = failure ?? e;
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new KinetoError('encode-failed', `Video encoding failed (${choice.codec}, ${outW}×${outH}): ${message}`, { cause });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (encoder.state !== 'closed') encoder.close();
  }
}

function throwIfStopped(signal: AbortSignal | undefined, failure: unknown): void {
  if (signal?.aborted) throw new CancelledError();
  if (failure !== null) throw failure;
}

/**
 * Download name `kineto-<seed>-<slug>.<ext>`; the slug is the prompt's words, lower-case ASCII joined by '-',
 * at most 48 characters, or `clip` when nothing is left.
 */
export function videoFileName(seed: number, prompt: string, ext: string): string {
  const words = prompt
    .normalize('NFKD') // "café" → "cafe" + U+0301, dropped next so the word stays whole
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
  let slug = '';
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > 48) {
      // A first word longer than the limit is cut; later ones are dropped whole so no word is left half-written.
      if (!slug) slug = word.slice(0, 48);
      break;
    }
    slug = next;
  }
  return `kineto-${seed}-${slug || 'clip'}.${ext.replace(/^\./, '')}`;
}
