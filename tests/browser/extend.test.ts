/**
 * Extend and Continue with a new prompt in Create, in Chromium on the built app and the embedded model: a clip made,
 * Extend adds two seconds (the worker carries on from the clip it keeps), Continue with a new prompt two more with the
 * prompt field's text, the result lists where each part begins, the file has every frame (ffprobe); Start from an
 * image shows a wide picture letterboxed and says so, and the clip starts from it; axe passes at 390 px and 1280×720.
 * Use this frame (by keyboard alone) puts a frame of the result in the form and the next clip opens on it; a Library
 * card's Use this frame does the same with its poster's frame; two pictures make the in-betweens, which open on the
 * first and end on the last; Smooth motion makes twice the frames at twice the fps for the same seconds.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, type LaunchedBrowser, launchBrowser, type StaticServer, startStaticServer } from './harness';
import { probe, streamSeconds } from './media-probe';

let server: StaticServer;
let browser: LaunchedBrowser;
let page: Page;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kineto-extend-'));
  server = await startStaticServer('dist');
  browser = await launchBrowser();
  page = browser.page;
  await page.goto(server.url);
  await page.waitForFunction(() => window.kineto?.getState().model.status === 'ready', null, { timeout: 120_000 });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Clicks `button` and waits for the run it starts to end; the clip's frame count. */
async function runBy(button: string): Promise<number> {
  const before = await page.evaluate(() => window.kineto!.getState().result?.url ?? null);
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.waitForFunction((url) => window.kineto!.getState().run.status === 'idle' && (window.kineto!.getState().result?.url ?? null) !== url, before, { timeout: 300_000 });
  expect(await page.evaluate(() => window.kineto!.getState().run.outcome)).toBe('done');
  return page.evaluate(() => window.kineto!.getState().result!.facts.frameCount);
}

describe('Extend in Create', () => {
  it('extends the clip on screen, then continues it with a new prompt, listing where each part begins', async () => {
    await page.getByLabel('Prompt', { exact: true }).fill('a red circle moving right');
    const first = await runBy('Generate');
    const fps = await page.evaluate(() => window.kineto!.getState().result!.facts.params.fps);
    expect(await runBy('Extend')).toBe(first + 2 * fps);
    await page.getByLabel('Prompt', { exact: true }).fill('a red circle moving up');
    expect(await runBy('Continue with a new prompt')).toBe(first + 4 * fps);

    const parts = page.getByRole('list', { name: 'Where each part begins' }).getByRole('listitem');
    expect(await parts.allTextContents()).toEqual([
      expect.stringContaining('a red circle moving right'),
      expect.stringContaining('a red circle moving right'),
      expect.stringContaining('a red circle moving up'),
    ]);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /^Download/ }).first().click()]);
    const file = path.join(dir, download.suggestedFilename());
    await download.saveAs(file);
    const frames = execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file], { encoding: 'utf8' });
    expect(frames.trim()).toBe(String(first + 4 * fps));
  }, 600_000);

  it('starts from an image: shown letterboxed as the model sees it, said so, and the clip opens on it', async () => {
    // A wide picture, red on the left half and white on the right: letterboxed top and bottom at a square model.
    const png = new PNG({ width: 80, height: 40 });
    for (let y = 0; y < 40; y++) for (let x = 0; x < 80; x++) png.data.set(x < 40 ? [230, 20, 20, 255] : [250, 250, 250, 255], (y * 80 + x) * 4);
    const picture = path.join(dir, 'wide.png');
    await writeFile(picture, PNG.sync.write(png));
    await page.getByLabel('Start from an image').setInputFiles(picture);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'letterboxed' }).count()).toBe(1);
    expect(await page.getByRole('img', { name: 'wide.png as the model sees it' }).count()).toBe(1);

    await runBy('Generate');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /^Download/ }).first().click()]);
    const file = path.join(dir, `from-image-${download.suggestedFilename()}`);
    await download.saveAs(file);
    const rgb = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-frames:v', '1', '-vf', 'scale=16:16', '-pix_fmt', 'rgb24', '-f', 'rawvideo', '-'], { maxBuffer: 1 << 20 });
    const at = (x: number, y: number) => [...rgb.subarray((y * 16 + x) * 3, (y * 16 + x) * 3 + 3)];
    const [r, g] = at(4, 8) as [number, number, number];
    expect(r - g, 'the left of the first frame is red').toBeGreaterThan(80);
    expect(Math.max(...at(12, 0)), 'the letterbox band is dark').toBeLessThan(90);
    expect(Math.min(...at(12, 8)), 'the right is white').toBeGreaterThan(150);
  }, 600_000);

  it('passes axe with the parts shown, at 390 px and 1280×720', async () => {
    for (const [width, height] of [[390, 844], [1280, 720]] as const) {
      await page.setViewportSize({ width, height });
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), `horizontal overflow at ${width} px`).toBeLessThanOrEqual(0);
      expect(await axeViolations(page), `Create with parts at ${width}×${height}`).toEqual([]);
    }
  });
});

