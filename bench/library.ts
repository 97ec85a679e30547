/**
 * Library numbers (part of `npm run bench`; alone: `npx tsx bench/library.ts` after `vite build --mode automation`):
 * - saving overhead: the worker's poster (a JPEG of the middle frame, `timings.posterSeconds`) plus the page's save
 *   (quota check and one IndexedDB transaction, from the result's arrival to "saved") as a share of the run, at the
 *   model's default settings (goal ≤ 5 %);
 * - opening a Library of 200 clips: from the "Library" click (performance mark `library-open`) to the first screen of
 *   thumbnails decoded (`library-first-thumbnails`) (goal ≤ 300 ms), and on a fresh page load straight onto
 *   `#library` (a new document: navigation start → first thumbnails, and `library-open` → first thumbnails).
 */
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { launchBrowser, startStaticServer } from '../tests/browser/harness';

const STORED_CLIPS = 200;
const RUNS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

type Save = { runSeconds: number; posterMs: number; saveMs: number };

async function generateAndSave(page: Page, seed: number): Promise<Save> {
  await page.getByLabel('Seed', { exact: true }).fill(String(seed));
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.waitForFunction(() => window.kineto!.getState().run.status === 'running', null, { timeout: 10_000 }).catch(() => {});
  await page.waitForFunction(() => window.kineto!.getState().run.status === 'idle', null, { timeout: 600_000 });
  await page.waitForFunction(() => ['saved', 'failed'].includes(window.kineto!.getState().library.save?.status ?? ''), null, { timeout: 60_000 });
  return page.evaluate(() => {
    const save = window.kineto!.getState().library.save;
    if (save?.status !== 'saved') throw new Error(`not saved: ${JSON.stringify(save)}`);
    const { timings } = window.kineto!.getState().result!.facts;
    return { runSeconds: timings.totalSeconds, posterMs: timings.posterSeconds * 1000, saveMs: save.ms };
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

/** Checks that the Library counts all its clips and lists (the first page of) them. */
async function expectListed(page: Page): Promise<void> {
  const total = await page.evaluate(() => window.kineto!.getState().library.total);
  const cards = await page.getByRole('list', { name: 'Saved clips' }).getByRole('listitem').count();
  if (total !== STORED_CLIPS || cards === 0) throw new Error(`the Library counts ${total} clips and lists ${cards}, expected ${STORED_CLIPS}`);
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
    const saves: Save[] = [];
    for (let i = 0; i < RUNS; i++) saves.push(await generateAndSave(page, 2 + i));
    const keepMs = (s: Save) => s.posterMs + s.saveMs;
    const share = median(saves.map((s) => keepMs(s) / 1000 / s.runSeconds)) * 100;
    const steps = await page.getByLabel('Steps', { exact: true }).inputValue();

    await fillLibrary(page, STORED_CLIPS);
    const nav = page.getByRole('navigation', { name: 'Views' });
    const clicks: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await page.evaluate(() => performance.clearMarks());
      await nav.getByRole('link', { name: 'Library', exact: true }).click();
      clicks.push(await between(page, 'library-open', 'library-first-thumbnails'));
      await expectListed(page);
      await nav.getByRole('link', { name: 'Create', exact: true }).click();
    }
    const loads: number[] = [];
    const fromOpen: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Only a hash apart from the page on screen, goto would be a same-document navigation: leave the app first.
      await page.goto('about:blank');
      await page.goto(`${server.url}#library`);
      loads.push(await between(page, null, 'library-first-thumbnails'));
      fromOpen.push(await between(page, 'library-open', 'library-first-thumbnails'));
      await expectListed(page);
    }
    const rows = [
      [`keeping a clip (poster + IndexedDB), default settings (${steps} steps)`, `${median(saves.map(keepMs)).toFixed(0)} ms`, `${share.toFixed(2)} % of the run (${median(saves.map((s) => s.runSeconds)).toFixed(2)} s); poster in the worker ${median(saves.map((s) => s.posterMs)).toFixed(1)} ms + save on the page ${median(saves.map((s) => s.saveMs)).toFixed(1)} ms; goal ≤ 5 %`],
      [`Library of ${STORED_CLIPS}: "Library" click → first thumbnails`, `${median(clicks).toFixed(0)} ms`, `runs ${clicks.map((c) => c.toFixed(0)).join(', ')} ms; goal ≤ 300 ms`],
      [`Library of ${STORED_CLIPS}: page load on #library → first thumbnails`, `${median(loads).toFixed(0)} ms`, `runs ${loads.map((c) => c.toFixed(0)).join(', ')} ms (from navigation start; goal ≤ 300 ms)`],
      [`  of which "library-open" (app started) → first thumbnails`, `${median(fromOpen).toFixed(0)} ms`, `runs ${fromOpen.map((c) => c.toFixed(0)).join(', ')} ms`],
    ];
    console.log(`Library — median of ${RUNS}`);
    for (const [a, b, c] of rows) console.log(`${a!.padEnd(64)} ${b!.padStart(9)}   ${c}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await libraryBench();
