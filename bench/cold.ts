/** The cold path: a fresh browser opens the page and makes its first clip on WASM at the default settings. */
import { launchBrowser, startStaticServer } from '../tests/browser/harness';
import { appReadyOnWasm, generateInApp, PROMPT } from './clip';
import { type BenchSection, seconds } from './report';

export const coldSection: BenchSection = {
  title: 'Cold path: page open → first finished clip (fresh profile, Backend left on Auto, default settings)',
  async run() {
    const server = await startStaticServer('dist');
    const b = await launchBrowser();
    try {
      const t0 = performance.now();
      await b.page.goto(server.url, { timeout: 120_000 });
      await appReadyOnWasm(b.page);
      const ready = (performance.now() - t0) / 1000;
      await b.page.getByLabel('Prompt', { exact: true }).fill(PROMPT);
      const t = await generateInApp(b.page, b.logs);
      const total = (performance.now() - t0) / 1000;
      return {
        rows: [
          ['page open → model ready on WASM', seconds(ready)],
          ['first clip (generate + encode)', seconds(t.totalSeconds)],
          ['page open → first finished clip', seconds(total), 'includes typing the prompt (automated, ≈ instant)'],
        ],
        metrics: { coldSeconds: total },
      };
    } finally {
      await b.close();
      await server.close();
    }
  },
};
