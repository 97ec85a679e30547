/**
 * `npm run check:fullsize`: the full-size dry run (not in CI; the files stay outside git, under
 * $KINETO_FULLSIZE_DIR, default <tmp>/kineto-fullsize, about 9 GB).
 *
 * 1. Export: SD-Turbo's UNet at its published size with random weights, through the export tool, fp16 (one 1.7 GB
 *    file) and fp32 (3.5 GB, external data) — scripts/fullsize/make-package.py, skipped when the package exists.
 *    Needs $PYTHON (default python3) with torch, transformers, diffusers, onnx, onnxruntime.
 * 2. For each precision (a manifest offering only that variant), the built app in Chromium (WASM backend) loads the
 *    model from a local "hub" server through the weight manager: download with progress, a pause at 40 % of the
 *    denoiser and a resume, sha256, OPFS, session creation; then one denoiser step (1 step, 1 frame).
 * Prints each stage's time, bytes and peak memory (PSS of Chromium's processes, sampled), and where a stage fails,
 * the message, then goes on with the next precision. Needs a built app (`npm run check:fullsize` builds it).
 *
 * 3. `webgpu`: the stored fp32 files loaded on the WebGPU backend (the software adapter here): session creation only.
 *
 *   npm run check:fullsize [-- fp32|fp16|webgpu …]
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, startStaticServer, type StaticServer } from '../../tests/browser/harness';
import { PeakSampler } from './memory';

const DIR = process.env.KINETO_FULLSIZE_DIR ?? path.join(tmpdir(), 'kineto-fullsize');
const PKG = path.join(DIR, 'sd-turbo-full');
const PYTHON = process.env.PYTHON ?? 'python3';
const PRECISIONS = ['fp32', 'fp16'] as const;
type Precision = (typeof PRECISIONS)[number];
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const MB = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
const GB = (b: number) => `${(b / 1e9).toFixed(2)} GB`;
const since = (t: number) => (performance.now() - t) / 1000;

function report(stage: string, seconds: number, bytes: number | null, peak: number | null, note = ''): void {
  const cols = [stage.padEnd(44), `${seconds.toFixed(1)} s`.padStart(9), (bytes === null ? '' : GB(bytes)).padStart(9),
    (peak === null ? '' : `peak ${GB(peak)}`).padStart(14), note];
  console.log(cols.join('  '));
}

async function exportPackage(): Promise<void> {
  if (existsSync(path.join(PKG, 'manifest.json'))) return console.log(`export: using ${PKG}`);
  const t = performance.now();
  const child = spawn(PYTHON, [path.resolve(import.meta.dirname, 'make-package.py'), PKG], { stdio: ['ignore', 'inherit', 'inherit'] });
  const mem = new PeakSampler(child.pid!, 1000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  mem.stop();
  if (code !== 0) throw new Error(`make-package.py failed (exit ${code})`);
  report('export (diffusers folder + ONNX fp16 + fp32)', since(t), null, mem.peak());
}

/** serve/<precision>/: the package's files (symlinks) and a manifest offering only that precision. */
async function writeServedCopies(): Promise<Record<Precision, Json>> {
  const manifest = JSON.parse(await readFile(path.join(PKG, 'manifest.json'), 'utf8')) as Json;
  const out = {} as Record<Precision, Json>;
  for (const p of PRECISIONS) {
    const dir = path.join(DIR, 'serve', p);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    for (const f of ['tokenizer.json', 'text_encoder', 'unet', 'vae_decoder']) await symlink(path.join(PKG, f), path.join(dir, f));
    const m: Json = { ...structuredClone(manifest), id: `${manifest.id}-${p}`, name: `${manifest.name}, ${p}` };
    for (const [name, c] of Object.entries(m.components as Record<string, Json>)) {
      const { variants, ...shared } = c;
      m.components[name] = { ...shared, ...(variants?.[p] ?? variants?.fp32 ?? {}) };
    }
    delete m.requirements;
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(m, null, 1));
    out[p] = m;
  }
  return out;
}

function fileBytes(c: Json): number {
  return c.bytes + (c.external_data ?? []).reduce((a: number, x: Json) => a + x.bytes, 0);
}

/** What the page's store says, condensed: the load's stage and file, the download's state and bytes. */
type Snapshot = { phase: string; stored: number; total: number; denoiser: string | null };

