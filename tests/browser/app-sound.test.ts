/**
 * Sound in the app, end to end in headless Chromium on the built app (WASM): a clip made with Sound on (the default)
 * downloads as an MP4 whose AAC stream lasts as long as the video and decodes (ffmpeg) to a sound at a sane loudness;
 * the result's player and the Library's play it, and the Library keeps the very same file; with WebM chosen the sound
 * is Opus; with Sound unticked the file has no sound at all. The provenance tags are the same with and without sound.
 * Served by a host whose worker policy refuses the AAC encoder's worker, the MP4 comes without sound and a notice says why.
 */
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integratedLoudness, rmsDb } from '../../src/sound/loudness';
import { WORKER_CSP, WORKER_SCRIPT } from '../../src/pwa/app-headers';
import { type LaunchedBrowser, launchBrowser, type StaticServer, runSettled, startStaticServer } from './harness';
import { decodeWithFfmpeg, formatTags, probe, streamSeconds } from './media-probe';

const PROMPT = 'a large red circle bouncing on a black background';
const FPS = 8;

let server: StaticServer;
let browser: LaunchedBrowser;
let page: Page;
let scratch: string;

/** Opens the app in `browser` from `server` on WASM and fills in the clip this file makes. */
async function openApp(b: LaunchedBrowser, s: StaticServer): Promise<void> {
  await b.page.goto(s.url);
  await b.page.getByLabel('Backend').selectOption('wasm');
  await b.page.waitForFunction(() => { const m = window.kineto?.getState().model; return m?.status === 'ready' && m.backendInfo.backend === 'wasm'; }, null, { timeout: 180_000 });
  await b.page.waitForFunction(() => window.kineto?.getState().draftModelId !== null);
  for (const [label, value] of Object.entries({ Prompt: PROMPT, Seed: '1', Frames: '16', FPS: String(FPS), 'Output size': '128' })) {
    await b.page.getByLabel(label, { exact: true }).fill(value);
  }
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'kineto-app-sound-'));
  server = await startStaticServer('dist');
  browser = await launchBrowser();
  page = browser.page;
  await openApp(browser, server);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const soundBox = () => page.getByRole('checkbox', { name: 'Sound', exact: true });

/** Presses Generate, waits for the run and its Library save, and downloads the result as `name`. */
async function generateAndDownload(name: string, link: 'Download MP4' | 'Download WebM', p = page): Promise<string> {
  await p.getByRole('button', { name: 'Generate', exact: true }).click();
  await p.waitForFunction(() => window.kineto!.getState().run.status === 'running', null, { timeout: 10_000 }).catch(() => {});
  await runSettled(p, 300_000, browser.logs);
  expect(await p.evaluate(() => window.kineto!.getState().run.outcome), browser.logs()).toBe('done');
  await p.waitForFunction(() => ['saved', 'failed'].includes(window.kineto!.getState().library.save?.status ?? ''), null, { timeout: 30_000 });
  const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('link', { name: link }).click()]);
  const file = path.join(scratch, name);
  await copyFile((await download.path())!, file);
  return file;
}

/** A player is playing with its sound on: not muted, moving, and Chromium has decoded audio bytes from it. */
async function playsSound(label: string): Promise<void> {
  const video = page.getByLabel(label, { exact: true });
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => (v as HTMLVideoElement & { webkitAudioDecodedByteCount: number }).webkitAudioDecodedByteCount), { timeout: 20_000 }).toBeGreaterThan(0);
  expect(await video.evaluate((v: HTMLVideoElement) => ({ muted: v.muted, paused: v.paused, volume: v.volume }))).toEqual({ muted: false, paused: false, volume: 1 });
}

/** The provenance record and title the file carries. */
function provenance(file: string): { title: string | undefined; record: unknown } {
  const tags = formatTags(file);
  return { title: tags.title, record: JSON.parse(tags.comment ?? tags.description ?? 'null') };
}

let withSound: string;

