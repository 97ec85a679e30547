/**
 * Make before break and injected faults, end to end in Chromium on the built app and the embedded model: trying
 * another model never takes away the one that works, a failure names what failed and offers a retry, and each
 * injected fault (worker killed, GPU device lost, no memory for a session, double presses, a backend switch mid-run)
 * ends in a specific message and a working app. Faults that cannot be caused on demand go through the worker's
 * test-only `test-fault` request (src/worker/test-faults.ts).
 *
 * Models to switch to are copies of the embedded one under another id, served by a second local server ("hub", another
 * origin, CORS) from symlinks; `slow` cases stream denoiser.onnx at 64 kB per 40 ms so a switch can be caught mid-way.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDED_MODEL_DIR, inlineScriptRefusedBy, type LaunchedBrowser, type ManifestJson, launchBrowser, type StaticServer, runSettled, startStaticServer, writeModelCopy } from './harness';

/** Copies of the embedded model, by case; `big` claims 3.99 GB, so it cannot sit beside another model in WASM's 4 GB. */
const CASES = ['oom', 'slow', 'dies', 'big'] as const;
type Case = (typeof CASES)[number];

let app: StaticServer;
let hub: StaticServer;
let root: string;
let browser: LaunchedBrowser;
let page: Page;
let denoiserBytes: Buffer;
let elsewhere: ManifestJson;
const slow = new Set<Case>();

const modelUrl = (c: Case) => `${hub.url}${c}/manifest.json`;

function handle(req: IncomingMessage, res: ServerResponse): boolean {
  const url = req.url ?? '';
  if (url === '/elsewhere/manifest.json') {
    // A component file on another origin (the app's server): refused by name before any request leaves.
    res.writeHead(200, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' }).end(JSON.stringify(elsewhere));
    return true;
  }
  if (url === '/not-a-manifest.json') {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"hello": "this is not a model"}');
    return true;
  }
  const c = url.split('/')[1] as Case;
  if (!url.endsWith('/denoiser.onnx') || !slow.has(c) || req.headers.range) return false;
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(denoiserBytes.length) });
  let at = 0;
  const tick = () => {
    if (res.destroyed) return;
    if (at >= denoiserBytes.length) return void res.end();
    res.write(denoiserBytes.subarray(at, at + 65536));
    at += 65536;
    setTimeout(tick, 40);
  };
  tick();
  return true;
}

