/**
 * The Library end to end in Chromium on the built app: every finished clip is kept in IndexedDB and survives a
 * reload; Remix and share links fill the form; Variations fill a grid; delete removes; a full quota, a damaged
 * entry, a second tab and a reload mid-run lose nothing; the MP4 carries provenance tags that ffprobe (Node side)
 * and mediabunny (in the page) read back; axe passes with WebGPU and without. Tiny settings (2 steps, 4 frames, 64 px)
 * keep it quick.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations, type LaunchedBrowser, launchBrowser, noWebGpuNotice, type StaticServer, runSettled, startStaticServer,
} from './harness';

const run = promisify(execFile);

let server: StaticServer;
let browser: LaunchedBrowser;
let page: Page;

const TINY = { Steps: '2', Frames: '4', FPS: '8', 'Output size': '64' };

beforeAll(async () => {
  server = await startStaticServer('dist');
  browser = await launchBrowser();
  page = browser.page;
  await page.goto(server.url);
  await modelReady(page);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function modelReady(p: Page): Promise<void> {
  await p.waitForFunction(() => window.kineto?.getState().model.status === 'ready', null, { timeout: 120_000 });
  // The model's defaults are written into the form right after it is ready.
  await p.waitForFunction(() => window.kineto?.getState().draftModelId !== null, null, { timeout: 10_000 });
}

async function fill(p: Page, fields: Record<string, string>): Promise<void> {
  for (const [label, value] of Object.entries(fields)) await p.getByLabel(label, { exact: true }).fill(value);
}

/** Generates with tiny settings and waits until the run and its Library save have finished. */
async function generate(p: Page, prompt: string, seed: number): Promise<void> {
  await fill(p, { Prompt: prompt, Seed: String(seed), ...TINY });
  await p.getByRole('button', { name: 'Generate', exact: true }).click();
  await p.waitForFunction(() => window.kineto!.getState().run.status === 'running', null, { timeout: 10_000 }).catch(() => {});
  await runSettled(p, 120_000, browser.logs);
  expect(await p.evaluate(() => window.kineto!.getState().run.outcome), browser.logs()).toBe('done');
  await p.waitForFunction(() => ['saved', 'failed'].includes(window.kineto!.getState().library.save?.status ?? ''), null, { timeout: 30_000 });
}

async function openLibrary(p: Page): Promise<void> {
  await p.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Library', exact: true }).click();
  await p.getByRole('heading', { name: 'Library', exact: true }).waitFor();
  await p.waitForFunction(() => window.kineto!.getState().library.status === 'ready');
}

function cards(p: Page) {
  return p.getByRole('list', { name: 'Saved clips' }).getByRole('listitem');
}

function card(p: Page, prompt: string) {
  return cards(p).filter({ has: p.getByText(prompt, { exact: true }) });
}

/** The page at 1280 px and on a 390 px phone: no horizontal overflow, no serious axe violation at either. */
async function passesAxe(p: Page, where: string): Promise<void> {
  expect(await axeViolations(p), `${where} at 1280 px`).toEqual([]);
  await p.setViewportSize({ width: 390, height: 844 });
  expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(await axeViolations(p), `${where} at 390 px`).toEqual([]);
  await p.setViewportSize({ width: 1280, height: 720 });
}

