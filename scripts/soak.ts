/**
 * `npm run soak` (not in CI): a long session in headless Chromium on WASM with the embedded model — generations in a
 * row with alternating settings and a model switch every 10 (the built-in model ⇄ a copy of it downloaded from a
 * second local server) — printing the page's and the workers' memory after each
 * (`performance.measureUserAgentSpecificMemory`, made eager by a Blink flag) and the Chromium processes' RSS.
 * Fails when any generation fails or when page + worker memory grows by more than 10 % from generation 10 to the
 * last. `SOAK_GENERATIONS=n` runs fewer (at least 11) when the machine is busy.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchBrowser, startStaticServer, writeModelCopy } from '../tests/browser/harness';

const GENERATIONS = Math.max(11, Number(process.env.SOAK_GENERATIONS ?? 50));
const SWITCH_EVERY = 10;
const MAX_GROWTH = 0.1;
/** Alternating settings: scheduler, steps, frames, size, format and preview all change between runs. */
const SETTINGS = [
  { Steps: '2', Frames: '4', 'Output size': '64', Scheduler: 'ddim', Format: 'mp4', Preview: 'decode' },
  { Steps: '3', Frames: '8', 'Output size': '128', Scheduler: 'euler', Format: 'webm', Preview: 'latent-rgb' },
  { Steps: '2', Frames: '16', 'Output size': '96', Scheduler: 'dpm-solver++', Format: 'mp4', Preview: 'none' },
] as const;

type Memory = { pageBytes: number; workerBytes: number; rssBytes: number };

const MB = (b: number) => (b / 1024 / 1024).toFixed(1);

/** Resident memory of every Chromium process (renderer with its workers, GPU, browser), in bytes. */
function chromiumRss(): number {
  const out = execFileSync('ps', ['-C', 'chromium', '-o', 'rss='], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).reduce((a, l) => a + Number(l.trim()) * 1024, 0);
}

async function main(): Promise<void> {
  const root = await mkdtemp(path.join(tmpdir(), 'kineto-soak-'));
  await writeModelCopy(path.join(root, 'copy'), 'soak-copy');
  const app = await startStaticServer(process.env.KINETO_DIST ?? 'dist');
  const hub = await startStaticServer(root, { headers: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'Content-Range, Content-Length' } });
  const browser = await launchBrowser({ args: ['--enable-blink-features=ForceEagerMeasureMemory'] });
  const { page } = browser;
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
      const ua = await page.evaluate(async () => {
        const m = await (performance as Performance & { measureUserAgentSpecificMemory(): Promise<{ breakdown: { bytes: number; attribution: { scope: string }[] }[] }> }).measureUserAgentSpecificMemory();
        let pageBytes = 0;
        let workerBytes = 0;
        for (const b of m.breakdown) {
          if (b.attribution.some((a) => a.scope === 'Window')) pageBytes += b.bytes;
          else if (b.attribution.some((a) => a.scope.endsWith('WorkerGlobalScope'))) workerBytes += b.bytes;
        }
        return { pageBytes, workerBytes };
      });
      const m = { ...ua, rssBytes: chromiumRss() };
      memory.push(m);
      const model = await page.evaluate(() => {
        const st = window.kineto!.getState().model;
        return st.status === 'ready' ? st.manifest.name : st.status;
      });
      console.log(`gen ${String(gen).padStart(2)} ${outcome} ${((performance.now() - t0) / 1000).toFixed(1)} s  ${model.padEnd(16)} steps ${s.Steps} frames ${s.Frames.padStart(2)} ${s['Output size'].padStart(3)} px ${s.Scheduler.padEnd(12)} ${s.Format}  page ${MB(m.pageBytes)} MB  worker ${MB(m.workerBytes)} MB  chromium RSS ${MB(m.rssBytes)} MB`);
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
  const total = (m: Memory) => m.pageBytes + m.workerBytes;
  const at10 = memory[SWITCH_EVERY - 1]!;
  const last = memory[memory.length - 1]!;
  const growth = total(last) / total(at10) - 1;
  console.log(`\npage + worker memory: gen 10 ${MB(total(at10))} MB → gen ${memory.length} ${MB(total(last))} MB (${(growth * 100).toFixed(1)} %); ` +
    `chromium RSS ${MB(at10.rssBytes)} → ${MB(last.rssBytes)} MB (${((last.rssBytes / at10.rssBytes - 1) * 100).toFixed(1)} %)`);
  if (failures.length > 0) console.log(`FAILED generations:\n${failures.join('\n')}`);
  if (growth > MAX_GROWTH) console.log(`FAILED: memory grew by more than ${MAX_GROWTH * 100} %`);
  process.exitCode = failures.length > 0 || growth > MAX_GROWTH ? 1 : 0;
}

await main();
