/** The WAV writer: a canonical 16-bit stereo file that ffprobe and ffmpeg read back sample for sample. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLE_RATE, type StereoPcm } from '../../../src/sound/pcm';
import { encodeWav } from '../../../src/sound/wav';

const dir = mkdtempSync(path.join(tmpdir(), 'kineto-wav-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pcm: StereoPcm = {
  sampleRate: SAMPLE_RATE,
  left: Float32Array.from({ length: 4800 }, (_, n) => 0.5 * Math.sin((2 * Math.PI * 440 * n) / SAMPLE_RATE)),
  right: Float32Array.from({ length: 4800 }, (_, n) => (n % 100) / 100 - 0.5),
};

describe('encodeWav', () => {
  const bytes = encodeWav(pcm);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));

  it('writes the RIFF/WAVE header: PCM, 2 channels, 48 kHz, 16 bits, sizes that add up', () => {
    expect([ascii(0), ascii(8), ascii(12), ascii(36)]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
    expect(view.getUint32(4, true)).toBe(bytes.length - 8);
    expect(view.getUint16(20, true)).toBe(1);
    expect(view.getUint16(22, true)).toBe(2);
    expect(view.getUint32(24, true)).toBe(48_000);
    expect(view.getUint32(28, true)).toBe(48_000 * 4);
    expect(view.getUint16(32, true)).toBe(4);
    expect(view.getUint16(34, true)).toBe(16);
    expect(view.getUint32(40, true)).toBe(4800 * 4);
    expect(bytes.length).toBe(44 + 4800 * 4);
  });

  it('clamps out-of-range samples to full scale instead of wrapping', () => {
    const loud = encodeWav({ sampleRate: SAMPLE_RATE, left: Float32Array.of(1.5, -2), right: Float32Array.of(1, -1) });
    const v = new DataView(loud.buffer);
    expect([v.getInt16(44, true), v.getInt16(46, true), v.getInt16(48, true), v.getInt16(50, true)]).toEqual([32767, 32767, -32767, -32767]);
  });

  it('is read back by ffprobe and decoded by ffmpeg to the same samples (within 16-bit rounding)', () => {
    const file = path.join(dir, 'sound.wav');
    writeFileSync(file, bytes);
    const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', file], { encoding: 'utf8' })) as {
      streams: { codec_name: string; channels: number; sample_rate: string; duration: string }[];
    };
    expect(probe.streams[0]).toMatchObject({ codec_name: 'pcm_s16le', channels: 2, sample_rate: '48000' });
    expect(Number(probe.streams[0]!.duration)).toBeCloseTo(0.1, 6);
    const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'f32le', '-'], { maxBuffer: 1 << 24 });
    const decoded = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
    expect(decoded.length).toBe(9600);
    for (let i = 0; i < 4800; i++) {
      expect(Math.abs(decoded[2 * i]! - pcm.left[i]!)).toBeLessThan(1 / 32767);
      expect(Math.abs(decoded[2 * i + 1]! - pcm.right[i]!)).toBeLessThan(1 / 32767);
    }
  });
});
