/**
 * Kineto = diffusers in Chromium: the real-architecture packages of tests/fixtures/hub-real, served over HTTP, run by
 * the engine on onnxruntime-web (WASM) in a bare page; frames compared with diffusers' reference clips (the Node
 * test, tests/node/hub-real.test.ts, covers every case; this one the clips, plain and fused, fp32 weights: fp16 is a
 * WebGPU variant, and the software adapter here is too slow for a clip).
 * Measured 2026-12-02 (`npx vitest run --project browser tests/browser/hub-real.test.ts`): p99 0/255,
 * max 1/255 for each of the three clips; about 40 s for the file on 2 cores (≈ 9 s of it the first case's start-up).
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editManifest, forceVariant, frameDiff, HUB_REAL, loadReferences, paramsFor } from '../hub-real/reference';
import { buildTestPage, serveFolderAt, launchBrowser, startStaticServer, type LaunchedBrowser, type StaticServer } from './harness';
import type { HubRealResult, HubRealRun } from './pages/hub-real';

const PAGES = path.resolve(import.meta.dirname, 'pages');
const REFS = loadReferences();
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let outDir: string;
let server: StaticServer;
let browser: LaunchedBrowser;

beforeAll(async () => {
  outDir = await buildTestPage(PAGES, { 'hub-real': 'hub-real.html' });
  server = await startStaticServer(outDir, { handle: serveFolderAt('/hub-real/', HUB_REAL) });
  browser = await launchBrowser();
  await browser.page.goto(`${server.url}hub-real.html`);
  await browser.page.waitForFunction(() => typeof window.kinetoHubReal === 'function');
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('Kineto = diffusers in Chromium (onnxruntime-web WASM)', () => {
  it.each([
    ['SD-Turbo clip (TextToVideoZeroPipeline), fp32', 'sd-turbo', 't2vz'],
    ['SD-Turbo clip, fused attention', 'sd-turbo-fused', 't2vz'],
    ['ModelScope clip (TextToVideoSDPipeline)', 'modelscope', 'modelscope'],
  ])('%s: within 2/255 at p99', async (label, pkg, refName) => {
    const ref = REFS[refName]!;
    const manifest = JSON.parse(readFileSync(path.join(HUB_REAL, pkg, 'manifest.json'), 'utf8')) as Json;
    editManifest(manifest, ref);
    forceVariant(manifest, 'fp32');
    const run: HubRealRun = { baseUrl: `${server.url}hub-real/${pkg}/`, manifest, params: paramsFor(ref) };
    const result: HubRealResult = await browser.page.evaluate((r) => window.kinetoHubReal!(r), run);
    if (!result.ok) throw new Error(`${result.error}\n${browser.logs()}`);
    const diff = frameDiff(ref, result.frames);
    console.log(`hub-real Chromium ${label}: p99 ${diff.p99}/255, max ${diff.max}/255, mean ${diff.mean.toFixed(3)}/255`);
    expect(diff.p99).toBeLessThanOrEqual(2);
  }, 180_000);
});
