/**
 * `npm run soak` (not in CI): a long session in headless Chromium on WASM with the embedded model — generations in a
 * row with alternating settings and a model switch every 10 (the built-in model ⇄ a copy of it downloaded from a
 * second local server) — printing after each the resident memory of the renderer process (the page and its workers,
 * WASM heaps included), the page's JS heap after a collection (DevTools protocol), and all Chromium processes' RSS.
 * `performance.measureUserAgentSpecificMemory` would split page from worker, but headless Chromium answers it only
 * after ~60 s. Fails when any generation fails or when the renderer grows by more than 10 % from generation 10 to
 * the last (each the mean of five generations). `SOAK_GENERATIONS=n` runs fewer (at least 11) when the machine is busy.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CHROMIUM_PATH, launchBrowser, startStaticServer, writeModelCopy } from '../tests/browser/harness';

const GENERATIONS = Math.max(11, Number(process.env.SOAK_GENERATIONS ?? 50));
const SWITCH_EVERY = 10;
const MAX_GROWTH = 0.1;
/** Alternating settings: scheduler, steps, frames, size, format and preview all change between runs. */
const SETTINGS = [
  { Steps: '2', Frames: '4', 'Output size': '64', Scheduler: 'ddim', Format: 'mp4', Preview: 'decode' },
  { Steps: '3', Frames: '8', 'Output size': '128', Scheduler: 'euler', Format: 'webm', Preview: 'latent-rgb' },
  { Steps: '2', Frames: '16', 'Output size': '96', Scheduler: 'dpm-solver++', Format: 'mp4', Preview: 'none' },
] as const;

type Memory = { rendererBytes: number; pageHeapBytes: number; rssBytes: number };

const MB = (b: number) => (b / 1024 / 1024).toFixed(1);

/** Resident memory of the Chromium processes, in bytes: all of them, and the renderers (pages with their workers). */
function chromiumRss(): { all: number; renderers: number } {
  // By executable name: `chromium` for Debian's, `chrome` for Google's (CHROMIUM_PATH).
  const out = execFileSync('ps', ['-C', path.basename(CHROMIUM_PATH), '-o', 'rss=,args='], { encoding: 'utf8' });
  let all = 0;
  let renderers = 0;
  for (const line of out.split('\n').filter(Boolean)) {
    const bytes = Number(line.trim().split(/\s+/)[0]) * 1024;
    all += bytes;
    if (line.includes('--type=renderer')) renderers += bytes;
  }
  return { all, renderers };
}

async function main(): Promise<void> {
  const root = await mkdtemp(path.join(tmpdir(), 'kineto-soak-'));
  await writeModelCopy(path.join(root, 'copy'), 'soak-copy');
  const app = await startStaticServer(process.env.KINETO_DIST ?? 'dist');
  const hub = await startStaticServer(root, { headers: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'Content-Range, Content-Length' } });
  const browser = await launchBrowser();
  const { page } = browser;
  const cdp = await browser.context.newCDPSession(page);
  const failures: string[] = [];
  const memory: Memory[] = [];
  try {
    await page.goto(app.url, { timeout: 300_000 });
    // The select is disabled while the first model loads or the backend is probed.
    await page.getByLabel('Backend').selectOption('wasm', { timeout: 300_000 });
    const settled = async (name: string) => {
      await page.waitForFunction((n) => {
        const s = window.kineto?.getState();
        return s?.model.status === 'ready' && s.model.manifest.name === n && s.switching === null && s.model.backendInfo.backend === 'wasm';
      }, name, { timeout: 300_000 });
    };
    await settled('Kineto-Shapes');
    await page.getByLabel('Prompt', { exact: true }).fill('a red circle moving left on a black background');
    for (let gen = 1; gen <= GENERATIONS; gen++) {
      const s = SETTINGS[gen % SETTINGS.length]!;
      for (const label of ['Steps', 'Frames', 'Output size'] as const) await page.getByLabel(label, { exact: true }).fill(s[label]);
      await page.getByLabel('Seed', { exact: true }).fill(String(gen));
      for (const label of ['Scheduler', 'Format', 'Preview'] as const) await page.getByLabel(label, { exact: true }).selectOption(s[label]);
      const t0 = performance.now();
      await page.getByRole('button', { name: 'Generate', exact: true }).click();
      await page.waitForFunction(() => window.kineto?.getState().run.status === 'running', null, { timeout: 10_000 }).catch(() => {});
      await page.waitForFunction(() => window.kineto?.getState().run.status === 'idle', null, { timeout: 300_000 });
      const outcome = await page.evaluate(() => window.kineto!.getState().run.outcome);
      if (outcome !== 'done') failures.push(`generation ${gen}: ${outcome} ${JSON.stringify(await page.evaluate(() => window.kineto!.getState().error))}`);
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      const rss = chromiumRss();
      const m: Memory = { rendererBytes: rss.renderers, pageHeapBytes: usedSize, rssBytes: rss.all };
      memory.push(m);
      const model = await page.evaluate(() => {
        const st = window.kineto!.getState().model;
        return st.status === 'ready' ? st.manifest.name : st.status;
      });
      console.log(`gen ${String(gen).padStart(2)} ${outcome} ${((performance.now() - t0) / 1000).toFixed(1)} s  ${model.padEnd(16)} steps ${s.Steps} frames ${s.Frames.padStart(2)} ${s['Output size'].padStart(3)} px ${s.Scheduler.padEnd(12)} ${s.Format}  renderer ${MB(m.rendererBytes)} MB  page heap ${MB(m.pageHeapBytes)} MB  chromium ${MB(m.rssBytes)} MB`);
      if (gen % SWITCH_EVERY === 0 && gen < GENERATIONS) {
        const toCopy = (gen / SWITCH_EVERY) % 2 === 1;
        await page.evaluate((url) => (url ? window.kineto!.getState().loadFromUrl(url) : window.kineto!.getState().useEmbeddedModel()), toCopy ? `${hub.url}copy/manifest.json` : null);
        await settled(toCopy ? 'Shapes soak-copy' : 'Kineto-Shapes');
        console.log(`   switched to ${toCopy ? 'Shapes soak-copy' : 'Kineto-Shapes'}`);
      }
    }
  } finally {
    await browser.close();
    await app.close();
    await hub.close();
    await rm(root, { recursive: true, force: true });
  }
  // Single RSS readings jump by ±20 % between generations (garbage collection, the WASM arena), so each end is the
  // mean of five: generations 6–10 against the last five.
  const mean = (ms: Memory[], key: keyof Memory) => ms.reduce((a, m) => a + m[key], 0) / ms.length;
  const early = memory.slice(SWITCH_EVERY - 5, SWITCH_EVERY);
  const late = memory.slice(-5);
  const growth = mean(late, 'rendererBytes') / mean(early, 'rendererBytes') - 1;
  const line = (label: string, key: keyof Memory) => {
    const a = mean(early, key);
    const b = mean(late, key);
    return `${label} ${MB(a)} → ${MB(b)} MB (${((b / a - 1) * 100).toFixed(1)} %)`;
  };
  console.log(`\nmean of generations 6–10 → mean of the last five: ${line('renderer (page + workers)', 'rendererBytes')}; ` +
    `${line('page heap', 'pageHeapBytes')}; ${line('all chromium', 'rssBytes')}`);
  if (failures.length > 0) console.log(`FAILED generations:\n${failures.join('\n')}`);
  if (growth > MAX_GROWTH) console.log(`FAILED: memory grew by more than ${MAX_GROWTH * 100} %`);
  process.exitCode = failures.length > 0 || growth > MAX_GROWTH ? 1 : 0;
}

await main();