const snapshot = (page: Page): Promise<Snapshot> => page.evaluate(() => {
  const s = window.kineto!.getState();
  const load = s.switching?.status === 'loading' ? s.switching : s.model;
  const stage = 'stage' in load ? `${load.status} ${load.stage} ${load.file ?? ''}` : load.status;
  const failed = s.switching?.status === 'failed' ? s.switching.error.message : s.model.status === 'failed' ? s.model.error.message : null;
  const d = s.download;
  const den = d?.progress?.files.find((f) => f.path.startsWith('unet/model'));
  return {
    phase: failed ? `failed: ${failed}` : s.switching?.status === 'confirm-release' ? 'confirm-release' : `${stage}${d ? ` / download ${d.status}` : ''}`,
    stored: d?.progress?.storedBytes ?? 0,
    total: d?.progress?.totalBytes ?? 0,
    denoiser: den ? `${den.path} ${den.state}` : null,
  };
});

async function clickIfShown(page: Page, name: string | RegExp): Promise<boolean> {
  const b = page.getByRole('button', { name, exact: typeof name === 'string' });
  if ((await b.count()) === 0 || !(await b.first().isEnabled())) return false;
  await b.first().click();
  return true;
}

/**
 * One precision through the weight manager and one step on WASM; stages reported as they end. `webgpu`: the fp32
 * files already stored, loaded on the WebGPU backend (here the software adapter, too slow for a step): session only.
 */