/** The size frames are compared at: the world's 64 px (the model draws 128; the comparisons need no more). */
const SIDE = 64;

/** The result on screen, written to `name` in the test's folder. */
async function saveResult(name: string): Promise<string> {
  const base64 = await page.evaluate(async () => {
    const bytes = new Uint8Array(await window.kineto!.getState().result!.video.arrayBuffer());
    let text = '';
    for (const b of bytes) text += String.fromCharCode(b);
    return btoa(text);
  });
  const file = path.join(dir, name);
  await writeFile(file, Buffer.from(base64, 'base64'));
  return file;
}

/** Frame `n` (from 0) of a video file, decoded by ffmpeg, as RGB at SIDE×SIDE. */
function decodedFrame(file: string, n: number): Uint8Array {
  return execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-vf', `select=eq(n\\,${n}),scale=${SIDE}:${SIDE}`, '-frames:v', '1', '-pix_fmt', 'rgb24', '-f', 'rawvideo', '-'], { maxBuffer: 1 << 20 });
}

/** A picture's RGB pixels (RGBA PNG at SIDE×SIDE). */
function rgbOf(png: PNG): Uint8Array {
  return Uint8Array.from({ length: SIDE * SIDE * 3 }, (_, i) => png.data[Math.floor(i / 3) * 4 + (i % 3)]!);
}

/** Mean absolute difference of two RGB frames, 0–255. */
function meanDiff(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** The centre of the object: the pixels far from the colour of the frame's border. */
function objectCentre(rgb: Uint8Array): { x: number; y: number } {
  const border: number[][] = [[], [], []];
  for (let i = 0; i < SIDE; i++)
    for (const [x, y] of [[i, 0], [i, SIDE - 1], [0, i], [SIDE - 1, i]] as const) for (let c = 0; c < 3; c++) border[c]!.push(rgb[(y * SIDE + x) * 3 + c]!);
  const bg = border.map((v) => v.sort((p, q) => p - q)[v.length >> 1]!);
  let [n, sx, sy] = [0, 0, 0];
  for (let y = 0; y < SIDE; y++)
    for (let x = 0; x < SIDE; x++) {
      const d = [0, 1, 2].reduce((sum, c) => sum + Math.abs(rgb[(y * SIDE + x) * 3 + c]! - bg[c]!), 0);
      if (d > 120) [n, sx, sy] = [n + 1, sx + x, sy + y];
    }
  expect(n, 'an object is in the frame').toBeGreaterThan(10);
  return { x: sx / n, y: sy / n };
}

const distance = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y);

