/**
 * The cold path: a fresh browser opens the page and makes its first clip on WASM at the default settings; then the
 * same on a return visit (a reload in the same profile: HTTP cache, service worker and V8's code cache, which keeps
 * onnxruntime's optimised functions, are warm).
 */
import { launchBrowser, startStaticServer } from '../tests/browser/harness';
import { appReadyOnWasm, generateInApp, PROMPT } from './clip';
import { type BenchSection, seconds } from './report';

export const coldSection: BenchSection = {
  title: 'Cold path: page open → first finished clip (fresh profile, Backend left on Auto, default settings)',
  async run() {
    const server = await startStaticServer('dist');
    const b = await launchBrowser();
    try {
      const visit = async () => {
        const t0 = performance.now();
        await (b.page.url() === 'about:blank' ? b.page.goto(server.url, { timeout: 120_000 }) : b.page.reload({ timeout: 120_000 }));
        await appReadyOnWasm(b.page);
        const ready = (performance.now() - t0) / 1000;
        await b.page.getByLabel('Prompt', { exact: true }).fill(PROMPT);
        const t = await generateInApp(b.page, b.logs);
        return { ready, clip: t.totalSeconds, total: (performance.now() - t0) / 1000 };
      };
      const first = await visit();
      const again = await visit();
      return {
        rows: [
          ['page open → model ready on WASM', seconds(first.ready)],
          ['first clip (generate + encode)', seconds(first.clip)],
          ['page open → first finished clip', seconds(first.total), 'includes typing the prompt (automated, ≈ instant)'],
          ['return visit: page open → model ready', seconds(again.ready)],
          ['return visit: first clip', seconds(again.clip)],
          ['return visit: page open → first finished clip', seconds(again.total)],
        ],
        metrics: { coldSeconds: first.total },
      };
    } finally {
      await b.close();
      await server.close();
    }
  },
};
