import { type LaunchedBrowser, launchBrowser, type StaticServer, startStaticServer } from '../tests/browser/harness';

/**
 * The built app served and opened in headless Chromium with its model loaded on WASM (bench sections share this).
 * `root`: the folder served, `dist` unless a section serves the app with another model package.
 */
export async function openAppOnWasm(root = 'dist'): Promise<{ server: StaticServer; browser: LaunchedBrowser; close(): Promise<void> }> {
  const server = await startStaticServer(root);
  const browser = await launchBrowser();
  const close = async () => {
    await browser.close();
    await server.close();
  };
  try {
    const { page } = browser;
    await page.goto(server.url);
    await page.getByLabel('Backend').selectOption('wasm');
    await page.waitForFunction(() => { const m = window.kineto?.getState().model; return m?.status === 'ready' && m.backendInfo.backend === 'wasm'; }, null, { timeout: 120_000 });
  } catch (e) {
    await close();
    throw e;
  }
  return { server, browser, close };
}