describe('Library', () => {
  it('keeps a finished clip, shows it with an AI-generated badge, and passes axe at 1280 and 390 px', async () => {
    await generate(page, 'a red circle moving left', 11);
    await expect.poll(() => page.getByText('Saved in your').count()).toBe(1);
    await expect(page.locator('.result-panel').getByText('AI-generated', { exact: true }).count()).resolves.toBe(1);
    await openLibrary(page);
    await expect.poll(() => cards(page).count()).toBe(1);
    const c = card(page, 'a red circle moving left');
    await expect(c.getByText('AI-generated', { exact: true }).count()).resolves.toBe(1);
    // The poster is the worker's JPEG of the middle frame, at the clip's own size (64 px, under the 192 px cap).
    await expect.poll(() => c.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(64);
    await expect(page.getByTestId('library-storage').textContent()).resolves.toMatch(/Storage: .* used of .* this browser allows/);
    // The warning must follow what the browser says about persistence.
    const persisted = await page.evaluate(() => navigator.storage.persisted());
    await expect(page.getByTestId('library-not-persistent').count()).resolves.toBe(persisted ? 0 : 1);
    await passesAxe(page, 'Library');
  });

  it('survives a reload', async () => {
    await page.reload();
    await page.getByRole('heading', { name: 'Library', exact: true }).waitFor();
    await expect.poll(() => cards(page).count()).toBe(1);
  });

  it('lists, plays and deletes a clip the previous version stored (a version-1 entry: its facts flat beside its id)', async () => {
    await page.evaluate(() => new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('kineto-library');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const read = db.transaction(['clips', 'videos']);
        const clip = read.objectStore('clips').get(window.kineto!.getState().library.items[0]!.id);
        const video = read.objectStore('videos').get(window.kineto!.getState().library.items[0]!.id);
        read.oncomplete = () => {
          const { version: _, facts, ...entry } = clip.result as { version: number; facts: { params: object; unknownWords: unknown } };
          const { unknownWords: __, ...flat } = facts;
          const tx = db.transaction(['clips', 'videos'], 'readwrite');
          tx.objectStore('clips').put({ ...entry, ...flat, id: 'v1-clip', params: { ...facts.params, prompt: 'a clip kept by version 1' } });
          tx.objectStore('videos').put({ ...video.result, id: 'v1-clip' });
          tx.oncomplete = () => (db.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      };
    }));
    await page.reload();
    await page.getByRole('heading', { name: 'Library', exact: true }).waitFor();
    const old = card(page, 'a clip kept by version 1');
    await expect.poll(() => old.count()).toBe(1);
    await expect(page.getByTestId('library-damaged').count()).resolves.toBe(0);
    await old.getByRole('button', { name: /^Play/ }).first().click();
    await expect.poll(() => page.getByLabel('Library video').evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Close player' }).click();
    await old.getByRole('button', { name: /^Delete/ }).click();
    await expect.poll(() => cards(page).count()).toBe(1);
  });

  it('plays and downloads a kept MP4 whose tags ffprobe and mediabunny read back', async () => {
    const c = card(page, 'a red circle moving left');
    await c.getByRole('button', { name: /^Play/ }).first().click();
    await expect.poll(() => page.getByLabel('Library video').evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThan(0);
    const [download] = await Promise.all([page.waitForEvent('download'), c.getByRole('button', { name: /^Download/ }).click()]);
    const path = (await download.path())!;
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format_tags', '-of', 'json', path]);
    const tags = (JSON.parse(stdout) as { format: { tags: Record<string, string> } }).format.tags;
    expect(tags.title).toBe('a red circle moving left');
    const record = JSON.parse(tags.comment ?? tags.description ?? '{}') as Record<string, unknown>;
    expect(record).toMatchObject({ generator: 'Kineto', seed: 11, steps: 2, backend: expect.any(String), model: { id: 'kineto-shapes' } });
    expect(record.digitalSourceType).toMatch(/trainedAlgorithmicMedia$/);
    expect((record.model as { sha256: string }).sha256).toMatch(/^[0-9a-f]{64}$/);
    // The same tags read in the page by mediabunny.
    await page.getByRole('button', { name: 'Read file metadata' }).click();
    const shown = page.getByTestId('file-tags');
    await expect.poll(() => shown.textContent()).toContain('Kineto');
    expect(await shown.textContent()).toContain('a red circle moving left');
    expect(await shown.textContent()).toContain('seed 11 · 2 steps');
    expect(await shown.textContent()).toContain('trainedAlgorithmicMedia');
    await page.getByRole('button', { name: 'Close player' }).click();
  });

  it('Remix loads the clip\'s settings into the form', async () => {
    await page.getByRole('link', { name: 'Create', exact: true }).click();
    await fill(page, { Prompt: 'something else', Seed: '999', Steps: '7' });
    await openLibrary(page);
    await card(page, 'a red circle moving left').getByRole('button', { name: /^Remix/ }).click();
    // Right after a reload the model may still be loading: its defaults must not overwrite the remixed settings.
    await modelReady(page);
    await expect.poll(() => page.getByLabel('Seed', { exact: true }).inputValue()).toBe('11');
    expect(await page.getByLabel('Prompt', { exact: true }).inputValue()).toBe('a red circle moving left');
    expect(await page.getByLabel('Steps', { exact: true }).inputValue()).toBe('2');
    expect(await page.getByLabel('Frames', { exact: true }).inputValue()).toBe('4');
  });

  it('a share link carries the settings (not the clip) and fills the form; a second tab shares the Library', async () => {
    await openLibrary(page);
    const before = await cards(page).count();
    const href = await card(page, 'a red circle moving left').getByRole('link', { name: /^Share link/ }).getAttribute('href');
    expect(href).toContain('prompt=a+red+circle+moving+left');
    expect(href).not.toMatch(/blob:|data:/);
    const other = await browser.context.newPage();
    await other.goto(href!);
    await modelReady(other);
    await expect.poll(() => other.getByLabel('Seed', { exact: true }).inputValue()).toBe('11');
    expect(await other.getByLabel('Prompt', { exact: true }).inputValue()).toBe('a red circle moving left');
    expect(await other.getByLabel('Steps', { exact: true }).inputValue()).toBe('2');
    expect(new URL(other.url()).search).toBe('');

    // The other tab, on its Library, sees a clip saved here at once.
    await openLibrary(other);
    await page.getByRole('link', { name: 'Create', exact: true }).click();
    await generate(page, 'a blue square moving right', 21);
    await expect.poll(() => cards(other).count()).toBe(before + 1);
    // Both tabs generate and save at once: no write is lost.
    await other.getByRole('link', { name: 'Create', exact: true }).click();
    await Promise.all([generate(page, 'a green triangle moving up', 31), generate(other, 'a yellow circle moving down', 41)]);
    await openLibrary(other);
    await expect.poll(() => cards(other).count()).toBe(before + 3);
    await other.close();
    await openLibrary(page);
    await expect.poll(() => cards(page).count()).toBe(before + 3);
  });

  it('Variations runs one prompt with N seeds and fills a grid as they finish', async () => {
    await page.getByRole('link', { name: 'Create', exact: true }).click();
    await fill(page, { Prompt: 'a red square moving right', Seed: '100', ...TINY });
    await page.getByLabel('Seeds', { exact: true }).fill('2');
    await page.getByRole('button', { name: 'Run variations' }).click();
    const grid = page.getByRole('list', { name: 'Variations of the prompt' });
    await page.waitForFunction(() => window.kineto!.getState().library.variations?.status === 'done', null, { timeout: 180_000 });
    await expect(grid.locator('video').count()).resolves.toBe(2);
    for (const seed of [100, 101]) await expect(grid.getByLabel(`Variation, seed ${seed}`).count()).resolves.toBe(1);
    await openLibrary(page);
    await expect.poll(() => card(page, 'a red square moving right').count()).toBe(2);
  });

  it('a full quota: the clip stays on screen and downloadable, with a message; nothing else is dropped', async () => {
    await openLibrary(page);
    const before = await cards(page).count();
    await page.getByRole('link', { name: 'Create', exact: true }).click();
    const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
    await page.evaluate((q) => window.kineto!.getState().setStorageSettings!({ quotaBytes: q }), usage + 1000);
    try {
      await generate(page, 'a green square moving left', 51);
      const message = page.getByTestId('library-save-error');
      await expect.poll(() => message.textContent()).toContain("storage for Kineto is full");
      expect(await message.textContent()).toContain('still here to watch and download');
      await expect.poll(() => page.getByLabel('Generated video').evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThan(0);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download MP4' }).click()]);
      expect((await readFile((await download.path())!)).byteLength).toBeGreaterThan(0);
    } finally {
      await page.evaluate(() => window.kineto!.getState().setStorageSettings!({ quotaBytes: null }));
    }
    await openLibrary(page);
    await expect.poll(() => cards(page).count()).toBe(before);
  });

  it('a reload in the middle of a run leaves the Library intact; a damaged entry is skipped and named', async () => {
    const before = await cards(page).count();
    await page.getByRole('link', { name: 'Create', exact: true }).click();
    await fill(page, { Prompt: 'a blue circle moving left', Steps: '30', Frames: '16', 'Output size': '64' });
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await page.waitForFunction(() => window.kineto!.getState().run.step >= 1, null, { timeout: 60_000 });
    await page.reload();
    await openLibrary(page);
    await expect.poll(() => cards(page).count()).toBe(before);

    await page.evaluate(() => new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('kineto-library');
      open.onsuccess = () => {
        const tx = open.result.transaction('clips', 'readwrite');
        tx.objectStore('clips').put({ id: 'broken-1', createdAt: Date.now(), params: { prompt: 'a broken clip' }, poster: 'x' });
        tx.oncomplete = () => (open.result.close(), resolve());
        tx.onerror = () => reject(tx.error);
      };
      open.onerror = () => reject(open.error);
    }));
    await page.reload();
    await page.getByRole('heading', { name: 'Library', exact: true }).waitFor();
    const alert = page.getByTestId('library-damaged');
    await expect.poll(() => alert.textContent()).toContain('“a broken clip”');
    expect(await alert.textContent()).toContain('One damaged entry was skipped');
    await expect.poll(() => cards(page).count()).toBe(before);
  });

  it('lists a large Library a page at a time, the rest as the grid scrolls or "Show older clips" is pressed', async () => {
    await page.evaluate(() => new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('kineto-library');
      open.onsuccess = () => {
        const db = open.result;
        const read = db.transaction('clips').objectStore('clips').index('createdAt').openCursor(null, 'prev');
        read.onsuccess = () => {
          // The newest good entry (the test before left a damaged one on top).
          const newest = read.result!.value as { createdAt: number; facts?: { params: { prompt: string; seed?: number } } };
          if (typeof newest.facts?.params.seed !== 'number') return read.result!.continue();
          const { facts } = newest;
          const tx = db.transaction('clips', 'readwrite');
          for (let i = 1; i <= 30; i++) {
            tx.objectStore('clips').put({ ...newest, id: `copy-${i}`, createdAt: newest.createdAt - i, facts: { ...facts, params: { ...facts.params, prompt: `copy ${i}` } } });
          }
          tx.oncomplete = () => (db.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      };
      open.onerror = () => reject(open.error);
    }));
    await page.reload();
    await page.getByRole('heading', { name: 'Library', exact: true }).waitFor();
    // The first listing reads one page of 24 entries only (the damaged one left by the test before is among them).
    const firstPage = await page.waitForFunction(() => {
      const s = window.kineto!.getState().library;
      return s.status === 'ready' && s.items.length + s.damaged.length;
    });
    expect(await firstPage.jsonValue()).toBe(24);
    const total = await page.evaluate(() => window.kineto!.getState().library.total);
    expect(total).toBeGreaterThan(30);
    await expect(page.getByText(`${total} clips`, { exact: true }).count()).resolves.toBe(1);
    const more = page.getByRole('button', { name: /^Show older clips/ });
    await more.scrollIntoViewIfNeeded();
    await expect.poll(() => cards(page).count()).toBe(Math.min(total, 48));
    await expect.poll(async () => {
      if ((await more.count()) > 0) await more.click({ timeout: 2000 }).catch(() => {});
      return cards(page).count();
    }).toBe(total);
    expect(await card(page, 'copy 30').count()).toBe(1);
    for (let i = 1; i <= 30; i++) await card(page, `copy ${i}`).getByRole('button', { name: /^Delete/ }).click();
    await expect.poll(() => cards(page).count()).toBe(total - 30);
  });

  it('Delete removes one clip; Delete all removes the rest', async () => {
    const before = await cards(page).count();
    await card(page, 'a blue square moving right').getByRole('button', { name: /^Delete/ }).click();
    await expect.poll(() => cards(page).count()).toBe(before - 1);
    expect(await card(page, 'a blue square moving right').count()).toBe(0);
    await page.reload();
    await expect.poll(() => cards(page).count()).toBe(before - 1);
    await page.getByRole('button', { name: 'Delete all', exact: true }).click();
    await page.getByRole('button', { name: /^Delete all \d+ clips$/ }).click();
    await expect.poll(() => cards(page).count()).toBe(0);
    await expect(page.getByText('No clips yet.').count()).resolves.toBe(1);
  });
});

describe('Library without WebGPU', () => {
  it('keeps a clip and passes axe at 1280 and 390 px with the notice that says so', async () => {
    const plain = await launchBrowser({ webgpu: false });
    try {
      const p = plain.page;
      await p.goto(server.url);
      await modelReady(p);
      await generate(p, 'a blue square moving up', 12);
      await openLibrary(p);
      await expect.poll(() => cards(p).count()).toBe(1);
      await noWebGpuNotice(p);
      await passesAxe(p, 'Library without WebGPU');
    } finally {
      await plain.close();
    }
  });
});
