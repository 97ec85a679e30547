/**
 * The Storyboard end to end in Chromium on the built app: a three-shot board written with the keyboard only,
 * reordered by keyboard, buttons and dragging (the live region says each move), its Share link opened in another page
 * (the same board), its JSON file downloaded and opened again, a bad file named by its field, a picture to start from,
 * Generate film's problems beside their fields, the board kept over a reload, and axe at 390 px and 1280×720 with
 * WebGPU and without.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Board } from '../../src/films/board';
import { axeViolations, type LaunchedBrowser, launchBrowser, noWebGpuNotice, openBuiltApp, type StaticServer, tabTo } from './harness';

let server: StaticServer;
let browser: LaunchedBrowser;
let page: Page;

beforeAll(async () => {
  ({ server, browser, page } = await openBuiltApp('#/storyboard'));
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const boardOf = (p: Page) => p.evaluate(() => window.kineto!.getState().storyboard.board) as Promise<Board>;
const shot = (p: Page, n: number) => p.getByRole('group', { name: `Shot ${n}`, exact: true });
const announced = (p: Page) => p.locator('.storyboard > [role="status"]').textContent();

/** Picks `label` in the focused select with the arrow keys. */
async function chooseByKeys(p: Page, select: Locator, label: string): Promise<void> {
  for (let i = 0; i < 6 && (await select.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent)) !== label; i++) await p.keyboard.press('ArrowDown');
  expect(await select.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent)).toBe(label);
}

/** A 390 px phone and a 1280×720 projector: no horizontal overflow and no serious axe violation at either. */
async function fitsAndPassesAxe(p: Page, where: string): Promise<void> {
  for (const [width, height] of [[390, 844], [1280, 720]] as const) {
    await p.setViewportSize({ width, height });
    expect(await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), `horizontal overflow at ${width} px`).toBeLessThanOrEqual(0);
    expect(await axeViolations(p), `${where} at ${width}×${height}`).toEqual([]);
  }
}

/** A small PNG to start a shot from. */
function picture(): Buffer {
  const png = new PNG({ width: 40, height: 30 });
  for (let i = 0; i < png.data.length; i += 4) png.data.set([200, 80, (i / 4) % 255, 255], i);
  return PNG.sync.write(png);
}

