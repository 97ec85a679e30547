/**
 * The cold path: a fresh browser opens the page and makes its first clip on WASM at the default settings; then the
 * same on a return visit (a reload in the same profile: HTTP cache, service worker and V8's code cache, which keeps
 * onnxruntime's optimised functions, are warm); and a person who types for a while, so that the CPU warm-up ends first.
 */
import { type LaunchedBrowser, launchBrowser, startStaticServer } from '../tests/browser/harness';
import { appReadyOnWasm, generateInApp, PROMPT } from './clip';
import { type BenchSection, seconds } from './report';

/**
 * Opens the page (or reloads it), waits for the model on WASM, gives `beforeTyping` its turn, then types the prompt
 * and makes the default clip. Seconds from page open to ready and to the finished clip, and the clip's own.
 */
async function visit(b: LaunchedBrowser, url: string, beforeTyping: () => Promise<void> = async () => {}): Promise<{ ready: number; clip: number; total: number }> {
  const t0 = performance.now();
  await (b.page.url() === 'about:blank' ? b.page.goto(url, { timeout: 120_000 }) : b.page.reload({ timeout: 120_000 }));
  await appReadyOnWasm(b.page);
  const ready = (performance.now() - t0) / 1000;
  await beforeTyping();
  await b.page.getByLabel('Prompt', { exact: true }).fill(PROMPT);
  const t = await generateInApp(b.page, b.logs);
  return { ready, clip: t.totalSeconds, total: (performance.now() - t0) / 1000 };
}

/** A person who takes a while to type: a fresh profile, where the CPU warm-up (engine/warm-up.ts) ends first. */
async function afterWarmUp(url: string): Promise<{ clip: number; warmUp: string; runSeconds: number[] }> {
  const b = await launchBrowser();
  try {
    let warmUp = '';
    let runSeconds: number[] = [];
    const { clip } = await visit(b, url, async () => {
      await b.page.waitForFunction(() => window.kineto?.getState().warmUp?.status === 'done', null, { timeout: 120_000 });
      warmUp = await b.page.getByTestId('warm-up').innerText();
      runSeconds = await b.page.evaluate(() => { const w = window.kineto!.getState().warmUp; return w?.status === 'done' ? w.report.runSeconds : []; });
    });
    return { clip, warmUp, runSeconds };
  } finally {
    await b.close();
  }
}

export const coldSection: BenchSection = {
  title: 'Cold path: page open → first finished clip (fresh profile, Backend left on Auto, default settings)',
  async run() {
    const server = await startStaticServer('dist');
    const b = await launchBrowser();
    try {
      const first = await visit(b, server.url);
      const again = await visit(b, server.url);
      const typed = await afterWarmUp(server.url);
      return {
        rows: [
          ['page open → model ready on WASM', seconds(first.ready)],
          ['first clip (generate + encode)', seconds(first.clip)],
          ['page open → first finished clip', seconds(first.total), 'includes typing the prompt (automated, ≈ instant)'],
          ['return visit: page open → model ready', seconds(again.ready)],
          ['return visit: first clip', seconds(again.clip)],
          ['return visit: page open → first finished clip', seconds(again.total)],
          ['CPU warm-up after the model is ready, in all', seconds(typed.runSeconds.reduce((a, b) => a + b, 0)), `practice clips: ${typed.runSeconds.map((x) => x.toFixed(2)).join(', ')} s`],
          ['fresh profile, prompt typed after the CPU warm-up: first clip', seconds(typed.clip), typed.warmUp],
        ],
        metrics: { coldSeconds: first.total },
      };
    } finally {
      await b.close();
      await server.close();
    }
  },
};
