/**
 * The gate before a download, in headless Chromium (WebGPU on SwiftShader, no shader-f16): the catalog gives each
 * model a verdict; choosing SD-Turbo shows the plain "needs … shader-f16" sentence and its licence, fetches none of
 * its files, and "Use Kineto-Shapes instead" loads the built-in model. Only "Try anyway" (after accepting the
 * licence) starts the download — the control that shows the request log would see it.
 *
 * No real weights exist here. The server hands out SD-Turbo's manifest from `dist/models/hub/` without its
 * `base_url` and `tokenizer.url`, so every file it names would be fetched from this server and appear in its log.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, launchBrowser, type StaticServer, startStaticServer } from './harness';

const SD_TURBO = '/models/hub/sd-turbo.json';
const CATALOG_FILES = [SD_TURBO, '/models/hub/modelscope-t2v.json'];

let server: StaticServer;
let browser: LaunchedBrowser;
let page: Page;
/** Every request the page or its workers made to another origin (the Hub), from the browser's side. */
const offsite: string[] = [];

beforeAll(async () => {
  const manifest = JSON.parse(readFileSync(`dist${SD_TURBO}`, 'utf8'));
  delete manifest.base_url;
  delete manifest.tokenizer.url;
  server = await startStaticServer('dist', {
    handle: (req, res) => {
      if (req.url !== SD_TURBO) return false;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(manifest));
      return true;
    },
  });
  browser = await launchBrowser();
  page = browser.page;
  browser.context.on('request', (r) => {
    if (!r.url().startsWith(server.url)) offsite.push(r.url());
  });
  await page.goto(server.url);
  await page.waitForFunction(() => window.kineto?.getState().model.status === 'ready', null, { timeout: 120_000 });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Requests for anything under models/hub/ other than the catalog's two manifests: SD-Turbo's files. */
const hubFileRequests = () => server.requests.filter((r) => r.url.startsWith('/models/hub/') && !CATALOG_FILES.includes(r.url)).map((r) => r.url);
const verdictOf = (name: string | RegExp) => page.getByRole('listitem', { name }).getByTestId('catalog-verdict').textContent();

describe('capability gate', () => {
  it('lists the catalog with a verdict for this browser', async () => {
    const caps = await page.evaluate(() => window.kineto!.getState().capabilities);
    expect(caps, 'this test needs WebGPU without shader-f16 (SwiftShader)').toMatchObject({ webgpu: true, shaderF16: false });
    await expect.poll(() => verdictOf('SD-Turbo → video (Text2Video-Zero) (about 2.5 GB)')).toBe('This browser: needs shader-f16');
    expect(await verdictOf('ModelScope text-to-video 1.7B (about 3.6 GB)')).toBe('This browser: needs shader-f16');
    expect(await verdictOf(/^Kineto-Shapes \(built in, [\d.]+ MB\)$/)).toBe('This browser: runs here (CPU)');
  });

  it('choosing SD-Turbo says what it needs, shows its licence and fetches none of its files', async () => {
    await page.getByRole('button', { name: 'Choose SD-Turbo → video (Text2Video-Zero)' }).click();
    const gate = page.getByRole('region', { name: 'Before downloading' });
    await expect.poll(() => gate.getByTestId('gate-verdict').textContent()).toMatch(
      /^This model needs WebGPU with shader-f16 and about 8 GB of GPU memory; this browser has WebGPU \(.*\) without shader-f16, /,
    );
    expect(await gate.getByRole('link', { name: 'LicenseRef-StabilityAI-SD-Turbo' }).getAttribute('href')).toBe('https://huggingface.co/stabilityai/sd-turbo');
    expect(await gate.textContent()).toContain('not an open-source licence');
    // Give a wrongly started download time to show up in the logs.
    await page.waitForTimeout(1_000);
    expect(hubFileRequests()).toEqual([]);
    expect(offsite).toEqual([]);
    expect(await page.evaluate(() => window.kineto!.getState().download)).toBeNull();
  });

  it('"Use Kineto-Shapes instead" loads the built-in model', async () => {
    const before = server.requests.length;
    await page.getByRole('button', { name: 'Use Kineto-Shapes instead' }).click();
    await page.waitForFunction(() => {
      const s = window.kineto!.getState();
      return s.model.status === 'ready' && s.modelSource?.kind === 'embedded' && s.offer === null;
    }, null, { timeout: 120_000 });
    // The Fast preset's denoiser loads first (its int8 variant on the CPU).
    await expect.poll(() => server.requests.slice(before).some((r) => /^\/models\/kineto-shapes\/denoiser-fast(\.int8)?\.onnx$/.test(r.url)), { timeout: 60_000 }).toBe(true);
    expect(await page.getByRole('region', { name: 'Before downloading' }).count()).toBe(0);
    expect(hubFileRequests()).toEqual([]);
  });

  it('control: only "Try anyway", after accepting the licence, starts the download', async () => {
    await page.getByRole('button', { name: 'Choose SD-Turbo → video (Text2Video-Zero)' }).click();
    const tryAnyway = page.getByRole('button', { name: 'Try anyway' });
    await tryAnyway.waitFor();
    expect(await tryAnyway.isDisabled()).toBe(true);
    await page.getByLabel(/I have read the licence/).check();
    // SD-Turbo's 2.5 GB must not fail the quota check before the first request (the worker then reads this figure).
    await page.evaluate(() => window.kineto!.getState().setStorageSettings!({ quotaBytes: 1e12 }));
    await tryAnyway.click();
    // The built-in model stays in use (make before break); the switch to SD-Turbo fails.
    await page.waitForFunction(() => window.kineto!.getState().switching?.status === 'failed', null, { timeout: 60_000 });
    expect(hubFileRequests()[0]).toBe('/models/hub/tokenizer.json');
    expect(offsite).toEqual([]);
  });
});
