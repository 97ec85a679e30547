/**
 * End to end in headless Chromium on the built app (dist/) and the embedded model: a person types a prompt,
 * presses Generate, watches the preview, gets a video and downloads an MP4 that parses back with the requested
 * frames, size and duration. WASM and WebGPU (SwiftShader here: slow, so a tiny setting) must agree. Without WebGPU
 * (Chromium without --enable-unsafe-webgpu) the page says so in a notice and still passes axe at both sizes.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { videoFileName } from '../../src/video/encode';
import {
  axeViolations, type LaunchedBrowser, launchBrowser, noWebGpuNotice, parseVideo, type StaticServer, runSettled, startStaticServer,
} from './harness';

let server: StaticServer;
let browser: LaunchedBrowser;
let page: Page;

beforeAll(async () => {
  server = await startStaticServer('dist');
  browser = await launchBrowser();
  page = browser.page;
  await page.goto(server.url);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function modelReady(backend: 'WASM' | 'WebGPU'): Promise<void> {
  // A backend change is a model switch: the model stays 'ready' on the old backend until the new one is.
  await page.waitForFunction(() => window.kineto?.getState().model.status === 'ready' && window.kineto.getState().switching === null, null, { timeout: 120_000 });
  await expect.poll(() => page.getByTestId('backend-in-use').textContent(), { timeout: 10_000 }).toContain(backend);
}

async function chooseBackend(value: 'wasm' | 'webgpu' | 'auto'): Promise<void> {
  await page.getByLabel('Backend').selectOption(value);
}

async function setFields(fields: Record<string, string>): Promise<void> {
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
}

/** Presses Generate and waits until the run has finished (done, cancelled or failed). */
async function generate(timeout = 300_000): Promise<string | null> {
  await page.getByRole('button', { name: 'Generate' }).click();
  await page.waitForFunction(() => window.kineto?.getState().run.status === 'running', null, { timeout: 10_000 }).catch(() => {});
  await runSettled(page, timeout, browser.logs);
  return page.evaluate(() => window.kineto!.getState().run.outcome);
}

/** A 390 px phone and a 1280×720 projector: no horizontal overflow and no serious axe violation at either. */
async function fitsAndPassesAxe(p: Page, where: string): Promise<void> {
  for (const [width, height] of [[390, 844], [1280, 720]] as const) {
    await p.setViewportSize({ width, height });
    expect(await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), `horizontal overflow at ${width} px`).toBeLessThanOrEqual(0);
    expect(await axeViolations(p), `${where} at ${width}×${height}`).toEqual([]);
  }
}

/** The last step's x̂0 preview, i.e. the final frames for DDIM (ᾱ_prev = 1 at the last step). */
async function lastPreview(): Promise<number[][]> {
  return page.evaluate(() => window.kineto!.getState().run.preview!.frames.map((f) => Array.from(f)));
}

