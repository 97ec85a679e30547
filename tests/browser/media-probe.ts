/**
 * A media file checked from Node with Debian's ffprobe and ffmpeg: its streams, how long each lasts, and its sound
 * decoded to PCM. Shared by the tests that make files with sound.
 */
import { execFileSync } from 'node:child_process';
import { SAMPLE_RATE, type StereoPcm } from '../../src/sound/pcm';

export type Stream = { codec_type: string; codec_name: string; channels?: number; sample_rate?: string; duration?: string; nb_read_frames?: string };

/** The file's streams, with their frames counted. */
export function probe(file: string): Stream[] {
  const json = execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_type,codec_name,channels,sample_rate,duration,nb_read_frames', '-of', 'json', file], { encoding: 'utf8' });
  return (JSON.parse(json) as { streams: Stream[] }).streams;
}

/** A stream's duration: its own field (MP4), or from its last decoded timestamp (WebM has none per stream). */
export function streamSeconds(file: string, type: 'v' | 'a'): number {
  const out = execFileSync('ffprobe', ['-v', 'error', '-select_streams', `${type}:0`, '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  const ends = out.trim().split('\n').map((line) => line.split(',').map(Number)).map(([pts, dur]) => pts! + (dur || 0));
  return Math.max(...ends);
}

/** The file's sound decoded by ffmpeg to 48 kHz stereo float. */
export function decodeWithFfmpeg(file: string): StereoPcm {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-vn', '-ac', '2', '-ar', String(SAMPLE_RATE), '-f', 'f32le', '-'], { maxBuffer: 1 << 26 });
  const all = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  const n = all.length / 2;
  return { left: Float32Array.from({ length: n }, (_, i) => all[2 * i]!), right: Float32Array.from({ length: n }, (_, i) => all[2 * i + 1]!), sampleRate: SAMPLE_RATE };
}

/** The file's container tags (MP4 `udta`/`ilst`, WebM `Tags`) as ffprobe names them. */
export function formatTags(file: string): Record<string, string> {
  const json = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format_tags', '-of', 'json', file], { encoding: 'utf8' });
  return (JSON.parse(json) as { format: { tags?: Record<string, string> } }).format.tags ?? {};
}
