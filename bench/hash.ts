/**
 * `npm run bench -- hash`: SHA-256 throughput of the weight manager's resumable hasher against hash-wasm and the
 * native (not resumable) digest, on 256 MiB, in Node and in Chromium. Every downloaded byte goes through the
 * resumable hasher, so its rate bounds how fast a model can be stored.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { buildTestPage, launchBrowser, startStaticServer } from '../tests/browser/harness';
import { type HashRate, measureHashers } from './hash-measure';
import type { BenchRow, BenchSection } from './report';

const MB = 256;

async function inChromium(): Promise<HashRate[]> {
  const outDir = await buildTestPage(path.resolve(import.meta.dirname, 'pages'), { hashBench: 'hash-bench.html' });
  const server = await startStaticServer(outDir);
  const b = await launchBrowser();
  try {
    await b.page.goto(`${server.url}hash-bench.html`);
    await b.page.waitForFunction(() => typeof window.hashBench === 'function');
    return await b.page.evaluate((mb) => window.hashBench(mb), MB);
  } finally {
    await b.close();
    await server.close();
    await rm(outDir, { recursive: true, force: true });
  }
}

function rows(where: string, rates: HashRate[]): BenchRow[] {
  const base = rates[0]!.mbPerS;
  return rates.map((r) => [`${where}: ${r.label}`, `${r.mbPerS.toFixed(0)} MiB/s`, `${(r.mbPerS / base).toFixed(2)}× the weight manager`]);
}

export const hashSection: BenchSection = {
  title: `SHA-256 of ${MB} MiB (resumable hashers vs the native digest)`,
  async run() {
    const node = await measureHashers(MB);
    const chromium = await inChromium();
    return { rows: [...rows('Node', node), ...rows('Chromium', chromium)] };
  },
};
