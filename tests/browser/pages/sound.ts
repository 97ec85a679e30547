/**
 * Test page for the clip's sound: `window.kinetoSoundEncode(job)` makes a clip's foley and encodes it with the video,
 * in the page or in a worker, and returns the file as base64; `window.kinetoDecodeAudio(base64)` decodes a file's
 * sound with the Web Audio API (decodeAudioData) at 48 kHz and returns its channels as base64 float32.
 */
import { runSoundJob, type SoundJob, type SoundJobResult } from './sound-job';

export type PageSoundResult = (Omit<Extract<SoundJobResult, { ok: true }>, 'bytes'> & { base64: string }) | Extract<SoundJobResult, { ok: false }>;
export type DecodedAudio = { sampleRate: number; channels: number; durationSeconds: number; leftBase64: string; rightBase64: string };

declare global {
  // An interface, because only interfaces merge into the global Window.
  interface Window {
    kinetoSoundEncode(job: SoundJob & { inWorker: boolean }): Promise<PageSoundResult>;
    kinetoDecodeAudio(base64: string): Promise<DecodedAudio>;
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function inWorker(job: SoundJob): Promise<SoundJobResult> {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  return new Promise<SoundJobResult>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<SoundJobResult>) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(`sound worker failed: ${event.message}`));
    worker.postMessage(job);
  }).finally(() => worker.terminate());
}

window.kinetoSoundEncode = async ({ inWorker: useWorker, ...job }) => {
  const result = useWorker ? await inWorker(job) : await runSoundJob(job);
  if (!result.ok) return result;
  const { bytes, ...info } = result;
  return { ...info, base64: toBase64(new Uint8Array(bytes)) };
};

window.kinetoDecodeAudio = async (base64) => {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  // An offline context decodes (and resamples) to its own rate without needing an audio device.
  const context = new OfflineAudioContext({ numberOfChannels: 2, length: 1, sampleRate: 48_000 });
  const buffer = await context.decodeAudioData(bytes.buffer);
  const channel = (i: number) => toBase64(new Uint8Array(buffer.getChannelData(Math.min(i, buffer.numberOfChannels - 1)).buffer));
  return { sampleRate: buffer.sampleRate, channels: buffer.numberOfChannels, durationSeconds: buffer.duration, leftBase64: channel(0), rightBase64: channel(1) };
};
