/**
 * Speed in headless Chromium with --enable-unsafe-webgpu (a SwiftShader adapter, 70–90× slower than WASM here):
 * Auto never picks the software adapter and a default clip finishes on WASM; the timing of both backends (forced
 * onto SwiftShader for the test), remembered per model; a hand-picked backend wins and is remembered; the Speed
 * choice switches presets (its own denoiser file, loaded on first use) and both give a valid MP4; the CPU warm-up
 * after a load gives way to Generate and changes nothing in the clip. Without WebGPU, the main page passes axe too.
 */
import { readFile } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations, type LaunchedBrowser, launchBrowser, noWebGpuNotice, parseVideo, type StaticServer, runSettled, startStaticServer,
} from './harness';

const MODEL = 'dist/models/kineto-shapes';
let server: StaticServer;
let browser: LaunchedBrowser;
let page: Page;

/**
 * Until the distilled student ships in the manifest, the model is served with a Fast preset whose denoiser file is a
 * copy of the shipped one under its own name (LCM, 4 steps, no guidance), so the Speed wiring is tested end to end.
 */
async function presetServer(): Promise<StaticServer> {
  const manifest = JSON.parse(await readFile(path.join(MODEL, 'manifest.json'), 'utf8'));
  if (manifest.presets) return startStaticServer('dist');
  const base = manifest.components.denoiser;
  manifest.presets = {
    fast: { denoiser: { file: 'denoiser-fast.onnx', bytes: base.bytes, sha256: base.sha256 }, scheduler: 'lcm', steps: 4, guidance_scale: 1 },
    quality: { scheduler: 'ddim', steps: 30, guidance_scale: 3 },
  };
  const body = JSON.stringify(manifest);
  const denoiser = await readFile(path.join(MODEL, base.file));
  const send = (res: http.ServerResponse, type: string, data: string | Buffer) => {
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(data)) }).end(data);
    return true;
  };
  return startStaticServer('dist', {
    handle: (req, res) => {
      if (req.url === '/models/kineto-shapes/manifest.json') return send(res, 'application/json', body);
      if (req.url === '/models/kineto-shapes/denoiser-fast.onnx') return send(res, 'application/octet-stream', denoiser);
      return false;
    },
  });
}

