/**
 * Offline and installable, in Chromium on the built app behind a plain static server that sends no COOP/COEP
 * headers: the service worker makes the page cross-origin isolated after one reload, a new version waits for the
 * person (and never takes over under a running generation), and with the server gone the app reloads, generates
 * and downloads from its precache.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_HEADER_NAMES, inlineScriptRefusedBy, type LaunchedBrowser, launchBrowser, parseVideo, runSettled, type StaticServer, startStaticServer } from './harness';

/** A plain static host: none of the app's headers (the service worker adds them after the first load). */
const PLAIN = Object.fromEntries(APP_HEADER_NAMES.map((name) => [name, '']));
const TINY = { Steps: '2', Frames: '4', FPS: '8', 'Output size': '64' };

let server: StaticServer;
let browser: LaunchedBrowser;
let page: Page;
/** When set, the server answers /sw.js with a changed script: a new version of the app has been deployed. */
let nextVersion = false;

beforeAll(async () => {
  const sw = await readFile('dist/sw.js', 'utf8');
  server = await startStaticServer('dist', {
    headers: PLAIN,
    handle: (req, res) => {
      if (!nextVersion || !req.url?.startsWith('/sw.js')) return false;
      res.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-store' }).end(`${sw}\n// next version\n`);
      return true;
    },
  });
  browser = await launchBrowser();
  page = browser.page;
});
afterAll(async () => {
  await browser?.close();
  await server?.close().catch(() => {});
});

async function modelReady(): Promise<void> {
  await page.waitForFunction(() => window.kineto?.getState().model.status === 'ready', null, { timeout: 180_000 }).catch(async (e: unknown) => {
    const model = await page.evaluate(() => JSON.stringify(window.kineto?.getState().model)).catch(() => '?');
    throw new Error(`model not ready: ${model}\n${browser.logs()}`, { cause: e });
  });
  await page.waitForFunction(() => window.kineto?.getState().draftModelId !== null);
}

async function generate(prompt: string, seed: number, fields: Record<string, string> = TINY): Promise<void> {
  for (const [label, value] of Object.entries({ Prompt: prompt, Seed: String(seed), ...fields })) {
    await page.getByLabel(label, { exact: true }).fill(value);
  }
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.waitForFunction(() => window.kineto!.getState().run.status === 'running', null, { timeout: 10_000 }).catch(() => {});
}

async function finished(): Promise<void> {
  await runSettled(page, 180_000, browser.logs);
  expect(await page.evaluate(() => window.kineto!.getState().run.outcome), browser.logs()).toBe('done');
}

describe('offline and installable', () => {
  it('is cross-origin isolated on a plain static server from the first reload, by its service worker', async () => {
    await page.goto(server.url);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    await expect.poll(() => page.getByTestId('isolation-case').getAttribute('data-case')).toBe('reload');
    // Installed means precached: everything the app needs offline is stored.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.reload();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    // The service worker adds the page's CSP too (the plain server sends none).
    expect(await inlineScriptRefusedBy(browser)).toBe('script-src-elem');
    await expect.poll(() => page.getByTestId('isolation-case').getAttribute('data-case')).toBe('service-worker');
    await modelReady();
    expect(await page.evaluate(() => window.kineto!.getState().capabilities?.wasmThreads)).toBeGreaterThan(1);
    // Only the onnxruntime-web build this browser loads (JSPI in Chromium) is stored: 16.8 MB, not 43.5 MB.
    const stored = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) urls.push(r.url);
      return urls.filter((u) => /\.wasm(\?|$)/.test(u));
    });
    expect(stored.length).toBe(1);
    expect(stored[0]).toMatch(/ort-wasm-simd-threaded\.jspi/);
  });

  it('is installable: a manifest with PNG icons of the sizes it names', async () => {
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const manifest = await page.evaluate(async (h) => (await fetch(h!)).json(), href) as {
      name: string; start_url: string; display: string; icons: { src: string; sizes: string; type: string; purpose?: string }[];
    };
    expect(manifest.display).toBe('standalone');
    expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true);
    for (const icon of manifest.icons) {
      const size = await page.evaluate(async (src) => {
        const bitmap = await createImageBitmap(await (await fetch(src)).blob());
        return `${bitmap.width}x${bitmap.height}`;
      }, icon.src);
      expect(size).toBe(icon.sizes);
    }
  });

  it('a new version waits with "A new version is ready — Reload", never under a running generation', async () => {
    nextVersion = true;
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
    const banner = page.getByRole('status').filter({ hasText: 'A new version is ready' });
    await banner.waitFor({ timeout: 60_000 });
    const reload = banner.getByRole('button', { name: 'Reload' });
    await generate('a red circle moving left', 5, { ...TINY, Steps: '12', Frames: '16' });
    expect(await page.evaluate(() => window.kineto!.getState().run.status)).not.toBe('idle');
    expect(await reload.isDisabled()).toBe(true);
    await finished();
    await expect.poll(() => reload.isDisabled()).toBe(false);
    await Promise.all([page.waitForEvent('load'), reload.click()]);
    // The page now runs under the new service worker, still isolated; the clip made before is in the Library.
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null)).toBeNull();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'A new version is ready' }).count()).toBe(0);
  });

  it('with the network gone, a reload opens the app, which generates and downloads an MP4 with sound', async () => {
    await modelReady();
    await browser.context.setOffline(true);
    await server.close();
    await page.reload();
    await modelReady();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await generate('a blue square moving right', 7);
    await finished();
    // With sound: the MP4's AAC encoder (a lazily loaded chunk, in the WASM build here) came from the precache too.
    const facts = await page.evaluate(() => window.kineto!.getState().result!.facts);
    expect(facts.sound, String(facts.soundSkipped)).toMatchObject({ codec: 'mp4a.40.2' });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download MP4' }).click()]);
    const video = await parseVideo(new Uint8Array(await readFile((await download.path())!)));
    expect(video.frameCount).toBe(4);
    expect([video.width, video.height]).toEqual([64, 64]);
    // Kept in the Library too, offline.
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Library', exact: true }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Saved clips' }).getByRole('listitem').count()).toBeGreaterThanOrEqual(2);
  });
});