async function runPrecision(page: Page, hub: StaticServer, run: Precision | 'webgpu', manifest: Json, mem: PeakSampler): Promise<void> {
  const p: Precision = run === 'webgpu' ? 'fp32' : run;
  const total = Object.values(manifest.components as Record<string, Json>).reduce((a, c) => a + fileBytes(c), 0);
  const denoiser = fileBytes(manifest.components.denoiser);
  console.log(`\n== ${run}: ${GB(total)} (denoiser ${GB(denoiser)})`);
  const url = `${hub.url}${p}/manifest.json`;
  if (run === 'webgpu') {
    const t = performance.now();
    mem.reset();
    await page.getByLabel('Backend').selectOption('webgpu');
    await page.waitForFunction(() => window.kineto?.getState().backendChoice === 'webgpu', null, { timeout: 10_000 });
    // The switch reloads the model in use on WebGPU: wait for that load to start, then to end.
    await page.waitForFunction(() => window.kineto?.getState().model.status === 'loading' || window.kineto?.getState().switching?.status === 'loading',
      null, { timeout: 5_000 }).catch(() => {});
    await page.waitForFunction(() => window.kineto?.getState().model.status !== 'loading' && window.kineto?.getState().switching?.status !== 'loading',
      null, { timeout: 600_000 });
    report('webgpu: the model in use reloaded on WebGPU', since(t), null, mem.peak());
  }
  let stage = { name: run === 'webgpu' ? 'stored files → session (WebGPU)' : 'download to 40 % of the model', t: performance.now(), bytes: 0 };
  mem.reset();
  const end = (next: string, bytes: number | null, note = '') => {
    report(`${p} ${stage.name}`, since(stage.t), bytes, mem.peak(), note);
    stage = { name: next, t: performance.now(), bytes: 0 };
    mem.reset();
  };
  await page.getByLabel('Model manifest URL').fill(url);
  await page.getByRole('button', { name: 'Load', exact: true }).click();

  let paused = false;
  let resumedFrom = 0;
  let last = '';
  const t0 = performance.now();
  const phases: string[] = [];
  for (;;) {
    await page.waitForTimeout(200);
    const s = await snapshot(page);
    const key = `${s.phase} | ${s.denoiser ?? ''}`;
    if (key !== last) {
      phases.push(`${since(t0).toFixed(1).padStart(7)} s  ${key}`);
      last = key;
    }
    if (s.phase.startsWith('failed')) {
      end('failed', s.stored, s.phase);
      console.log(phases.join('\n'));
      throw new Error(`${p}: ${s.phase}`);
    }
    if (await clickIfShown(page, 'Download and load')) continue;
    if (await clickIfShown(page, 'Try anyway')) continue;
    if (s.phase === 'confirm-release' && (await clickIfShown(page, /^Release .* and load$/))) continue;
    if (run !== 'webgpu' && !paused && s.total > 0 && s.stored >= 0.4 * s.total && s.phase.includes('download downloading')) {
      await page.getByRole('button', { name: 'Pause' }).click();
      await page.waitForFunction(() => window.kineto?.getState().download?.status === 'paused', null, { timeout: 120_000 });
      const at = (await snapshot(page)).stored;
      end('pause → resume → download complete', at, `${MB(at / since(stage.t))}/s incl. hashing and OPFS writes`);
      resumedFrom = at;
      paused = true;
      await page.getByRole('button', { name: 'Resume', exact: true }).click();
      continue;
    }
    if (paused && stage.name.startsWith('pause') && s.stored >= s.total && s.total > 0) {
      end('verify + session creation (until ready)', s.stored - resumedFrom, `${MB((s.stored - resumedFrom) / since(stage.t))}/s`);
    }
    const ready = await page.evaluate((id) => {
      const st = window.kineto!.getState();
      return st.model.status === 'ready' && st.model.manifest.id === id && st.switching === null;
    }, manifest.id as string);
    if (ready) break;
  }
  console.log(phases.join('\n'));
  if (run === 'webgpu') return end('done', null);
  end('one denoiser step (1 step, 1 frame, WASM)', null);

  const requests = hub.requests.filter((r) => r.url.startsWith(`/${p}/unet/`));
  console.log(`${p} denoiser requests: ${requests.map((r) => `${r.url.split('/').pop()} ${r.status} ${r.range ?? 'no Range'} ${MB(r.bytes)}`).join('; ')}`);

  await page.getByLabel('Prompt', { exact: true }).fill('a red cat running on the beach');
  for (const [label, value] of Object.entries({ Seed: '1', Steps: '1', Frames: '1' })) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole('button', { name: 'Generate' }).click();
  await page.waitForFunction(() => window.kineto?.getState().run.status === 'running', null, { timeout: 10_000 }).catch(() => {});
  await page.waitForFunction(() => window.kineto?.getState().run.status === 'idle', null, { timeout: 30 * 60_000, polling: 1000 });
  const outcome = await page.evaluate(() => {
    const s = window.kineto!.getState();
    return s.run.outcome === 'done' ? 'done' : `${s.run.outcome}: ${s.error?.message ?? ''}`;
  });
  end('done', null, `outcome ${outcome}`);
  const stored = await page.evaluate(async (id) => {
    await window.kineto!.getState().refreshStorage();
    return window.kineto!.getState().cachedModels?.find((m) => m.id === id) ?? null;
  }, manifest.id as string);
  console.log(`${p} in OPFS: ${stored ? `${GB(stored.bytesOnDisk)} on disk, complete ${stored.complete}` : 'not listed'}`);
}

async function main(): Promise<void> {
  const only = process.argv.slice(2).filter((a) => a !== '--') as (Precision | 'webgpu')[];
  await exportPackage();
  const manifests = await writeServedCopies();
  const app = await startStaticServer('dist');
  const hub = await startStaticServer(path.join(DIR, 'serve'), {
    headers: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'Content-Range, Content-Length, Accept-Ranges' },
  });
  const browser = await launchBrowser();
  const mem = new PeakSampler(process.pid, 250, true);
  let failures = 0;
  try {
    const t = performance.now();
    await browser.page.goto(app.url);
    await browser.page.getByLabel('Backend').selectOption('wasm');
    await browser.page.waitForFunction(() => window.kineto?.getState().model.status === 'ready', null, { timeout: 120_000 });
    report('app ready (embedded model, WASM)', since(t), null, mem.peak());
    for (const p of only.length > 0 ? only : [...PRECISIONS, 'webgpu' as const]) {
      try {
        await runPrecision(browser.page, hub, p, manifests[p === 'webgpu' ? 'fp32' : p], mem);
      } catch (e) {
        failures++;
        console.log(`${p} stopped: ${e instanceof Error ? e.message : String(e)}`);
        console.log(browser.logs().split('\n').slice(-15).join('\n'));
      }
    }
  } finally {
    mem.stop();
    await browser.close();
    await app.close();
    await hub.close();
  }
  process.exitCode = failures > 0 ? 1 : 0;
}

await main();
