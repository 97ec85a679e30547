/**
 * Extend and Continue with a new prompt in Create, in Chromium on the built app and the embedded model: a clip made,
 * Extend adds two seconds (the worker carries on from the clip it keeps), Continue with a new prompt two more with the
 * prompt field's text, the result lists where each part begins, the file has every frame (ffprobe); Start from an
 * image shows a wide picture letterboxed and says so, and the clip starts from it; axe passes at 390 px and 1280×720.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, type LaunchedBrowser, launchBrowser, type StaticServer, startStaticServer } from './harness';

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
