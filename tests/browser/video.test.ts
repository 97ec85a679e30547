/**
 * The video encoder (src/video) in Debian's Chromium: codec choice, resize + WebCodecs + mediabunny mux, in a worker
 * as the app runs it and on the main thread, checked back in Node with mediabunny's demuxer and ffprobe.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { avcCodecString } from '../../src/video/codec';
import { buildTestPage, launchBrowser, parseVideo, startStaticServer, type LaunchedBrowser, type StaticServer } from './harness';
import type { EncodeJob } from './pages/encode-job';
import type { PageEncodeResult } from './pages/video';
import { meanRgb, movingSquareFrames } from './pages/synthetic';

const PAGES = path.resolve(import.meta.dirname, 'pages');

let outDir: string;
let scratch: string;
let server: StaticServer;
let browser: LaunchedBrowser;

beforeAll(async () => {
  outDir = await buildTestPage(PAGES, { video: 'video.html' });
  scratch = await mkdtemp(path.join(tmpdir(), 'kineto-video-test-'));
  server = await startStaticServer(outDir);
  browser = await launchBrowser();
  await browser.page.goto(`${server.url}video.html`);
  await browser.page.waitForFunction(() => typeof window.kinetoEncode === 'function');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  for (const dir of [outDir, scratch]) if (dir) await rm(dir, { recursive: true, force: true });
});

type Encoded = Extract<PageEncodeResult, { ok: true }> & { bytes: Uint8Array };


async function encode(job: EncodeJob & { inWorker?: boolean }): Promise<Encoded> {
  const result = await browser.page.evaluate((j) => window.kinetoEncode(j), job);
  if (!result.ok) throw new Error(`encode failed: ${result.message}\n${browser.logs()}`);
  expect(result.base64).not.toBeNull();
  return { ...result, bytes: Buffer.from(result.base64 ?? '', 'base64') };
}

type Probe = { codec_name: string; profile?: string; width: number; height: number; nb_read_frames: string; r_frame_rate: string };

async function ffprobe(bytes: Uint8Array, ext: string): Promise<{ stream: Probe; durationSeconds: number }> {
  const file = path.join(scratch, `probe-${Math.random().toString(36).slice(2)}.${ext}`);
  await writeFile(file, bytes);
  const json = execFileSync(
    'ffprobe',
    ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries',
      'stream=codec_name,profile,width,height,nb_read_frames,r_frame_rate:format=duration', '-of', 'json', file],
    { encoding: 'utf8' },
  );
  const parsed = JSON.parse(json) as { streams: Probe[]; format: { duration: string } };
  const stream = parsed.streams[0];
  if (!stream) throw new Error(`ffprobe found no video stream in ${file}`);
  return { stream, durationSeconds: Number(parsed.format.duration) };
}

const FRAMES = 16;
const FPS = 8;
const SOURCE = 64;

// The harness is exercised here because this file is the first to rely on it.
describe('harness: static server', () => {
  it('serves the page cross-origin isolated, with MIME types, HEAD, Range and a request log', async () => {
    expect(await browser.page.evaluate(() => crossOriginIsolated)).toBe(true);
    const html = await fetch(`${server.url}video.html`);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    for (const [name, value] of [['cross-origin-opener-policy', 'same-origin'], ['cross-origin-embedder-policy', 'require-corp'], ['cross-origin-resource-policy', 'same-origin']]) {
      expect(html.headers.get(name!)).toBe(value);
    }
    const script = /src="\/(assets\/[^"]+\.js)"/.exec(await html.text())?.[1];
    expect(script).toBeDefined();
    const url = `${server.url}${script}`;

    const head = await fetch(url, { method: 'HEAD' });
    expect(head.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const size = Number(head.headers.get('content-length'));
    const whole = new Uint8Array(await (await fetch(url)).arrayBuffer());
    expect(whole.length).toBe(size);

    const part = await fetch(url, { headers: { Range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-19/${size}`);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(whole.subarray(10, 20));
    const tail = await fetch(url, { headers: { Range: 'bytes=-5' } });
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(whole.subarray(size - 5));
    const beyond = await fetch(url, { headers: { Range: `bytes=${size}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${size}`);
    await beyond.arrayBuffer();

    expect((await fetch(`${server.url}missing.onnx`)).status).toBe(404);
    expect((await fetch(`${server.url}..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    const ranged = server.requests.filter((r) => r.url === `/${script}` && r.range === 'bytes=10-19');
    expect(ranged).toEqual([{ method: 'GET', url: `/${script}`, status: 206, range: 'bytes=10-19', bytes: 10, completed: true }]);
  });
});

describe('codec choice', () => {
  it('computes the H.264 baseline level from macroblocks per frame and per second', () => {
    expect(avcCodecString(256, 256, 8)).toBe('avc1.42001f'); // 256 MBs: level 3.1 is our floor
    expect(avcCodecString(1280, 720, 30)).toBe('avc1.42001f'); // 3600 MBs, 108 000 MB/s: exactly 3.1
    expect(avcCodecString(1280, 720, 60)).toBe('avc1.420020'); // 216 000 MB/s → 3.2
    expect(avcCodecString(1920, 1080, 30)).toBe('avc1.420028'); // 8160 MBs → 4.0
    expect(avcCodecString(4096, 2160, 30)).toBe('avc1.420034'); // 34 560 MBs, 1 036 800 MB/s → 5.2
  });

  it('prefers H.264 for MP4 and VP9 for WebM, and rounds odd sizes up to even', async () => {
    const mp4 = await browser.page.evaluate(() => window.kinetoChooseCodec('mp4', 255, 129, 8));
    expect(mp4).toMatchObject({ codec: 'avc1.42001f', mediabunnyCodec: 'avc', width: 256, height: 130, adjustedFrom: { width: 255, height: 129 } });
    const big = await browser.page.evaluate(() => window.kinetoChooseCodec('mp4', 1920, 1080, 30));
    expect(big).toMatchObject({ codec: 'avc1.420028', adjustedFrom: null });
    const webm = await browser.page.evaluate(() => window.kinetoChooseCodec('webm', 256, 256, 8));
    expect(webm).toMatchObject({ codec: 'vp09.00.10.08', mediabunnyCodec: 'vp9', width: 256, height: 256, adjustedFrom: null });
  });

  it('lists every encodable codec for the capability report', async () => {
    // All five are encodable in this Chromium (LAB-NOTES, WebCodecs + muxing); the list keeps preference order.
    const codecs = await browser.page.evaluate(() => window.kinetoListCodecs(256, 256, 8));
    expect(codecs).toEqual(['avc1.42001f', 'vp09.00.10.08', 'av01.0.04M.08', 'vp8']);
  });
});

describe.each([
  { container: 'mp4', codec: 'avc', ffprobeCodec: 'h264', prefix: 'avc1.42001f' },
  { container: 'webm', codec: 'vp9', ffprobeCodec: 'vp9', prefix: 'vp09.00.10.08' },
] as const)('encodeVideo → $container', ({ container, codec, ffprobeCodec, prefix }) => {
  it.each([
    { outputWidth: 256, outputHeight: 256, width: 256, height: 256 },
    { outputWidth: 255, outputHeight: 129, width: 256, height: 130 },
  ])('16 frames 64² → $outputWidth×$outputHeight in a worker', async ({ outputWidth, outputHeight, width, height }) => {
    const result = await encode({ frames: FRAMES, size: SOURCE, outputWidth, outputHeight, fps: FPS, container, inWorker: true });
    expect(result).toMatchObject({ codec: prefix, width, height, frameCount: FRAMES, durationSeconds: 2, progressCalls: FRAMES });
    expect(result.mimeType).toBe(`video/${container}; codecs="${prefix}"`);
    expect(result.adjustedFrom).toEqual(width === outputWidth ? null : { width: outputWidth, height: outputHeight });

    const parsed = await parseVideo(result.bytes);
    expect(parsed).toMatchObject({ container: container === 'mp4' ? 'MP4' : 'WebM', codec, width, height, frameCount: FRAMES, startsWithKeyFrame: true });
    expect(parsed.durationSeconds).toBeGreaterThan(2 - 0.1);
    expect(parsed.durationSeconds).toBeLessThan(2 + 0.1);

    const probe = await ffprobe(result.bytes, container);
    expect(probe.stream).toMatchObject({ codec_name: ffprobeCodec, width, height, nb_read_frames: String(FRAMES) });
    if (container === 'mp4') expect(probe.stream.profile).toBe('Constrained Baseline');
    expect(Math.abs(probe.durationSeconds - 2)).toBeLessThan(0.1);

    // The first frame decodes (WebCodecs VideoDecoder in the page) to roughly the source colours: catches swapped
    // channels, a wrong YUV matrix or a resize that darkens.
    const first = await browser.page.evaluate((b64) => window.kinetoDecodeMean(b64), result.base64 ?? '');
    expect(first).toMatchObject({ width, height });
    const expected = meanRgb(movingSquareFrames(1, SOURCE)[0]!);
    first.mean.forEach((m, c) => expect(Math.abs(m - expected[c]!), `channel ${c}: ${m} vs ${expected[c]}`).toBeLessThan(6));
  });
});

describe('encodeVideo, other paths', () => {
  it('runs on the main thread too, with a key frame at least every 2 s', async () => {
    const result = await encode({ frames: 40, size: SOURCE, outputWidth: 128, outputHeight: 128, fps: FPS, container: 'mp4' });
    const parsed = await parseVideo(result.bytes);
    expect(parsed).toMatchObject({ frameCount: 40, width: 128, height: 128, startsWithKeyFrame: true });
    expect(parsed.keyFrameCount).toBeGreaterThanOrEqual(3); // frames 0, 16, 32
    expect(Math.abs(parsed.durationSeconds - 5)).toBeLessThan(0.1);
  });

  it('rejects with CancelledError when aborted, and the page can encode again afterwards', async () => {
    const job = { frames: FRAMES, size: SOURCE, outputWidth: 256, outputHeight: 256, fps: FPS, container: 'mp4', inWorker: true } as const;
    const cancelled = await browser.page.evaluate((j) => window.kinetoEncode(j), { ...job, abortAfterFrame: 3 });
    expect(cancelled).toMatchObject({ ok: false, name: 'CancelledError', code: null });
    const again = await encode(job);
    expect(again.frameCount).toBe(FRAMES);
  });

  it('reports no page errors', () => {
    expect(browser.errors, browser.logs()).toEqual([]);
  });
});
