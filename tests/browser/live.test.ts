/**
 * Live end to end in Chromium on the built app (WASM), keyboard only: Start, the picture moves, a new prompt reaches
 * the part on screen within about two seconds, Pause holds the picture and Resume moves on, Record for about two
 * seconds keeps a clip in the Library whose file has exactly the frames recorded (ffprobe), and leaving Live stops
 * making windows and lets its frames go; axe at 390 px and 1280×720 with WebGPU and without.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, type LaunchedBrowser, launchBrowser, noWebGpuNotice, openBuiltApp, type StaticServer, tabTo } from './harness';

let server: StaticServer;
let browser: LaunchedBrowser;
let page: Page;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kineto-live-'));
  ({ server, browser, page } = await openBuiltApp('#/live'));
  await page.setViewportSize({ width: 1280, height: 720 });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const PROMPT = 'a large red circle bouncing on a black background';
const NEW_PROMPT = 'a large red circle standing still on a black background';

const canvas = (p: Page) => p.getByRole('img', { name: /Live video/ });
/** The canvas's pixels, summed into a fingerprint. */
const pixels = (p: Page) => canvas(p).evaluate((c: HTMLCanvasElement) => {
  const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
  let h = 0;
  for (let i = 0; i < d.length; i++) h = (h * 31 + d[i]!) >>> 0;
  return h;
});
const shownFrame = (p: Page) => p.evaluate(() => window.kineto!.getState().live.picture?.frame ?? -1);
const windowsMade = (p: Page) => p.evaluate(() => window.kineto!.getState().live.totals.base.windows);

async function fitsAndPassesAxe(p: Page, where: string): Promise<void> {
  for (const [width, height] of [[390, 844], [1280, 720]] as const) {
    await p.setViewportSize({ width, height });
    expect(await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), `horizontal overflow at ${width} px`).toBeLessThanOrEqual(0);
    expect(await axeViolations(p), `${where} at ${width}×${height}`).toEqual([]);
  }
}

/** Starts Live on `p` with `prompt` and waits for its first frame. */
async function startWithKeys(p: Page, prompt: string): Promise<void> {
  await p.getByRole('link', { name: 'Live', exact: true }).focus();
  await tabTo(p, p.getByRole('textbox', { name: 'Prompt' }));
  await p.keyboard.type(prompt);
  await tabTo(p, p.getByRole('button', { name: 'Start' }));
  await p.keyboard.press('Enter');
  await p.waitForFunction(() => (window.kineto!.getState().live.picture?.frame ?? -1) >= 0, null, { timeout: 60_000 });
}

describe('Live in Chromium', () => {
  it('opens from the header; Start plays video that moves, with the speed, the buffer and the prompt on screen (keyboard only)', async () => {
    await expect(page.getByRole('link', { name: 'Live', exact: true }).getAttribute('aria-current')).resolves.toBe('page');
    await startWithKeys(page, PROMPT);
    const first = await pixels(page);
    await page.waitForTimeout(1000);
    expect(await pixels(page)).not.toBe(first);
    await expect(canvas(page).getAttribute('aria-label')).resolves.toBe(`Live video: “${PROMPT}”`);
    await expect.poll(() => page.getByTestId('live-speed').textContent()).toMatch(/^\d+\.\d× faster than playback · buffer \d+\.\d s$/);
    await expect(page.getByTestId('live-on-screen').textContent()).resolves.toBe(`On screen: made with “${PROMPT}”`);
  });

  it('a new prompt (Enter) reaches the part on screen within about two seconds', async () => {
    await tabTo(page, page.getByRole('textbox', { name: 'Prompt' }), true);
    await page.keyboard.press('Control+A');
    await page.keyboard.type(NEW_PROMPT);
    const t0 = Date.now();
    await page.keyboard.press('Enter');
    await page.waitForFunction((p) => window.kineto!.getState().live.picture?.prompt === p, NEW_PROMPT, { timeout: 10_000 });
    expect(Date.now() - t0).toBeLessThanOrEqual(2000);
    await expect(page.getByTestId('live-on-screen').textContent()).resolves.toBe(`On screen: made with “${NEW_PROMPT}”`);
  });

  it('Pause holds the picture; Resume moves on', async () => {
    await tabTo(page, page.getByRole('button', { name: 'Pause' }));
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    const held = await pixels(page);
    const frame = await shownFrame(page);
    await page.waitForTimeout(1000);
    expect(await pixels(page)).toBe(held);
    expect(await shownFrame(page)).toBe(frame);
    // The same button, now Resume, keeps the focus.
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Pause' }).waitFor();
    await expect.poll(() => shownFrame(page), { timeout: 5_000 }).toBeGreaterThan(frame + 4);
  });

  it('Record for about two seconds keeps a clip in the Library with exactly the frames recorded', async () => {
    // The count the slice held just before the second press: the last non-null one the store had.
    await page.evaluate(() => {
      const w = window as unknown as { recorded: number | null };
      w.recorded = null;
      window.kineto!.subscribe((s) => void (s.live.recording && (w.recorded = s.live.recording.frames)));
    });
    await tabTo(page, page.getByRole('button', { name: 'Record' }));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: 'Record' }).getAttribute('aria-pressed')).resolves.toBe('true');
    await page.waitForTimeout(2000);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.kineto!.getState().library.save?.status === 'saved', null, { timeout: 30_000 });
    const recorded = await page.evaluate(() => (window as unknown as { recorded: number }).recorded);
    expect(recorded).toBeGreaterThanOrEqual(12);
    await fitsAndPassesAxe(page, 'Live playing, a recording saved');
    await page.setViewportSize({ width: 1280, height: 720 });

    await tabTo(page, page.getByRole('link', { name: 'Library', exact: true }).first(), true);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.kineto!.getState().library.status === 'ready');
    const card = page.getByRole('list', { name: /Saved clips/ }).getByRole('listitem').filter({ hasText: 'recorded in Live (1 prompt)' });
    await expect.poll(() => card.count()).toBe(1);
    await expect(card.locator('.library-prompt').textContent()).resolves.toBe(NEW_PROMPT);
    const [d] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: /^Download/ }).click()]);
    const file = path.join(dir, d.suggestedFilename());
    await d.saveAs(file);
    const streams = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_type,nb_read_frames', '-of', 'json', file], { encoding: 'utf8' })) as { streams: { codec_type: string; nb_read_frames?: string }[] };
    expect(Number(streams.streams.find((s) => s.codec_type === 'video')?.nb_read_frames)).toBe(recorded);
    expect(streams.streams.some((s) => s.codec_type === 'audio')).toBe(true);
  });

  it('leaving Live stops making windows and lets its frames go', async () => {
    // The Library link was followed: Live is left.
    await page.waitForFunction(() => window.kineto!.getState().live.status === 'idle');
    expect(await page.evaluate(() => { const l = window.kineto!.getState().live; return { picture: l.picture, held: l.heldFrames }; })).toEqual({ picture: null, held: 0 });
    const windows = await windowsMade(page);
    await page.waitForTimeout(1500);
    expect(await windowsMade(page)).toBe(windows);
  });

  it('passes axe without WebGPU, at both sizes, while playing', async () => {
    const plain = await launchBrowser({ webgpu: false });
    try {
      await plain.page.goto(`${server.url}#/live`);
      await noWebGpuNotice(plain.page);
      await plain.page.waitForFunction(() => window.kineto?.getState().model.status === 'ready', null, { timeout: 120_000 });
      await startWithKeys(plain.page, PROMPT);
      await fitsAndPassesAxe(plain.page, 'Live without WebGPU');
    } finally {
      await plain.close();
    }
  });
});
