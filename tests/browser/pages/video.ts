/**
 * Test page for src/video: `window.kinetoEncode(job)` runs an encoder job in the page or in a worker and returns the
 * bytes as base64; `window.kinetoDecodeMean(base64)` decodes the first frame with WebCodecs and returns its mean RGB;
 * `window.kinetoChooseCodec(...)` and `window.kinetoListCodecs(...)` expose src/video/codec.ts.
 */
import { ALL_FORMATS, BufferSource, Input, VideoSampleSink } from 'mediabunny';
import { chooseVideoCodec, listEncodableCodecs, type CodecChoice, type Container } from '../../../src/video/codec';
import { runEncodeJob, type EncodeJob, type EncodeJobResult } from './encode-job';
import { meanRgb } from './synthetic';

/** The job result with the bytes as base64 (what page.evaluate can return cheaply). */
export type PageEncodeResult =
  | (Omit<Extract<EncodeJobResult, { ok: true }>, 'bytes'> & { base64: string | null })
  | Extract<EncodeJobResult, { ok: false }>;

declare global {
  // An interface, because only interfaces merge into the global Window.
  interface Window {
    kinetoEncode(job: EncodeJob & { inWorker?: boolean; returnBytes?: boolean }): Promise<PageEncodeResult>;
    kinetoChooseCodec(container: Container, width: number, height: number, fps: number): Promise<CodecChoice>;
    kinetoListCodecs(width: number, height: number, fps: number): Promise<string[]>;
    kinetoDecodeMean(base64: string): Promise<{ width: number; height: number; mean: [number, number, number] }>;
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // String.fromCharCode takes arguments on the stack; 32 KiB slices stay well below its limit.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function inWorker(job: EncodeJob): Promise<EncodeJobResult> {
  const worker = new Worker(new URL('./encode-worker.ts', import.meta.url), { type: 'module' });
  return new Promise<EncodeJobResult>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<EncodeJobResult>) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(`encoder worker failed: ${event.message}`));
    worker.postMessage(job);
  }).finally(() => worker.terminate());
}

window.kinetoEncode = async ({ inWorker: useWorker = false, returnBytes = true, ...job }) => {
  const result = useWorker ? await inWorker(job) : await runEncodeJob(job);
  if (!result.ok) return result;
  const { bytes, ...info } = result;
  return { ...info, base64: returnBytes ? toBase64(new Uint8Array(bytes)) : null };
};

window.kinetoChooseCodec = chooseVideoCodec;
window.kinetoListCodecs = listEncodableCodecs;

window.kinetoDecodeMean = async (base64) => {
  const input = new Input({ source: new BufferSource(fromBase64(base64)), formats: ALL_FORMATS });
  const track = await input.getPrimaryVideoTrack();
  if (!track) throw new Error('no video track');
  // VideoSampleSink decodes with WebCodecs' VideoDecoder.
  const sample = await new VideoSampleSink(track).getSample(await track.getFirstTimestamp());
  if (!sample) throw new Error('no first frame');
  const canvas = new OffscreenCanvas(sample.displayWidth, sample.displayHeight);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d context');
  sample.draw(ctx, 0, 0);
  sample.close();
  const mean = meanRgb(ctx.getImageData(0, 0, canvas.width, canvas.height).data);
  input.dispose();
  return { width: canvas.width, height: canvas.height, mean };
};
