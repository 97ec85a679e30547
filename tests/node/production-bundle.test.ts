/**
 * The shipped build carries no automation hooks (src/automation.ts): built in mode `production` its scripts name
 * no automation request, fault or bench mark, and expose no store on `window`. The same build in mode `automation`
 * (what `npm test` and `npm run bench` use) must carry every one of them, so this test can tell the two apart.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

const HOOKS = ['test-fault', 'injectTestFault', 'setStorageSettings', 'storage-settings', 'sessions-out-of-memory', 'lab-drawn:', 'library-open', '.kineto='];

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** Every script of a build made in `mode`, concatenated. */
async function builtScripts(mode: string): Promise<string> {
  const outDir = await mkdtemp(path.join(tmpdir(), `kineto-${mode}-`));
  dirs.push(outDir);
  await build({ mode, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  const files = (await readdir(outDir, { recursive: true })).filter((f) => f.endsWith('.js'));
  const texts = await Promise.all(files.map((f) => readFile(path.join(outDir, f), 'utf8')));
  return texts.join('\n');
}

describe('production bundle', () => {
  it('drops every automation hook that the automation build carries', async () => {
    const [shipped, automation] = [await builtScripts('production'), await builtScripts('automation')];
    for (const hook of HOOKS) expect.soft(automation, `automation build has ${hook}`).toContain(hook);
    for (const hook of HOOKS) expect.soft(shipped, `shipped build has ${hook}`).not.toContain(hook);
  });
});
