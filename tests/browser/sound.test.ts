/**
 * The clip's sound in Debian's Chromium: foley made and encoded through src/video beside the picture, in a worker
 * served with the engine worker's Content-Security-Policy (as the app runs it) and on the page's main thread (where
 * that policy forbids the AAC encoder's worker). The files are checked back with ffprobe and ffmpeg: an AAC stream in
 * the MP4, an Opus stream in the WebM, as long as the video to within a frame, struck where the clip bounces; and the
 * MP4's sound decodes in Chromium itself.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matched, onsetTimes, readLabels, readStrip } from '../sound-measure';
import { buildTestPage, launchBrowser, startStaticServer, type LaunchedBrowser, type StaticServer } from './harness';
import { decodeWithFfmpeg, probe, streamSeconds } from './media-probe';
import type { PageSoundResult } from './pages/sound';
import type { SoundJob } from './pages/sound-job';

const PAGES = path.resolve(import.meta.dirname, 'pages');
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/world-sound');
const FPS = 8;

let outDir: string;
let scratch: string;
let server: StaticServer;
let browser: LaunchedBrowser;

beforeAll(async () => {
  outDir = await buildTestPage(PAGES, { sound: 'sound.html' });
  scratch = await mkdtemp(path.join(tmpdir(), 'kineto-sound-test-'));
  server = await startStaticServer(outDir);
  browser = await launchBrowser();
  await browser.page.goto(`${server.url}sound.html`);
  await browser.page.waitForFunction(() => typeof window.kinetoSoundEncode === 'function');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  for (const dir of [outDir, scratch]) if (dir) await rm(dir, { recursive: true, force: true });
});

/** A ground-truth bouncing clip with two bounces (a large star, fast: sparkles at frames 4.2 and 11.7). */
function bouncingJob(container: 'mp4' | 'webm'): SoundJob {
  const label = readLabels<{ file: string; shape: string; size: string; speed: string }>(FIXTURES).find((l) => l.shape === 'star' && l.size === 'large' && l.speed === 'fast')!;
  const { frames, size } = readStrip(path.join(FIXTURES, label.file));
  const bytes = new Uint8Array(frames.length * frames[0]!.length);
  frames.forEach((f, i) => bytes.set(f, i * f.length));
  return { framesBase64: Buffer.from(bytes).toString('base64'), size, count: frames.length, fps: FPS, seed: 7, container, outputSize: 256 };
}

type Encoded = Extract<PageSoundResult, { ok: true }> & { file: string };

async function encode(container: 'mp4' | 'webm', inWorker: boolean, soundFails?: string): Promise<Encoded> {
  const result = await browser.page.evaluate((job) => window.kinetoSoundEncode(job), { ...bouncingJob(container), inWorker, soundFails });
  if (!result.ok) throw new Error(`encode failed: ${result.message}\n${browser.logs()}`);
  const file = path.join(scratch, `clip-${inWorker ? 'worker' : 'page'}.${container}`);
  await writeFile(file, Buffer.from(result.base64, 'base64'));
  return { ...result, file };
}

describe.each([
  { container: 'mp4', audioCodec: 'aac', videoCodec: 'h264', codecString: 'mp4a.40.2' },
  { container: 'webm', audioCodec: 'opus', videoCodec: 'vp9', codecString: 'opus' },
] as const)('a bouncing clip with sound → $container, encoded in a worker under the app’s worker policy', ({ container, audioCodec, videoCodec, codecString }) => {
  let encoded: Encoded;
  beforeAll(async () => {
    encoded = await encode(container, true);
  });

  it(`carries a ${audioCodec} stream beside the ${videoCodec} one`, () => {
    expect(encoded.audio).toMatchObject({ codec: audioCodec, codecString });
    expect(encoded.audioSkipped).toBeNull();
    expect(encoded.mimeType).toContain(codecString);
    const streams = probe(encoded.file);
    expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: videoCodec, nb_read_frames: '16' });
    expect(streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: audioCodec, channels: 2, sample_rate: '48000' });
  });

  it('lasts as long as the video, to within one frame', () => {
    const video = streamSeconds(encoded.file, 'v');
    const audio = streamSeconds(encoded.file, 'a');
    expect(Math.abs(video - 2)).toBeLessThan(1 / FPS);
    expect(Math.abs(audio - video), `audio ${audio} s, video ${video} s`).toBeLessThanOrEqual(1 / FPS);
  });

  it('strikes, once decoded by ffmpeg, within one frame of the bounces', () => {
    expect(encoded.impactSeconds.length).toBeGreaterThanOrEqual(2);
    const onsets = onsetTimes(decodeWithFfmpeg(encoded.file));
    const hits = matched(encoded.impactSeconds, onsets, 1 / FPS);
    expect(hits.filter(Boolean).length / hits.length, `impacts ${encoded.impactSeconds}, onsets ${onsets}`).toBeGreaterThanOrEqual(0.9);
  });
});

