/**
 * RGBA frames (and, optionally, their encoded sound) → MP4 or WebM bytes: resize (resize.ts), WebCodecs
 * `VideoEncoder`, then the muxer (mux.ts). DOM-free, so the worker runs it right after decoding the latents. The sound
 * is encoded elsewhere meanwhile (encode-sound.ts, in the sound worker) and muxed once both are done.
 */
import { EncodedPacket, type MetadataTags } from 'mediabunny';
import { CancelledError, KinetoError } from '../engine/errors';
import type { AudioChoice } from './audio';
import { chooseVideoCodec, type CodecChoice, type Container } from './codec';
import type { EncodedSound } from './encode-sound';
import { muxClip, type VideoPackets } from './mux';
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
   * The clip's sound, being encoded while the video is (encode-sound.ts: AAC-LC for MP4, Opus for WebM, exactly as
   * long as the video). If it rejects (`NoSound` carries the sentence to show) or cannot be muxed, the clip is made
   * without sound and `EncodedVideo.audioSkipped` says why: the sound never costs the video.
   */
  audio?: Promise<EncodedSound>;
};

/** Why a clip has no sound (no encoder, a foley or an encoder that failed), as the sentence to show. */
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

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Encodes RGBA frames of `width`×`height` into a video of `opts.outputWidth`×`opts.outputHeight` (rounded up to even)
 * at `opts.fps`, with `opts.audio` as its sound. Rejects with `KinetoError` (`bad-parameter`, `encode-failed`) or
 * `CancelledError`.
 */
export async function encodeVideo(
  frames: readonly Uint8ClampedArray[],
  width: number,
  height: number,
  opts: EncodeOptions,
): Promise<EncodedVideo> {
  // Settled at once: a sound that fails while the video encodes becomes its sentence, never an unhandled rejection.
  const sound = opts.audio?.catch((e: unknown) => ({
    skipped: e instanceof NoSound ? e.message : `The sound could not be made (${messageOf(e)}), so this clip has no sound.`,
  }));
  if (frames.length === 0) throw new KinetoError('bad-parameter', 'encodeVideo: no frames to encode.');
  frames.forEach((f, i) => {
    if (f.length !== width * height * 4) {
      throw new KinetoError('bad-parameter', `encodeVideo: frame ${i} has ${f.length} bytes, expected ${width}×${height}×4 = ${width * height * 4}.`);
    }
  });
  const { fps, signal } = opts;
  const choice = await chooseVideoCodec(opts.container, opts.outputWidth, opts.outputHeight, fps);
  const video = { choice, fps, packets: await encodeVideoPackets(frames, width, height, opts, choice) };
  const audio = sound ? await sound : null;
  if (signal?.aborted) throw new CancelledError();
  const clip = {
    codec: choice.codec, width: choice.width, height: choice.height, adjustedFrom: choice.adjustedFrom,
    frameCount: frames.length, durationSeconds: frames.length / fps,
  };
  let audioSkipped = audio && 'skipped' in audio ? audio.skipped : null;
  if (audio && !('skipped' in audio)) {
    try {
      return { ...clip, ...(await muxClip(opts.container, video, audio, opts.tags)), audio: audio.choice, audioSkipped: null };
    } catch (e) {
      // The video is muxed alone below: the clip goes on without its sound.
      audioSkipped = `The sound could not be muxed (${messageOf(e)}), so this clip has no sound.`;
    }
  }
  try {
    return { ...clip, ...(await muxClip(opts.container, video, null, opts.tags)), audio: null, audioSkipped };
  } catch (e) {
    throw new KinetoError('encode-failed', `Video encoding failed (${choice.codec}, ${choice.width}×${choice.height}): ${messageOf(e)}`, { cause: e });
  }
}

/** The video encoder's packets for `frames`, in order. */
async function encodeVideoPackets(
  frames: readonly Uint8ClampedArray[],
  width: number,
  height: number,
  opts: EncodeOptions,
  choice: CodecChoice,
): Promise<VideoPackets> {
  const { fps, signal } = opts;
  const { width: outW, height: outH } = choice;
  const packets: VideoPackets = [];

  // The encoder's callbacks are synchronous; the first error is kept and rethrown from the awaiting code below.
  let failure: unknown = null;
  // Resolves the backpressure wait below; called on dequeue, on error and on abort so that wait can never hang.
  let wake = () => {};
  const encoder = new VideoEncoder({
    output: (chunk, meta) => packets.push({ packet: EncodedPacket.fromEncodedChunk(chunk), meta }),
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
    throwIfStopped(signal, failure);
    return packets;
  } catch (e) {
    if (signal?.aborted) throw new CancelledError();
    if (e instanceof KinetoError || e instanceof CancelledError) throw e;
    const cause = failure ?? e;
    throw new KinetoError('encode-failed', `Video encoding failed (${choice.codec}, ${outW}×${outH}): ${messageOf(cause)}`, { cause });
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