beforeAll(async () => {
  denoiserBytes = await readFile(path.join(EMBEDDED_MODEL_DIR, 'denoiser.onnx'));
  root = await mkdtemp(path.join(tmpdir(), 'kineto-reliability-'));
  for (const c of CASES) await writeModelCopy(path.join(root, c), c, c === 'big' ? { requirements: { memory_gb: 3.99 } } : {});
  elsewhere = await writeModelCopy(path.join(root, 'elsewhere'), 'elsewhere');
  app = await startStaticServer(process.env.KINETO_DIST ?? 'dist', { handle });
  elsewhere.components.denoiser!.file = `${app.url}models/kineto-shapes/denoiser.onnx`;
  hub = await startStaticServer(root, {
    headers: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'Content-Range, Content-Length, Accept-Ranges' },
    handle,
  });
  browser = await launchBrowser();
  page = browser.page;
  await page.goto(app.url);
  await page.getByLabel('Backend').selectOption('wasm');
  await settled();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await hub?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

/** Waits until a model is in use and no load or switch is in flight. */
async function settled(timeout = 120_000): Promise<void> {
  await page.waitForFunction(() => {
    const s = window.kineto?.getState();
    return s !== undefined && s.model.status === 'ready' && s.switching?.status !== 'loading';
  }, null, { timeout }).catch(async (e: unknown) => {
    const state = await page.evaluate(() => JSON.stringify({ model: window.kineto?.getState().model, switching: window.kineto?.getState().switching }));
    throw new Error(`the model never settled: ${state}\n${browser.logs()}`, { cause: e });
  });
}

const loadedName = () => page.evaluate(() => {
  const m = window.kineto!.getState().model;
  return m.status === 'ready' ? m.manifest.name : null;
});
const alertText = async () => (await page.getByRole('alert').allTextContents()).join(' ');
const noticeText = async () => (await page.getByRole('status').allTextContents()).join(' ');
const generateButton = () => page.getByRole('button', { name: 'Generate', exact: true });
/** `f` of the store's state, evaluated in the page (`f` must not capture anything). */
const state = <T,>(f: (s: ReturnType<NonNullable<Window['kineto']>['getState']>) => T) =>
  page.evaluate(`(${f.toString()})(window.kineto.getState())`) as Promise<T>;
const storedBytes = (id: string) => page.evaluate(async (modelId) => {
  await window.kineto!.getState().refreshStorage();
  return window.kineto!.getState().cachedModels?.find((m) => m.id === modelId)?.storedBytes ?? 0;
}, id);

async function loadFromUrl(url: string): Promise<void> {
  await page.getByLabel('Model manifest URL').fill(url);
  await page.getByRole('button', { name: 'Load', exact: true }).click();
}

async function setFields(fields: Record<string, string>): Promise<void> {
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
}

/** Starts a run from the form; returns once it is running. */
async function startRun(fields: Record<string, string> = { Steps: '2', Frames: '4', 'Output size': '64' }): Promise<void> {
  await page.getByLabel('Prompt', { exact: true }).fill('a red circle moving left');
  await setFields({ Seed: '3', ...fields });
  await generateButton().click();
  await page.waitForFunction(() => window.kineto?.getState().run.status !== 'idle', null, { timeout: 10_000 });
}

async function runEnds(timeout = 300_000): Promise<string | null> {
  await runSettled(page, timeout, browser.logs);
  return state((s) => s.run.outcome);
}

describe('make before break', () => {
  it('an invalid manifest URL leaves the working model in use, names the problem and offers a retry', async () => {
    expect(await loadedName()).toBe('Kineto-Shapes');
    await loadFromUrl(`${app.url}not-a-manifest.json`);
    await expect.poll(alertText, { timeout: 30_000 }).toMatch(/manifest/i);
    await settled();
    expect(await generateButton().isEnabled()).toBe(true);
    expect(await loadedName()).toBe('Kineto-Shapes');
    expect(await alertText()).toContain('Kineto-Shapes is still in use');
    // A download that never started shows no download block.
    expect(await page.getByRole('region', { name: 'Model download' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Try loading again' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Keep Kineto-Shapes' }).click();
    expect(await alertText()).not.toContain('still in use');
  });

  it('the model in use keeps generating while another downloads; the new one takes over when it is ready', async () => {
    slow.add('slow');
    await loadFromUrl(modelUrl('slow'));
    await expect.poll(() => storedBytes('shapes-slow'), { timeout: 20_000 }).toBeGreaterThan(1_000_000);
    expect(await loadedName()).toBe('Kineto-Shapes');
    await startRun();
    expect(await runEnds(), browser.logs()).toBe('done');
    expect(await state((s) => s.result?.facts.model.name)).toBe('Kineto-Shapes');
    slow.delete('slow');
    // "Cancel during a model load": the switch stops, the bytes stay, the model in use stays.
    await page.evaluate(() => window.kineto!.getState().cancelLoad());
    expect(await state((s) => [s.switching, s.download?.status])).toEqual([null, 'paused']);
    expect(await loadedName()).toBe('Kineto-Shapes');
    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await expect.poll(loadedName, { timeout: 60_000 }).toBe('Shapes slow');
    await settled();
    expect(await state((s) => s.download)).toBeNull();
  });

  it('no memory for the new sessions: the message says what to try, the model in use stays; retry works', async () => {
    await page.evaluate(() => window.kineto!.getState().injectTestFault!('sessions-out-of-memory'));
    await loadFromUrl(modelUrl('oom'));
    await page.waitForFunction(() => window.kineto?.getState().switching?.status === 'failed', null, { timeout: 60_000 });
    expect(await state((s) => (s.switching?.status === 'failed' ? s.switching.error.code : null))).toBe('out-of-memory');
    await expect.poll(alertText).toContain('Close other tabs or apps and try again, or choose a smaller model');
    expect(await loadedName()).toBe('Shapes slow');
    expect(await generateButton().isEnabled()).toBe(true);
    await page.evaluate(() => window.kineto!.getState().injectTestFault!('none'));
    await page.getByRole('button', { name: 'Try loading again' }).click();
    await expect.poll(loadedName, { timeout: 60_000 }).toBe('Shapes oom');
    await settled();
  });

  it('when both models cannot fit in memory, it asks before releasing the one in use', async () => {
    await loadFromUrl(modelUrl('big'));
    await page.waitForFunction(() => window.kineto?.getState().switching?.status === 'confirm-release', null, { timeout: 60_000 });
    const question = page.getByRole('region', { name: 'Model switch' });
    expect(await question.textContent()).toMatch(/Shapes oom and Shapes big together need about 4 GB, more than the CPU's \(WASM\) 4 GB/);
    expect(await loadedName()).toBe('Shapes oom');
    expect(await generateButton().isEnabled()).toBe(true);
    await question.getByRole('button', { name: 'Release Shapes oom and load' }).click();
    await expect.poll(loadedName, { timeout: 60_000 }).toBe('Shapes big');
    await settled();
  });
});

describe('faults', () => {
  it('Generate pressed twice fast starts one run', async () => {
    await page.getByLabel('Prompt', { exact: true }).fill('a blue square moving up');
    await setFields({ Seed: '5', Steps: '2', Frames: '4', 'Output size': '64' });
    await page.evaluate(() => {
      const w = window as Window & { runsStarted?: number };
      w.runsStarted = 0;
      window.kineto!.subscribe((s, prev) => {
        if (s.run.status === 'running' && prev.run.status === 'idle') w.runsStarted!++;
      });
    });
    await generateButton().dblclick();
    await page.evaluate(() => {
      const s = window.kineto!.getState();
      void s.generate();
      void s.generate();
    });
    await page.waitForFunction(() => ((window as Window & { runsStarted?: number }).runsStarted ?? 0) >= 1, null, { timeout: 10_000 });
    expect(await runEnds(), browser.logs()).toBe('done');
    // Give a wrongly started second run time to show.
    await page.waitForTimeout(1_000);
    expect(await page.evaluate(() => (window as Window & { runsStarted?: number }).runsStarted)).toBe(1);
    expect(await state((s) => s.run.status)).toBe('idle');
    expect(await alertText()).toBe('');
  });

  it('the worker dies during a run: the page restarts it, reloads the model and keeps the form', async () => {
    await startRun({ Steps: '30', Frames: '16', 'Output size': '64' });
    await page.waitForFunction(() => (window.kineto?.getState().run.step ?? 0) >= 1, null, { timeout: 60_000 });
    await page.evaluate(() => window.kineto!.getState().injectTestFault!('stop-worker'));
    expect(await runEnds(60_000)).toBe('failed');
    await expect.poll(noticeText, { timeout: 30_000 }).toContain('The engine stopped (it stopped unexpectedly). Kineto restarted it');
    await settled();
    expect(await loadedName()).toBe('Shapes big');
    expect(await page.getByLabel('Prompt', { exact: true }).inputValue()).toBe('a red circle moving left');
    expect(await page.getByLabel('Steps', { exact: true }).inputValue()).toBe('30');
    await setFields({ Steps: '2', Frames: '4' });
    await generateButton().click();
    expect(await runEnds(), browser.logs()).toBe('done');
  });

  it('the worker dies during a download: the partial download is kept and resumes with Range', async () => {
    slow.add('dies');
    // Shapes big leaves no room beside it: release it first (the question itself is tested above).
    await page.evaluate(() => {
      const s = window.kineto!.getState();
      return s.loadModel({ kind: 'embedded', manifestUrl: new URL('models/kineto-shapes/manifest.json', document.baseURI).href }, s.backendChoice, true);
    });
    await expect.poll(loadedName, { timeout: 60_000 }).toBe('Kineto-Shapes');
    await settled();
    await loadFromUrl(modelUrl('dies'));
    await expect.poll(() => storedBytes('shapes-dies'), { timeout: 20_000 }).toBeGreaterThan(2_000_000);
    await page.evaluate(() => window.kineto!.getState().injectTestFault!('stop-worker'));
    await page.waitForFunction(() => window.kineto?.getState().download?.status === 'paused', null, { timeout: 30_000 });
    await settled();
    expect(await loadedName()).toBe('Kineto-Shapes');
    const kept = await storedBytes('shapes-dies');
    expect(kept).toBeGreaterThan(2_000_000);
    slow.delete('dies');
    const before = hub.requests.length;
    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await expect.poll(loadedName, { timeout: 60_000 }).toBe('Shapes dies');
    // (The connection cut with the worker may close on the server only now; only the resumed request is checked.)
    const resumed = hub.requests.slice(before).filter((r) => r.url === '/dies/denoiser.onnx' && r.range !== null);
    expect(resumed.map((r) => [r.status, r.range !== null])).toEqual([[206, true]]);
  });

  it('the backend switched during a run: the run finishes, then the model moves to WebGPU', async () => {
    await startRun();
    await page.evaluate(() => window.kineto!.getState().chooseBackend('webgpu'));
    expect(await runEnds(), browser.logs()).toBe('done');
    await expect.poll(() => page.getByTestId('backend-in-use').textContent(), { timeout: 120_000 }).toContain('WebGPU');
    await settled();
  });

  it('the WebGPU device lost mid-run: the run restarts on WASM with a notice', async () => {
    await startRun({ Steps: '3', Frames: '4', 'Output size': '64' });
    await page.waitForFunction(() => (window.kineto?.getState().run.step ?? 0) >= 1, null, { timeout: 300_000 });
    await page.evaluate(() => window.kineto!.getState().injectTestFault!('lose-gpu-device'));
    expect(await runEnds(), browser.logs()).toBe('done');
    await expect.poll(noticeText).toMatch(/WebGPU failed during generation|The GPU was lost/);
    await expect.poll(() => page.getByTestId('backend-in-use').textContent()).toContain('WASM');
  });
});

describe('a reload', () => {
  it('during a run: the app comes back with a working model, and stored models are kept', async () => {
    const cachedIds = () => state((s) => (s.cachedModels ?? []).map((m) => m.id).sort());
    await page.evaluate(() => window.kineto!.getState().refreshStorage());
    const before = await cachedIds();
    await startRun({ Steps: '30', Frames: '16', 'Output size': '64' });
    await page.waitForFunction(() => (window.kineto?.getState().run.step ?? 0) >= 1, null, { timeout: 60_000 });
    await page.reload({ timeout: 120_000 });
    await settled();
    expect(await state((s) => s.run.status)).toBe('idle');
    await page.evaluate(() => window.kineto!.getState().refreshStorage());
    expect(await cachedIds()).toEqual(before);
    await startRun();
    expect(await runEnds(), browser.logs()).toBe('done');
  });
});

describe('security', () => {
  it('the page\'s Content-Security-Policy refuses an inline script', async () => {
    expect(await inlineScriptRefusedBy(browser)).toBe('script-src-elem');
  });

  it('a manifest naming a file on another origin is refused by name, and nothing is fetched from there', async () => {
    const before = app.requests.length;
    await loadFromUrl(`${hub.url}elsewhere/manifest.json`);
    await page.waitForFunction(() => window.kineto?.getState().switching?.status === 'failed', null, { timeout: 60_000 });
    // The manifest check refuses it by field and value, before the weight manager is asked for any file.
    await expect.poll(alertText).toContain(`"components.denoiser.file" must be a path inside the model folder (got "${app.url}models/kineto-shapes/denoiser.onnx")`);
    expect(app.requests.slice(before).map((r) => r.url).filter((u) => u.includes('denoiser'))).toEqual([]);
    await page.getByRole('button', { name: /^Keep / }).click();
  });
});
