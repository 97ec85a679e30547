/**
 * A broken model package must produce a specific message in the UI — naming the bad field or file — and the app
 * must recover once the package is fixed ("Try loading again"), without a page reload.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, launchBrowser, type StaticServer, startStaticServer } from './harness';

type Fault = 'none' | 'missing-field' | 'missing-file' | 'truncated-file' | 'corrupt-file';
let fault: Fault = 'none';
let server: StaticServer;
let browser: LaunchedBrowser;

const MODEL = 'dist/models/kineto-shapes/';

beforeAll(async () => {
  server = await startStaticServer('dist', {
    handle: (req, res) => {
      const url = req.url ?? '';
      if (fault === 'missing-field' && url.endsWith('/manifest.json')) {
        const m = JSON.parse(readFileSync(MODEL + 'manifest.json', 'utf8'));
        delete m.latent.channels;
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(m));
        return true;
      }
      // Every denoiser file (Fast's in each weight variant): a broken Fast one alone falls back to Quality's with a
      // notice (tests/node/engine/presets.test.ts).
      const file = /\/(denoiser(-fast(\.int8)?)?\.onnx)$/.exec(url)?.[1];
      if (!file) return false;
      const bytes = readFileSync(MODEL + file);
      if (fault === 'missing-file') res.writeHead(404).end();
      else if (fault === 'truncated-file') res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(bytes.subarray(0, bytes.length >> 1));
      else if (fault === 'corrupt-file') {
        bytes[bytes.length >> 1]! ^= 0xff;
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(bytes);
      } else return false;
      return true;
    },
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const cases: [Fault, string | RegExp][] = [
  ['missing-field', '"latent.channels" must be an integer'],
  ['missing-file', /denoiser(-fast(\.int8)?)?\.onnx was not found/],
  ['truncated-file', /denoiser(-fast(\.int8)?)?\.onnx is truncated/],
  ['corrupt-file', /denoiser(-fast(\.int8)?)?\.onnx is corrupt: its sha256/],
];

describe('broken model packages', () => {
  for (const [f, expected] of cases) {
    it(`${f}: says what is wrong, then recovers`, async () => {
      // A fresh profile per case: the service worker precaches the embedded model, and a precached good file would
      // hide this case's broken one.
      await browser?.close();
      browser = await launchBrowser();
      const { page } = browser;
      fault = f;
      await page.goto(server.url);
      await page.waitForFunction(() => window.kineto?.getState().model.status === 'failed', null, { timeout: 60_000 });
      await expect.poll(async () => (await page.getByRole('alert').allTextContents()).join(' ')).toMatch(expected);

      fault = 'none';
      await page.getByRole('button', { name: 'Try loading again' }).click();
      await page.waitForFunction(() => window.kineto?.getState().model.status === 'ready', null, { timeout: 60_000 });
      expect(await page.getByRole('button', { name: 'Generate' }).isEnabled()).toBe(true);
    });
  }
});