describe('Kineto in Chromium', () => {
  it('is cross-origin isolated and runs WASM multi-threaded, on the JSPI build of onnxruntime-web', async () => {
    await chooseBackend('wasm');
    await modelReady('WASM');
    const caps = await page.evaluate(() => window.kineto!.getState().capabilities);
    expect(caps?.crossOriginIsolated).toBe(true);
    expect(caps?.wasmThreads).toBeGreaterThan(1);
    // Chromium has JSPI, so the worker fetched that build's WASM and never the Asyncify one.
    expect(caps?.ortBuild).toBe('jspi');
    const wasm = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.wasm')));
    expect(wasm.some((n) => n.includes('.asyncify'))).toBe(false);
    expect(await page.getByTestId('ort-build').textContent()).toContain('JSPI');
    expect(caps?.codecs.length).toBeGreaterThan(0);
  });

  it('turns a prompt into a previewed, playable, downloadable MP4 (WASM)', async () => {
    const prompt = 'a red circle moving left on a black background';
    await page.getByLabel('Prompt', { exact: true }).fill(prompt);
    await setFields({ Seed: '42', Steps: '4', Frames: '16', FPS: '8', 'Output size': '128' });
    expect(await generate(), browser.logs()).toBe('done');
    await expect.poll(() => page.getByLabel('Live preview').getAttribute('data-preview-steps')).toBe('4');
    await expect.poll(() => page.getByLabel('Generated video').evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThan(0);
    await expect(page.getByText('Seed 42').count()).resolves.toBeGreaterThan(0);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download MP4' }).click()]);
    expect(download.suggestedFilename()).toBe(videoFileName(42, prompt, 'mp4'));
    const video = await parseVideo(new Uint8Array(await readFile((await download.path())!)));
    expect(video.container).toContain('MP4');
    expect(video.codec).toBe('avc');
    expect(video.frameCount).toBe(16);
    expect([video.width, video.height]).toEqual([128, 128]);
    expect(video.durationSeconds).toBeCloseTo(2.0, 1);
  });

  it('refuses bad input with a specific message and keeps working', async () => {
    const alerts = () => page.getByRole('alert').allTextContents();
    await page.getByLabel('Prompt', { exact: true }).fill('   ');
    await page.getByRole('button', { name: 'Generate' }).click();
    expect((await alerts()).join(' ')).toContain('Type a prompt');

    await page.getByLabel('Prompt', { exact: true }).fill('a blue square moving up');
    await setFields({ Steps: '0', Frames: '15', 'Output size': '5000' });
    await page.getByRole('button', { name: 'Generate' }).click();
    const text = (await alerts()).join(' ');
    expect(text).toContain('Steps must be between 1 and 100');
    expect(text).toContain('Frames must be a multiple of 4');
    expect(text).toContain('Output size must be between');
    await expect(page.getByLabel('Steps').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await page.evaluate(() => window.kineto!.getState().run.status)).toBe('idle');

    await setFields({ Steps: '2', Frames: '8', 'Output size': '64' });
    expect(await generate(), browser.logs()).toBe('done');
  });

  it('cancels within a step and stays usable', async () => {
    // Quality: a long DDIM run (Fast is a 4-step LCM preset).
    await page.getByLabel('Speed', { exact: true }).selectOption('quality');
    await setFields({ Steps: '60', Frames: '16' });
    await page.getByRole('button', { name: 'Generate' }).click();
    await page.waitForFunction(() => window.kineto!.getState().run.step >= 2, null, { timeout: 60_000 });
    // The last clip rests while the model runs, and says so; it plays again once the run ends.
    const lastClip = page.getByLabel('Generated video');
    expect(await lastClip.evaluate((v: HTMLVideoElement) => v.paused)).toBe(true);
    expect(await page.getByText('Paused while the next clip generates.').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await runSettled(page, 30_000, browser.logs);
    expect(await page.evaluate(() => window.kineto!.getState().run.outcome)).toBe('cancelled');
    await expect.poll(() => lastClip.evaluate((v: HTMLVideoElement) => v.paused), { timeout: 10_000 }).toBe(false);
    expect(await page.evaluate(() => window.kineto!.getState().run.step)).toBeLessThan(10);
    await setFields({ Steps: '2' });
    expect(await generate(), browser.logs()).toBe('done');
  });

  it('gives the same frames on WebGPU as on WASM (tiny setting)', async () => {
    const tiny = { Seed: '7', Steps: '2', Frames: '4', 'Output size': '64' };
    await page.getByLabel('Prompt', { exact: true }).fill('a green star moving right');
    await setFields(tiny);
    expect(await generate(), browser.logs()).toBe('done');
    const wasm = await lastPreview();

    // Chosen by hand: Auto never picks SwiftShader.
    await chooseBackend('webgpu');
    await modelReady('WebGPU');
    expect(await generate(), browser.logs()).toBe('done');
    const gpu = await lastPreview();

    expect(gpu.length).toBe(wasm.length);
    const diffs = gpu.flatMap((f, i) => f.map((v, j) => Math.abs(v - wasm[i]![j]!)));
    const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length;
    diffs.sort((a, b) => a - b);
    const p99 = diffs[Math.floor(diffs.length * 0.99)]!;
    // Stated tolerance: float32 on different hardware, amplified through two steps and the decoder.
    expect(mean).toBeLessThan(1.0);
    expect(p99).toBeLessThanOrEqual(6);
    await chooseBackend('wasm');
    await modelReady('WASM');
  });

  it('fits a 390 px phone and a 1280×720 projector, passes axe at both, and generates by keyboard alone', async () => {
    await fitsAndPassesAxe(page, 'main page');
    await page.getByLabel('Prompt', { exact: true }).fill('a yellow triangle moving down');
    await page.getByLabel('Prompt', { exact: true }).focus();
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.textContent?.trim() === 'Generate');
    }
    expect(reached, 'Tab from the prompt reaches Generate').toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.kineto!.getState().run.status === 'running', null, { timeout: 10_000 }).catch(() => {});
    await runSettled(page, 300_000, browser.logs);
    expect(await page.evaluate(() => window.kineto!.getState().run.outcome), browser.logs()).toBe('done');
  });
});

describe('Kineto in Chromium without WebGPU', () => {
  it('says so in a notice whose OK button is named by its text, fits both sizes and passes axe at both', async () => {
    const plain = await launchBrowser({ webgpu: false });
    try {
      await plain.page.goto(server.url);
      const notice = await noWebGpuNotice(plain.page);
      expect(await plain.page.evaluate(() => window.kineto!.getState().capabilities?.webgpu)).toBe(false);
      await fitsAndPassesAxe(plain.page, 'main page without WebGPU');
      await notice.getByRole('button', { name: 'OK', exact: true }).click();
      await expect.poll(() => notice.count()).toBe(0);
    } finally {
      await plain.close();
    }
  });
});