describe('Storyboard in Chromium', () => {
  it('opens from the header and from #/storyboard, with the film\'s length at the model\'s fps', async () => {
    await expect(page.getByRole('link', { name: 'Storyboard' }).getAttribute('aria-current')).resolves.toBe('page');
    await page.getByRole('heading', { name: 'Storyboard' }).waitFor();
    await expect(page.getByTestId('film-length').textContent()).resolves.toBe('1 shot · 0:02.0 · 16 frames at 8 fps');
  });

  it('writes a three-shot board with the keyboard only', async () => {
    await page.getByRole('link', { name: 'Storyboard' }).focus();
    await tabTo(page, page.getByLabel('Title', { exact: true }));
    await page.keyboard.press('Control+A');
    await page.keyboard.type('The lighthouse');
    await tabTo(page, page.getByLabel('Board seed'));
    await page.keyboard.press('Control+A');
    await page.keyboard.type('7');

    await tabTo(page, shot(page, 1).getByLabel('Prompt'));
    await page.keyboard.type('a lighthouse at dusk, waves breaking');
    await tabTo(page, shot(page, 1).getByLabel('Seconds'));
    await page.keyboard.press('Control+A');
    await page.keyboard.type('45');
    await expect(shot(page, 1).getByText('Seconds must be a number from 1 to 30; the board keeps 4.').count()).resolves.toBe(1);
    await page.keyboard.press('Backspace');
    await tabTo(page, page.getByRole('button', { name: 'Add shot' }));
    await page.keyboard.press('Enter');
    // Focus lands in the new shot's prompt.
    await expect(shot(page, 2).getByLabel('Prompt').evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    expect(await announced(page)).toBe('Shot 2 added.');
    await page.keyboard.type('the beam sweeps over the sea');
    await tabTo(page, shot(page, 2).getByLabel('Caption'));
    await page.keyboard.type('Keeper: "Another night."');

    await tabTo(page, page.getByRole('button', { name: 'Add shot' }));
    await page.keyboard.press('Enter');
    await page.keyboard.type('a ship in the fog');
    await tabTo(page, shot(page, 3).getByLabel('Start'));
    await chooseByKeys(page, shot(page, 3).getByLabel('Start'), 'Cut');
    await tabTo(page, shot(page, 3).getByLabel('Transition'));
    await chooseByKeys(page, shot(page, 3).getByLabel('Transition'), 'Crossfade');
    await tabTo(page, shot(page, 3).getByLabel('Crossfade frames'));
    await page.keyboard.press('Control+A');
    await page.keyboard.type('6');

    expect(await boardOf(page)).toEqual({
      version: 1, title: 'The lighthouse', seed: 7, burnCaptions: false,
      shots: [
        { prompt: 'a lighthouse at dusk, waves breaking', seconds: 4, start: 'cut', transition: 'cut' },
        { prompt: 'the beam sweeps over the sea', seconds: 2, start: 'continue', transition: 'cut', caption: 'Keeper: "Another night."' },
        { prompt: 'a ship in the fog', seconds: 2, start: 'cut', transition: { crossfade: 6 } },
      ],
    });
    await expect(page.getByTestId('film-length').textContent()).resolves.toBe('3 shots · 0:08.0 · 64 frames at 8 fps');
  });

  it('reorders by keyboard, by buttons and by dragging, saying each move', async () => {
    const prompts = async () => (await boardOf(page)).shots.map((s) => s.prompt.split(' ')[1]);
    await shot(page, 3).getByLabel('Prompt').focus();
    await page.keyboard.press('Alt+ArrowUp');
    expect(await prompts()).toEqual(['lighthouse', 'ship', 'beam']);
    expect(await announced(page)).toBe('Shot 3 (“a ship in the fog”) is now shot 2 of 3.');
    // The moved shot keeps the focus, in its new place.
    await expect(shot(page, 2).getByLabel('Prompt').evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await tabTo(page, shot(page, 2).getByRole('button', { name: 'Move down' }));
    await page.keyboard.press('Enter');
    expect(await prompts()).toEqual(['lighthouse', 'beam', 'ship']);
    await expect(shot(page, 3).getByRole('button', { name: 'Move up' }).evaluate((el) => el === document.activeElement)).resolves.toBe(true);

    // Tall enough that both ends of the drag are on screen (a person's drag scrolls the page; a test's does not).
    await page.setViewportSize({ width: 1280, height: 2000 });
    await shot(page, 3).locator('.shot-grip').dragTo(page.locator('.shots > li').first());
    expect(await prompts()).toEqual(['ship', 'lighthouse', 'beam']);
    expect(await announced(page)).toBe('Shot 3 (“a ship in the fog”) is now shot 1 of 3.');
    // First now, the ship cuts in: a crossfade needs a shot before it.
    expect((await boardOf(page)).shots[0]).toMatchObject({ start: 'cut', transition: 'cut' });
    await shot(page, 1).locator('.shot-grip').dragTo(page.locator('.shots > li').last());
    expect(await prompts()).toEqual(['lighthouse', 'beam', 'ship']);
  });

  it('carries the whole board in its Share link: another page opens the same board', async () => {
    await page.getByRole('button', { name: 'Share link' }).click();
    const link = await page.getByLabel('Link to this board').inputValue();
    expect(link).toMatch(/#\/storyboard\?board=[jz][\w-]+$/);
    const other = await browser.context.newPage();
    try {
      // The context's storage is shared: the other page must get the board from the link, not from storage.
      await other.addInitScript(() => localStorage.clear());
      await other.goto(link);
      await other.getByText('Opened “The lighthouse” from a link.').waitFor();
      expect(await boardOf(other)).toEqual(await boardOf(page));
      expect(new URL(other.url()).hash).toBe('#/storyboard');
    } finally {
      await other.close();
    }
  });

  it('downloads the board as JSON and opens it again; a bad file is named by its field', async () => {
    const before = await boardOf(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download board' }).click()]);
    expect(download.suggestedFilename()).toBe('the-lighthouse.storyboard.json');
    const dir = await mkdtemp(path.join(tmpdir(), 'kineto-board-'));
    const file = path.join(dir, download.suggestedFilename());
    await download.saveAs(file);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(before);

    await page.getByLabel('Title', { exact: true }).fill('Something else');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Open board…' }).click()]);
    await chooser.setFiles(file);
    await page.getByText('Opened “The lighthouse” from the-lighthouse.storyboard.json.').waitFor();
    expect(await boardOf(page)).toEqual(before);
    await rm(dir, { recursive: true, force: true });
    await page.getByRole('button', { name: 'Bring back “Something else”' }).click();
    expect((await boardOf(page)).title).toBe('Something else');
    await page.getByRole('button', { name: 'Bring back “The lighthouse”' }).click();
    expect(await boardOf(page)).toEqual(before);
    await page.getByRole('button', { name: 'Dismiss' }).click();

    const bad = { ...before, shots: [...before.shots.slice(0, 2), { ...before.shots[2], seconds: 45 }] };
    await page.getByLabel('Board file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
    const alert = page.getByRole('alert').filter({ hasText: 'Could not open bad.json' });
    await expect(alert.textContent()).resolves.toContain('shots[2].seconds: must be a number from 1 to 30');
    expect((await boardOf(page)).shots[2]?.seconds).toBe(2);
    await alert.getByRole('button', { name: 'Dismiss' }).click();
  });

  it('starts a shot from a picture, which its Share link names but does not carry', async () => {
    await shot(page, 3).getByLabel('Start').selectOption('image');
    await shot(page, 3).getByLabel('Picture for shot 3').setInputFiles({ name: 'ship.png', mimeType: 'image/png', buffer: picture() });
    await shot(page, 3).getByRole('img', { name: 'Start picture of shot 3' }).waitFor();
    const start = (await boardOf(page)).shots[2]?.start as { image: string; name: string };
    expect(start.name).toBe('ship.png');
    expect(start.image).toMatch(/^data:image\/jpeg;base64,/);
    await page.getByRole('button', { name: 'Share link' }).click();
    await page.getByText('The picture a shot starts from is too large for a link').waitFor();
  });

  it('names what keeps the film from being made beside its field', async () => {
    await shot(page, 2).getByLabel('Prompt').fill('');
    await page.getByRole('button', { name: 'Generate film' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Before the film can be made' }).textContent()).resolves.toContain('Shot 2, Prompt: type what the shot shows');
    await expect(shot(page, 2).getByLabel('Prompt').getAttribute('aria-invalid')).resolves.toBe('true');
    await fitsAndPassesAxe(page, 'Storyboard with problems and a picture');
    await shot(page, 2).getByLabel('Prompt').fill('the beam sweeps over the sea');
  });

  it('keeps the board over a reload', async () => {
    const before = await boardOf(page);
    await page.waitForTimeout(600); // the save follows the last edit by 400 ms
    await page.reload();
    await page.getByRole('heading', { name: 'Storyboard' }).waitFor();
    expect(await boardOf(page)).toEqual(before);
    await fitsAndPassesAxe(page, 'Storyboard with WebGPU');
  });

  it('passes axe without WebGPU, at both sizes', async () => {
    const plain = await launchBrowser({ webgpu: false });
    try {
      await plain.page.goto(`${server.url}#/storyboard`);
      await noWebGpuNotice(plain.page);
      await shot(plain.page, 1).getByLabel('Prompt').fill('a red ball');
      await plain.page.getByRole('button', { name: 'Add shot' }).click();
      await shot(plain.page, 2).getByLabel('Start').selectOption('cut');
      await shot(plain.page, 2).getByLabel('Transition').selectOption('crossfade');
      await plain.page.getByRole('button', { name: 'Share link' }).click();
      await plain.page.getByLabel('Link to this board').waitFor();
      await fitsAndPassesAxe(plain.page, 'Storyboard without WebGPU');
    } finally {
      await plain.close();
    }
  });
});