/** Presses Tab until `target` has focus: how a keyboard user gets there. */
async function tabTo(target: Locator): Promise<void> {
  for (let i = 0; i < 80; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${target}`);
}

/** A red disc of radius 8 at (`x`, 32) on black, at the model's size. */
async function discPicture(name: string, x: number): Promise<{ file: string; rgb: Uint8Array }> {
  const png = new PNG({ width: SIDE, height: SIDE });
  for (let py = 0; py < SIDE; py++)
    for (let px = 0; px < SIDE; px++) png.data.set(Math.hypot(px + 0.5 - x, py + 0.5 - 32) <= 8 ? [230, 30, 30, 255] : [0, 0, 0, 255], (py * SIDE + px) * 4);
  const file = path.join(dir, name);
  await writeFile(file, PNG.sync.write(png));
  return { file, rgb: rgbOf(png) };
}

describe('Use this frame, in-betweens and Smooth motion in Create', () => {
  it('Use this frame, by keyboard alone: the frame goes into the form as the model sees it, and the next clip opens on it', async () => {
    if (await page.getByRole('button', { name: 'Remove picture' }).count()) await page.getByRole('button', { name: 'Remove picture' }).click();
    await page.getByLabel('Prompt', { exact: true }).fill('a red circle moving right');
    await page.getByLabel('Seed', { exact: true }).fill('7');
    expect(await runBy('Generate')).toBe(16);
    const source = await saveResult('source.mp4');

    const slider = page.getByRole('slider', { name: 'Frame' });
    await page.getByLabel('Prompt', { exact: true }).focus();
    await tabTo(slider);
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    expect(await slider.getAttribute('aria-valuetext')).toBe('Frame 15 of 16, at 1.75 s');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const picture = page.getByRole('img', { name: 'frame 15 of “a red circle moving right” as the model sees it' });
    await picture.waitFor({ timeout: 60_000 });
    await expect.poll(() => picture.evaluate((el) => el === document.activeElement), { message: 'the focus moves to the picture' }).toBe(true);
    expect(await page.getByRole('status').filter({ hasText: 'scaled from 256×256 to 128×128' }).count()).toBe(1);

    const before = await page.evaluate(() => window.kineto!.getState().result!.url);
    await tabTo(page.getByRole('button', { name: 'Generate', exact: true }));
    await page.keyboard.press('Enter');
    await page.waitForFunction((url) => window.kineto!.getState().run.status === 'idle' && window.kineto!.getState().result!.url !== url, before, { timeout: 300_000 });
    expect(await page.evaluate(() => window.kineto!.getState().run.outcome)).toBe('done');
    const made = await saveResult('from-frame.mp4');

    // The first frame is the chosen one come back through the model's VAE: closer to it than to any other frame.
    const first = decodedFrame(made, 0);
    const diffs = Array.from({ length: 16 }, (_, i) => meanDiff(first, decodedFrame(source, i)));
    console.log(`Use this frame: the first frame's mean difference from each frame of the source: ${diffs.map((d) => d.toFixed(1)).join(' ')}`);
    expect(diffs[14]).toBeLessThan(8);
    expect(diffs.indexOf(Math.min(...diffs)), 'the frame it matches best').toBe(14);
  }, 600_000);

  it("Use this frame on a Library card: its poster's frame goes into the form", async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Library' }).click();
    const card = page.getByRole('button', { name: /^Use this frame of “/ }).first();
    await card.waitFor({ timeout: 60_000 });
    await card.click();
    await page.getByRole('img', { name: /^frame 8 of “.+” as the model sees it$/ }).waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => window.kineto!.getState().route.view)).toBe('create');
  }, 120_000);

  it('two pictures make the in-betweens: the clip opens on the first and ends on the last', async () => {
    const left = await discPicture('left.png', 16);
    const right = await discPicture('right.png', 48);
    await page.getByLabel('Start from an image', { exact: true }).setInputFiles(left.file);
    await page.getByRole('img', { name: 'left.png as the model sees it' }).waitFor();
    await page.getByLabel('End on an image', { exact: true }).setInputFiles(right.file);
    await page.getByRole('img', { name: 'right.png as the model sees it' }).waitFor();
    await page.getByLabel('Prompt', { exact: true }).fill('a red circle moving right');
    expect(await runBy('Generate')).toBe(16);
    const file = await saveResult('in-betweens.mp4');

    const [first, last] = [decodedFrame(file, 0), decodedFrame(file, 15)];
    const report = (f: Uint8Array, p: typeof left) => `${meanDiff(f, p.rgb).toFixed(1)}, object ${distance(objectCentre(f), objectCentre(p.rgb)).toFixed(1)} px off`;
    console.log(`in-betweens: first frame vs the first picture ${report(first, left)}; last vs the last ${report(last, right)}`);
    for (const [frame, picture, other] of [[first, left, right], [last, right, left]] as const) {
      expect(distance(objectCentre(frame), objectCentre(picture.rgb))).toBeLessThan(2);
      expect(meanDiff(frame, picture.rgb)).toBeLessThan(6);
      expect(meanDiff(frame, other.rgb), 'the two pictures differ by more than a frame differs from its own').toBeGreaterThan(2 * meanDiff(frame, picture.rgb));
    }
  }, 600_000);

  it('passes axe with both pictures and a result with Use this frame, at 390 px and 1280×720', async () => {
    for (const [width, height] of [[390, 844], [1280, 720]] as const) {
      await page.setViewportSize({ width, height });
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), `horizontal overflow at ${width} px`).toBeLessThanOrEqual(0);
      expect(await axeViolations(page), `Create with two pictures at ${width}×${height}`).toEqual([]);
    }
  });

  it('Smooth motion: twice the frames at twice the fps, for the same seconds', async () => {
    await page.getByRole('button', { name: 'Remove picture', exact: true }).click();
    expect(await page.getByLabel('End on an image', { exact: true }).count(), 'the end picture goes with the start').toBe(0);
    await page.getByRole('checkbox', { name: 'Smooth motion' }).check();
    expect(await runBy('Generate')).toBe(32);
    const file = await saveResult('smooth.mp4');
    const rate = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=r_frame_rate', '-of', 'csv=p=0', file], { encoding: 'utf8' });
    expect(rate.trim()).toBe('16/1');
    expect(probe(file).find((s) => s.codec_type === 'video')?.nb_read_frames).toBe('32');
    expect(streamSeconds(file, 'v')).toBeCloseTo(2, 2);
    await expect.poll(() => page.locator('.result-panel .facts').textContent()).toContain('32 at 16 fps (2.00 s)');
    // Extend carries the clip on smooth: two more seconds are 32 more frames.
    expect(await runBy('Extend')).toBe(64);
    await page.getByRole('checkbox', { name: 'Smooth motion' }).uncheck();
  }, 600_000);
});