describe('decoding and fallbacks', () => {
  it('decodes the MP4’s sound in Chromium (decodeAudioData), as long as the clip and struck at the bounces', async () => {
    const mp4 = await encode('mp4', true);
    const decoded = await browser.page.evaluate((b64) => window.kinetoDecodeAudio(b64), Buffer.from(await import('node:fs/promises').then((fs) => fs.readFile(mp4.file))).toString('base64'));
    expect(decoded).toMatchObject({ sampleRate: 48_000, channels: 2 });
    expect(Math.abs(decoded.durationSeconds - 2)).toBeLessThanOrEqual(1 / FPS);
    const channel = (b64: string) => { const b = Buffer.from(b64, 'base64'); return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4); };
    const onsets = onsetTimes({ left: channel(decoded.leftBase64), right: channel(decoded.rightBase64), sampleRate: 48_000 });
    const hits = matched(mp4.impactSeconds, onsets, 1 / FPS);
    expect(hits.every(Boolean), `impacts ${mp4.impactSeconds}, onsets ${onsets}`).toBe(true);
  });

  it('encodes Opus on the main thread too (WebCodecs), under the page’s policy', async () => {
    const webm = await encode('webm', false);
    expect(webm.audio).toMatchObject({ codec: 'opus', encoder: 'webcodecs' });
    expect(probe(webm.file).map((s) => s.codec_name).sort()).toEqual(['opus', 'vp9']);
  });

  it('keeps the video and says why when the sound cannot be encoded (the page’s policy refuses the AAC worker)', async () => {
    const before = browser.console.length;
    const mp4 = await encode('mp4', false);
    if (mp4.audio?.encoder === 'webcodecs') return; // a browser with its own AAC encoder never needs the worker
    expect(mp4.audio).toBeNull();
    expect(mp4.audioSkipped).toMatch(/no sound/);
    const streams = probe(mp4.file);
    expect(streams.map((s) => s.codec_type)).toEqual(['video']);
    expect(streams[0]).toMatchObject({ codec_name: 'h264', nb_read_frames: '16' });
    // The refusal was the page's policy at work, not a fault: take it out of the log that close() checks.
    const refused = browser.console.slice(before).filter((l) => /Content Security Policy/i.test(l.text) && /worker-src/.test(l.text));
    expect(refused.length).toBeGreaterThan(0);
    for (const l of refused) browser.console.splice(browser.console.indexOf(l), 1);
  });

  it('keeps the video and says why when the sound step itself fails (NoSound)', async () => {
    const reason = 'The sound could not be made (a test fault), so this clip has no sound.';
    const mp4 = await encode('mp4', true, reason);
    expect(mp4.audio).toBeNull();
    expect(mp4.audioSkipped).toBe(reason);
    const streams = probe(mp4.file);
    expect(streams.map((s) => s.codec_type)).toEqual(['video']);
    expect(streams[0]).toMatchObject({ codec_name: 'h264', nb_read_frames: '16' });
  });

  it('reports no page errors', () => {
    expect(browser.errors, browser.logs()).toEqual([]);
  });
});
