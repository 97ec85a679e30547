/**
 * The clip's sound track: which encoder this browser has for its container's audio codec (AAC-LC in MP4, Opus in
 * WebM), and stereo PCM fed to a mediabunny AudioSampleSource (encode-sound.ts). WebCodecs' AudioEncoder comes
 * first; AAC falls back to @mediabunny/aac-encoder (libavcodec's AAC-LC in WASM, loaded only when needed), since some
 * browsers (Debian's Chromium among them) encode Opus but not AAC. DOM-free, so it runs in the sound worker.
 */
import { AudioSample, type AudioSampleSource, Quality } from 'mediabunny';
import { CancelledError } from '../engine/errors';
import { SAMPLE_RATE, type StereoPcm } from '../sound/pcm';
import type { Container } from './codec';

/** Stereo at 128 kb/s: transparent for foley in both AAC-LC and Opus. */
export const AUDIO_QUALITY = new Quality({ bitrate: 128_000 });

/** The audio encoder chosen for a container. */
export type AudioChoice = {
  /** Codec as mediabunny names it. */
  codec: 'aac' | 'opus';
  /** WebCodecs codec string, as it appears in the file's MIME type. */
  codecString: 'mp4a.40.2' | 'opus';
  /** The browser's own encoder, or the bundled WASM AAC encoder. */
  encoder: 'webcodecs' | 'wasm';
};

/** Why a clip has no sound, in words the person can act on. */
export type NoAudio = { reason: string };

const FOR_CONTAINER = {
  mp4: { codec: 'aac', codecString: 'mp4a.40.2' },
  webm: { codec: 'opus', codecString: 'opus' },
} as const;

let wasmAac: Promise<void> | null = null;

/** Registers the WASM AAC encoder with mediabunny, once; its code (≈1 MB) is fetched the first time only. */
function registerWasmAac(): Promise<void> {
  wasmAac ??= import('@mediabunny/aac-encoder').then(({ registerAacEncoder }) => registerAacEncoder());
  return wasmAac;
}

async function webCodecsEncodes(codecString: string): Promise<boolean> {
  if (typeof AudioEncoder === 'undefined') return false;
  try {
    const config = { codec: codecString, sampleRate: SAMPLE_RATE, numberOfChannels: 2, bitrate: 128_000 };
    return (await AudioEncoder.isConfigSupported(config)).supported === true;
  } catch {
    return false;
  }
}

/** Encoders found, by container: what a browser can encode does not change while a page lives, and asking takes ms a clip. */
const chosen = new Map<Container, AudioChoice>();

/** The encoder for `container`'s audio in this browser, or why there is none. */
export async function chooseAudioEncoder(container: Container): Promise<AudioChoice | NoAudio> {
  const known = chosen.get(container);
  if (known) return known;
  const choice = await findAudioEncoder(container);
  if (!('reason' in choice)) chosen.set(container, choice);
  return choice;
}

async function findAudioEncoder(container: Container): Promise<AudioChoice | NoAudio> {
  const { codec, codecString } = FOR_CONTAINER[container];
  if (await webCodecsEncodes(codecString)) return { codec, codecString, encoder: 'webcodecs' };
  if (codec === 'aac') {
    try {
      await registerWasmAac();
      return { codec, codecString, encoder: 'wasm' };
    } catch (e) {
      return { reason: `The AAC encoder could not be loaded (${e instanceof Error ? e.message : String(e)}), so this MP4 has no sound. WebM keeps it.` };
    }
  }
  return { reason: "This browser can't encode Opus audio, so this WebM has no sound. Try MP4." };
}

/** How long the sound's encoder may take over one step (its first also loads the WASM) before it counts as stuck. */
const AUDIO_STALL_SECONDS = 20;

/**
 * `work` (a step of the sound's encoding), or a rejection when the encoder is stuck: no answer within
 * AUDIO_STALL_SECONDS, or this context's Content-Security-Policy refused a worker the encoder tried to start (the
 * WASM AAC encoder runs in one and is never told, so it would wait forever and hold the video with it).
 */
export function audioWatchdog<T>(work: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the audio encoder did not answer within ${AUDIO_STALL_SECONDS} s`)), AUDIO_STALL_SECONDS * 1000);
    const onViolation = (event: Event) => {
      if ((event as SecurityPolicyViolationEvent).effectiveDirective === 'worker-src') {
        reject(new Error("this page's Content-Security-Policy (worker-src) does not allow the audio encoder's worker"));
      }
    };
    globalThis.addEventListener?.('securitypolicyviolation', onViolation);
    work.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      globalThis.removeEventListener?.('securitypolicyviolation', onViolation);
    });
  });
}

/** Seconds of PCM handed to the encoder at a time: keeps memory flat for long films. */
const CHUNK_SECONDS = 1;

/**
 * Feeds `pcm` to `source` as the track's samples, cut or padded with silence to exactly `durationSeconds` (the
 * video's), so the sound ends with the picture. Rejects with CancelledError when `signal` aborts between chunks.
 */
export async function writeAudio(source: AudioSampleSource, pcm: StereoPcm, durationSeconds: number, signal?: AbortSignal): Promise<void> {
  if (pcm.sampleRate !== SAMPLE_RATE) throw new RangeError(`writeAudio: sound must be ${SAMPLE_RATE} Hz, got ${pcm.sampleRate}.`);
  const total = Math.round(durationSeconds * SAMPLE_RATE);
  const chunk = CHUNK_SECONDS * SAMPLE_RATE;
  for (let start = 0; start < total; start += chunk) {
    if (signal?.aborted) throw new CancelledError();
    const n = Math.min(chunk, total - start);
    // Planar: all of the left channel, then all of the right; beyond the PCM's end, zeros.
    const data = new Float32Array(2 * n);
    data.set(pcm.left.subarray(start, start + n), 0);
    data.set(pcm.right.subarray(start, start + n), n);
    const sample = new AudioSample({ data, format: 'f32-planar', numberOfChannels: 2, sampleRate: SAMPLE_RATE, timestamp: start / SAMPLE_RATE });
    try {
      await audioWatchdog(source.add(sample));
    } finally {
      sample.close();
    }
  }
}
