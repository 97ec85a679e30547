/**
 * Library numbers (part of `npm run bench`; alone: `npx tsx bench/library.ts` after `vite build`):
 * - saving overhead: the time to keep a finished clip (read its bytes, decode a poster frame, write IndexedDB) as a
 *   share of the run it follows, at the model's default settings (goal ≤ 5 %);
 * - opening a Library of 200 clips: from the "Library" click (performance mark `library-open`) to the first screen of
 *   thumbnails decoded (`library-first-thumbnails`), and from a page load straight onto `#library` (goal ≤ 300 ms).
 */
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { launchBrowser, startStaticServer } from '../tests/browser/harness';

const STORED_CLIPS = 200;
const RUNS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function generateAndSave(page: Page, seed: number): Promise<{ runSeconds: number; saveMs: number }> {
  await page.getByLabel('Seed', { exact: true }).fill(String(seed));
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.waitForFunction(() => window.kineto!.getState().run.status === 'running', null, { timeout: 10_000 }).catch(() => {});
  await page.waitForFunction(() => window.kineto!.getState().run.status === 'idle', null, { timeout: 600_000 });
  await page.waitForFunction(() => ['saved', 'failed'].includes(window.kinetoLibrary!.getState().save?.status ?? ''), null, { timeout: 60_000 });
  return page.evaluate(() => {
    const save = window.kinetoLibrary!.getState().save;
    if (save?.status !== 'saved') throw new Error(`not saved: ${JSON.stringify(save)}`);
    return { runSeconds: window.kineto!.getState().result!.timings.totalSeconds, saveMs: save.ms };
  });
}

/** Copies the newest stored clip until the Library holds `total` (fresh ids, dates a second apart). */
async function fillLibrary(page: Page, total: number): Promise<void> {
  await page.evaluate((n) => new Promise<void>((resolve, reject) => {
    const open = indexedDB.open('kineto-library');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const read = db.transaction(['clips', 'videos']);
      const clips = read.objectStore('clips');
      const all = clips.getAll();
      all.onsuccess = () => {
        const entries = all.result as { id: string; createdAt: number }[];
        const first = entries[0]!;
        const video = read.objectStore('videos').get(first.id);
        video.onsuccess = () => {
          const tx = db.transaction(['clips', 'videos'], 'readwrite');
          for (let i = entries.length; i < n; i++) {
            const id = crypto.randomUUID();
            tx.objectStore('clips').put({ ...first, id, createdAt: first.createdAt - i * 1000 });
            tx.objectStore('videos').put({ ...video.result, id });
          }
          tx.oncomplete = () => (db.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      };
    };
  }), total);
}

/** ms between two performance marks of this page (the latest of each). */
function between(page: Page, from: string | null, to: string): Promise<number> {
  return page.waitForFunction(([a, b]) => {
    const end = performance.getEntriesByName(b!, 'mark').at(-1);
    if (!end) return null;
    const start = a === null ? 0 : performance.getEntriesByName(a, 'mark').at(-1)?.startTime;
    return start === undefined ? null : end.startTime - start;
  }, [from, to] as const, { timeout: 60_000 }).then((h) => h.jsonValue() as Promise<number>);
}

export async function libraryBench(): Promise<void> {
  const server = await startStaticServer('dist');
  const browser = await launchBrowser();
  try {
    const { page } = browser;
    await page.goto(server.url);
    await page.waitForFunction(() => window.kineto?.getState().draftModelId != null, null, { timeout: 180_000 });
    await page.getByLabel('Prompt', { exact: true }).fill('a red circle moving left on a black background');
    await generateAndSave(page, 1); // warm-up
    const saves: { runSeconds: number; saveMs: number }[] = [];
    for (let i = 0; i < RUNS; i++) saves.push(await generateAndSave(page, 2 + i));
    const share = median(saves.map((s) => s.saveMs / 1000 / s.runSeconds)) * 100;
    const steps = await page.getByLabel('Steps', { exact: true }).inputValue();

    await fillLibrary(page, STORED_CLIPS);
    const nav = page.getByRole('navigation', { name: 'Views' });
    const clicks: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await page.evaluate(() => performance.clearMarks());
      await nav.getByRole('link', { name: 'Library', exact: true }).click();
      clicks.push(await between(page, 'library-open', 'library-first-thumbnails'));
      const count = await page.getByRole('list', { name: 'Saved clips' }).getByRole('listitem').count();
      if (count !== STORED_CLIPS) throw new Error(`the Library lists ${count} clips, expected ${STORED_CLIPS}`);
      await nav.getByRole('link', { name: 'Create', exact: true }).click();
    }
    const loads: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await page.goto(`${server.url}#library`);
      loads.push(await between(page, null, 'library-first-thumbnails'));
    }
    const rows = [
      [`keeping a clip (poster + IndexedDB), default settings (${steps} steps)`, `${median(saves.map((s) => s.saveMs)).toFixed(0)} ms`, `${share.toFixed(2)} % of the run (${median(saves.map((s) => s.runSeconds)).toFixed(2)} s); goal ≤ 5 %`],
      [`Library of ${STORED_CLIPS}: "Library" click → first thumbnails`, `${median(clicks).toFixed(0)} ms`, `runs ${clicks.map((c) => c.toFixed(0)).join(', ')} ms; goal ≤ 300 ms`],
      [`Library of ${STORED_CLIPS}: page load on #library → first thumbnails`, `${median(loads).toFixed(0)} ms`, `runs ${loads.map((c) => c.toFixed(0)).join(', ')} ms (from navigation start)`],
    ];
    console.log(`Library — median of ${RUNS}`);
    for (const [a, b, c] of rows) console.log(`${a!.padEnd(64)} ${b!.padStart(9)}   ${c}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await libraryBench();
