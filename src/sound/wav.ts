/**
 * Stereo PCM → a RIFF/WAVE file (16-bit little-endian integer PCM, the format every player and editor opens). Pure:
 * returns bytes; the CLI writes them to `sound.wav`.
 */
import type { StereoPcm } from './pcm';

const HEADER_BYTES = 44;

/** The 44-byte canonical header (RIFF, `fmt ` with format 1 = PCM, `data`) and the interleaved 16-bit samples. */
export function encodeWav(pcm: StereoPcm): Uint8Array {
  const frames = pcm.left.length;
  const channels = 2;
  const bytesPerSample = 2;
  const dataBytes = frames * channels * bytesPerSample;
  const bytes = new Uint8Array(HEADER_BYTES + dataBytes);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string) => [...text].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, HEADER_BYTES - 8 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, pcm.sampleRate, true);
  view.setUint32(28, pcm.sampleRate * channels * bytesPerSample, true);
  view.setUint16(32, channels * bytesPerSample, true);
  view.setUint16(34, 8 * bytesPerSample, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  // Round to nearest, clamped: full scale maps to ±32767 so +1 and -1 stay symmetric.
  const toInt = (v: number) => Math.max(-32767, Math.min(32767, Math.round(v * 32767)));
  for (let i = 0; i < frames; i++) {
    view.setInt16(HEADER_BYTES + i * 4, toInt(pcm.left[i]!), true);
    view.setInt16(HEADER_BYTES + i * 4 + 2, toInt(pcm.right[i]!), true);
  }
  return bytes;
}