beforeAll(async () => {
  server = await presetServer();
  browser = await launchBrowser();
  page = browser.page;
  await page.goto(server.url, { timeout: 120_000 });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function ready(p = page): Promise<void> {
  await p.waitForFunction(() => window.kineto?.getState().model.status === 'ready', null, { timeout: 120_000 });
}

/** Presses Generate, waits for the end, and parses the video it made. */
async function generateVideo(p = page): Promise<Awaited<ReturnType<typeof parseVideo>>> {
  await p.getByRole('button', { name: 'Generate' }).click();
  await p.waitForFunction(() => window.kineto?.getState().run.status === 'running', null, { timeout: 10_000 }).catch(() => {});
  await runSettled(p, 300_000, browser.logs);
  expect(await p.evaluate(() => window.kineto!.getState().run.outcome), browser.logs()).toBe('done');
  const bytes = await p.evaluate(async () => Array.from(new Uint8Array(await (await fetch(window.kineto!.getState().result!.url)).arrayBuffer())));
  return parseVideo(new Uint8Array(bytes));
}

describe('Speed in Chromium', () => {
  it('Auto avoids the SwiftShader adapter and a default clip finishes on WASM', async () => {
    await ready();
    expect(await page.evaluate(() => window.kineto!.getState().capabilities?.adapter?.isFallbackAdapter)).toBe(true);
    expect(await page.getByLabel('Backend').inputValue()).toBe('auto');
    expect(await page.getByTestId('backend-in-use').textContent()).toBe('WASM');
    expect(await page.getByTestId('backend-why').textContent()).toBe('WASM: the WebGPU adapter is SwiftShader, a software renderer, never picked automatically');
    await page.getByLabel('Prompt', { exact: true }).fill('a red circle moving left on a black background');
    const video = await generateVideo();
    expect(video).toMatchObject({ container: expect.stringContaining('MP4'), codec: 'avc', frameCount: 16, width: 256, height: 256 });
    expect(await axeViolations(page), 'main page').toEqual([]);
  });

  it('the Speed choice switches presets; both give a valid MP4', async () => {
    const speed = page.getByLabel('Speed', { exact: true });
    expect(await speed.inputValue()).toBe('fast');
    expect(await page.getByLabel('Speed', { exact: true }).locator('option').allTextContents()).toEqual(['Fast', 'Quality']);
    const fields = async () => ({
      steps: await page.getByLabel('Steps', { exact: true }).inputValue(),
      guidance: await page.getByLabel('Guidance', { exact: true }).inputValue(),
      scheduler: await page.getByLabel('Scheduler', { exact: true }).inputValue(),
    });
    expect(await fields()).toEqual({ steps: '4', guidance: '1', scheduler: 'lcm' });
    // Fast's own file was fetched (by the engine, or by the service worker that precaches the model).
    expect(server.requests.some((r) => r.url.startsWith('/models/kineto-shapes/denoiser-fast.onnx') && r.status === 200)).toBe(true);

    await page.getByLabel('Frames', { exact: true }).fill('8');
    await page.getByLabel('Output size', { exact: true }).fill('64');
    const fast = await generateVideo();
    expect(fast).toMatchObject({ codec: 'avc', frameCount: 8, width: 64, height: 64 });
    expect(await page.evaluate(() => window.kineto!.getState().run.totalSteps)).toBe(4);

    await speed.selectOption('quality');
    expect(await fields()).toEqual({ steps: '30', guidance: '3', scheduler: 'ddim' });
    // An explicit setting still overrides the preset's.
    await page.getByLabel('Steps', { exact: true }).fill('6');
    const quality = await generateVideo();
    expect(quality).toMatchObject({ codec: 'avc', frameCount: 8, width: 64, height: 64 });
    expect(await page.evaluate(() => window.kineto!.getState().run.totalSteps)).toBe(6);
    expect(await axeViolations(page), 'main page with Quality').toEqual([]);
  });

  it('times both backends once when asked to consider the software adapter, and remembers the result', async () => {
    await page.evaluate(() => window.kineto!.setState({ probeSoftwareAdapters: true }));
    await page.evaluate(() => window.kineto!.getState().reloadModel());
    await ready();
    const selection = await page.evaluate(() => { const m = window.kineto!.getState().model; return m.status === 'ready' ? m.backendInfo.selection : null; });
    expect(selection?.how, browser.logs()).toBe('measured');
    expect(selection?.summary).toMatch(/^WebGPU [\d.]+ ms\/step, WASM [\d.]+ ms\/step → WASM$/);
    expect(await page.getByTestId('backend-why').textContent()).toBe(selection?.summary);
    expect(await page.getByTestId('backend-in-use').textContent()).toBe('WASM');

    await page.evaluate(() => window.kineto!.getState().reloadModel());
    await ready();
    expect(await page.evaluate(() => { const m = window.kineto!.getState().model; return m.status === 'ready' ? m.backendInfo.selection : null; })).toEqual({ ...selection, how: 'remembered-measured' });
    await page.evaluate(() => window.kineto!.setState({ probeSoftwareAdapters: false }));
  });

  it('a backend chosen by hand wins and is remembered for the model across a reload', async () => {
    await page.getByLabel('Backend').selectOption('webgpu');
    await expect.poll(() => page.getByTestId('backend-in-use').textContent(), { timeout: 120_000 }).toBe('WebGPU');
    expect(await page.getByTestId('backend-why').textContent()).toBe('WebGPU, chosen by hand');
    await page.getByLabel('Backend').selectOption('wasm');
    await expect.poll(() => page.getByTestId('backend-in-use').textContent(), { timeout: 120_000 }).toBe('WASM');

    await page.reload({ timeout: 120_000 });
    await ready();
    expect(await page.getByLabel('Backend').inputValue()).toBe('wasm');
    expect(await page.getByTestId('backend-why').textContent()).toBe('WASM, chosen by hand for this model');

    // Auto again: the hand-picked backend is forgotten and the rules apply.
    await page.getByLabel('Backend').selectOption('auto');
    await expect.poll(() => page.getByTestId('backend-why').textContent(), { timeout: 120_000 }).toContain('never picked automatically');
  });

  it('on WASM, a warm-up makes practice clips in the background, gives way to Generate, and changes no pixel', async () => {
    const warmUp = () => page.evaluate(() => window.kineto!.getState().warmUp);
    /** A small clip; returns its last x̂0 preview frames. */
    const generateFrames = async () => {
      await page.getByLabel('Prompt', { exact: true }).fill('a green square moving up');
      for (const [label, value] of Object.entries({ Seed: '11', Frames: '8', 'Output size': '64' })) await page.getByLabel(label, { exact: true }).fill(value);
      await generateVideo();
      return page.evaluate(() => window.kineto!.getState().run.preview!.frames.map((f) => Array.from(f)));
    };
    // A reload starts a fresh engine worker, whose onnxruntime runs on V8's baseline code again.
    await page.reload({ timeout: 120_000 });
    await ready();
    expect(await page.getByTestId('backend-in-use').textContent()).toBe('WASM');
    await page.waitForFunction(() => window.kineto?.getState().warmUp?.status === 'running', null, { timeout: 10_000 });
    await expect.poll(() => page.getByTestId('warm-up').textContent()).toBe('making practice clips in the background; Generate stops it');
    const during = await generateFrames();
    expect(await warmUp()).toMatchObject({ status: 'done', report: { outcome: 'interrupted' } });
    expect(await page.getByTestId('warm-up').textContent()).toMatch(/stopped for your request$/);

    await page.reload({ timeout: 120_000 });
    await ready();
    await page.waitForFunction(() => window.kineto?.getState().warmUp?.status === 'done', null, { timeout: 120_000 });
    const done = await warmUp();
    expect(done?.status === 'done' && done.report.outcome, browser.logs()).toMatch(/^(settled|limit)$/);
    expect(done?.status === 'done' && done.report.runSeconds.length).toBeGreaterThanOrEqual(3);
    expect(await page.getByTestId('warm-up').textContent()).toMatch(/^\d+ practice clips, [\d.]+ s → [\d.]+ s; stopped (once a clip was no faster|at its limit)$/);
    // The practice clips leave nothing behind: the same clip, pixel for pixel.
    expect(await generateFrames()).toEqual(during);
    expect(await axeViolations(page), 'main page with the warm-up line').toEqual([]);
  });
});

describe('Speed in Chromium without WebGPU', () => {
  it('the main page passes axe with a clip, the Quality preset and the warm-up line', async () => {
    const plain = await launchBrowser({ webgpu: false });
    try {
      const p = plain.page;
      await p.goto(server.url, { timeout: 120_000 });
      await ready(p);
      await noWebGpuNotice(p);
      await p.getByTestId('warm-up').waitFor({ timeout: 30_000 });
      await p.getByLabel('Prompt', { exact: true }).fill('a red circle moving left on a black background');
      await p.getByLabel('Speed', { exact: true }).selectOption('quality');
      for (const [label, value] of Object.entries({ Steps: '6', Frames: '8', 'Output size': '64' })) await p.getByLabel(label, { exact: true }).fill(value);
      expect(await generateVideo(p)).toMatchObject({ codec: 'avc', frameCount: 8, width: 64, height: 64 });
      expect(await axeViolations(p), 'main page with Quality and the warm-up line, without WebGPU').toEqual([]);
    } finally {
      await plain.close();
    }
  });
});