describe('Sound in the app', () => {
  it('is on by default and gives the MP4 an AAC track as long as the video, audible at a sane loudness', async () => {
    expect(await soundBox().isChecked()).toBe(true);
    withSound = await generateAndDownload('with-sound.mp4', 'Download MP4');
    const streams = probe(withSound);
    expect(streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', nb_read_frames: '16' });
    expect(streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac', channels: 2, sample_rate: '48000' });
    const video = streamSeconds(withSound, 'v');
    const audio = streamSeconds(withSound, 'a');
    expect(Math.abs(video - 16 / FPS)).toBeLessThan(1 / FPS);
    expect(Math.abs(audio - video), `audio ${audio} s, video ${video} s`).toBeLessThanOrEqual(1 / FPS);

    const pcm = decodeWithFfmpeg(withSound);
    expect(Math.abs(pcm.left.length / pcm.sampleRate - video)).toBeLessThanOrEqual(1 / FPS);
    expect(rmsDb([pcm.left, pcm.right]), 'not silent').toBeGreaterThan(-50);
    const lufs = integratedLoudness([pcm.left, pcm.right]);
    expect(lufs).toBeGreaterThan(-30);
    expect(lufs).toBeLessThan(-6);
    // The facts the page shows describe this track: its codec, and the loudness the worker measured before encoding.
    const sound = await page.evaluate(() => window.kineto!.getState().result!.facts.sound);
    expect(sound).toMatchObject({ codec: 'mp4a.40.2', follows: 'object' });
    expect(Math.abs(sound!.loudnessLufs! - lufs), `facts ${sound!.loudnessLufs} LUFS, file ${lufs} LUFS`).toBeLessThan(1.5);
    expect(sound!.events).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.result-panel .facts').textContent()).toContain(`AAC-LC · ${sound!.events} events`);
  });

  it('plays with its sound in the result, and the Library keeps the same file and plays it with sound', async () => {
    await playsSound('Generated video');
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Library', exact: true }).click();
    await page.getByRole('button', { name: `Play “${PROMPT}”` }).first().click();
    await playsSound('Library video');
    const stored = await page.getByLabel('Library video', { exact: true }).evaluate(async (v: HTMLVideoElement) => Array.from(new Uint8Array(await (await fetch(v.src)).arrayBuffer())));
    expect(Buffer.from(stored).equals(await readFile(withSound)), 'the stored Blob is the downloaded file').toBe(true);
    await page.getByRole('button', { name: 'Close player' }).click();
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Create', exact: true }).click();
  });

  it('gives a WebM an Opus track as long as the video', async () => {
    await page.getByLabel('Format', { exact: true }).selectOption('webm');
    const webm = await generateAndDownload('with-sound.webm', 'Download WebM');
    const streams = probe(webm);
    expect(streams.map((s) => s.codec_name).sort()).toEqual(['opus', 'vp9']);
    expect(streams.find((s) => s.codec_type === 'audio')).toMatchObject({ channels: 2, sample_rate: '48000' });
    expect(Math.abs(streamSeconds(webm, 'a') - streamSeconds(webm, 'v'))).toBeLessThanOrEqual(1 / FPS);
    const pcm = decodeWithFfmpeg(webm);
    expect(rmsDb([pcm.left, pcm.right]), 'not silent').toBeGreaterThan(-50);
    await page.getByLabel('Format', { exact: true }).selectOption('mp4');
  });

  it('makes a file with no sound once Sound is unticked, with the same provenance tags', async () => {
    await soundBox().uncheck();
    const silent = await generateAndDownload('without-sound.mp4', 'Download MP4');
    const streams = probe(silent);
    expect(streams.map((s) => s.codec_type)).toEqual(['video']);
    expect(streams[0]).toMatchObject({ codec_name: 'h264', nb_read_frames: '16' });
    expect(await page.evaluate(() => window.kineto!.getState().result!.facts)).toMatchObject({ sound: null, soundSkipped: null });
    await expect.poll(() => page.locator('.result-panel .facts').textContent()).toContain('None (Sound was off)');
    const tags = provenance(silent);
    expect(tags.record).toMatchObject({ generator: 'Kineto', seed: 1, model: { id: 'kineto-shapes' } });
    expect(tags).toEqual(provenance(withSound));
    await soundBox().check();
    expect(browser.errors.map((e) => e.message)).toEqual([]);
  });
});

describe('Sound on a host whose worker policy refuses the AAC encoder’s worker', () => {
  it('still makes the MP4, without sound, and a notice says why', async () => {
    // The engine worker's policy without `blob:` in worker-src: the WASM AAC encoder cannot start its worker.
    const strict = WORKER_CSP.replace("worker-src 'self' blob:", "worker-src 'self'");
    const host = await startStaticServer('dist', {
      handle: (req, res) => {
        if (WORKER_SCRIPT.test(new URL(req.url ?? '/', 'http://x').pathname)) res.setHeader('Content-Security-Policy', strict);
        return false;
      },
    });
    const other = await launchBrowser();
    try {
      await openApp(other, host);
      const file = await generateAndDownload('refused.mp4', 'Download MP4', other.page);
      const facts = await other.page.evaluate(() => window.kineto!.getState().result!.facts);
      if (facts.sound?.encoder === 'webcodecs') return; // a browser with its own AAC encoder never needs the worker
      expect(facts.sound).toBeNull();
      expect(facts.soundSkipped).toMatch(/The AAC sound could not be encoded \(.+\), so this clip has no sound\./);
      expect(probe(file).map((s) => s.codec_type)).toEqual(['video']);
      const notice = other.page.getByRole('status').filter({ hasText: facts.soundSkipped! });
      await expect.poll(() => notice.count()).toBe(1);
      await expect.poll(() => other.page.locator('.result-panel .facts').textContent()).toContain(facts.soundSkipped!);
      // The encoder's watchdog saw this host's policy refuse the worker (not a timeout); any report of that refusal
      // in the console is the policy at work, not a fault: out of the log that close() checks.
      expect(facts.soundSkipped).toContain('Content-Security-Policy (worker-src)');
      for (const l of other.console.filter((c) => /Content Security Policy/i.test(c.text))) other.console.splice(other.console.indexOf(l), 1);
      expect(other.errors.map((e) => e.message)).toEqual([]);
    } finally {
      await other.close();
      await host.close();
    }
  });
});
