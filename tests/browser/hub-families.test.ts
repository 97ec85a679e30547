/**
 * Both Hub model families through the real engine worker in headless Chromium on WASM (onnxruntime-web): the
 * fixtures of tests/fixtures/hub are served as model folders beside a bare test page that drives the worker, and the
 * MP4 that comes back is parsed in Node.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestPage, serveFolderAt, launchBrowser, parseVideo, startStaticServer, type LaunchedBrowser, type StaticServer } from './harness';
import type { HubRun, HubRunResult } from './pages/hub';

const PAGES = path.resolve(import.meta.dirname, 'pages');
const HUB = path.resolve(import.meta.dirname, '../fixtures/hub');

let outDir: string;
let server: StaticServer;
let browser: LaunchedBrowser;

beforeAll(async () => {
  outDir = await buildTestPage(PAGES, { hub: 'hub.html' });
  // /hub/<family>/… is the fixture folder, served like any model folder.
  server = await startStaticServer(outDir, { handle: serveFolderAt('/hub/', HUB) });
  browser = await launchBrowser();
  await browser.page.goto(`${server.url}hub.html`);
  await browser.page.waitForFunction(() => typeof window.kinetoHubRun === 'function');
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

async function run(r: HubRun): Promise<Extract<HubRunResult, { ok: true }>> {
  const result = await browser.page.evaluate((x) => window.kinetoHubRun!(x), r);
  if (!result.ok) throw new Error(`${result.error}\n${browser.logs()}`);
  return result;
}

describe('Hub families in Chromium (WASM, real worker)', () => {
  it('modelscope-t2v: a guided video-UNet clip with the CLIP tokenizer, decoded frame by frame', async () => {
    const r = await run({ manifestUrl: `${server.url}hub/modelscope-t2v/manifest.json`, prompt: 'a red cat', seed: 5,
      params: { steps: 2, frames: 4, guidanceScale: 4, outputSize: 64 } });
    expect([r.pipeline, r.backend]).toEqual(['text-to-video', 'wasm']);
    expect(r.steps).toBe(2);
    expect(r.stages).toEqual(['encode-text', 'denoise', 'decode', 'encode-video']);
    const v = await parseVideo(new Uint8Array(r.video));
    expect([r.frameCount, v.frameCount, v.width, v.height]).toEqual([4, 4, 64, 64]);
  });

  it('sd-turbo: a Text2Video-Zero clip on the image UNet, one call per frame', async () => {
    const r = await run({ manifestUrl: `${server.url}hub/sd-turbo/manifest.json`, prompt: 'a red cat on the beach', seed: 5,
      params: { steps: 2, frames: 4, motion: { dx: 1, dy: 0 }, outputSize: 64 } });
    expect([r.pipeline, r.backend]).toEqual(['text2video-zero', 'wasm']);
    expect(r.steps).toBe(1 + 2); // one step on the first frame, then two on all frames
    expect(r.previewFrames).toBe(4);
    const v = await parseVideo(new Uint8Array(r.video));
    expect([r.frameCount, v.frameCount, v.width, v.height]).toEqual([4, 4, 64, 64]);
  });
});
