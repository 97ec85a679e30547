/**
 * Shared harness for browser tests: a static server with cross-origin isolation and Range support, a headless
 * Chromium driven by playwright-core (Debian's, or the one `CHROMIUM_PATH` names), a Vite build of a test page, and a
 * Node-side video parser.
 *
 * Typical use (an app e2e test):
 *
 *   const server = await startStaticServer('dist');
 *   const browser = await launchBrowser();
 *   await browser.page.goto(server.url);
 *   ... assertions; on failure print browser.logs() ...
 *   await browser.close(); await server.close();
 */
import { createReadStream, type Stats } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ALL_FORMATS, BufferSource, EncodedPacketSink, Input } from 'mediabunny';
import { chromium, type BrowserContext, type ConsoleMessage, type Locator, type Page } from 'playwright-core';
import { appHeadersFor, kindOfPath } from '../../src/pwa/app-headers';

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.bin': 'application/octet-stream',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * Every response carries the app's headers for its path unless a test drops them (`''`): isolation (so the page is
 * `crossOriginIsolated`) and the page's or the worker's Content-Security-Policy, as a host configured per the README
 * sends them. These are their names.
 */
export const APP_HEADER_NAMES: readonly string[] = Object.keys(appHeadersFor('document'));

/** One served request, appended when its response has finished (or the connection was cut). */
export type RequestRecord = {
  method: string;
  /** URL path with query, as requested. */
  url: string;
  status: number;
  /** The `Range` request header, if any. */
  range: string | null;
  /** Body bytes sent (0 for HEAD, 304, errors). */
  bytes: number;
  /** False when the client or a `handle` hook destroyed the connection before the response ended. */
  completed: boolean;
};

export type StaticServerOptions = {
  /** Extra or overriding response headers, e.g. `{ 'Cross-Origin-Embedder-Policy': '' }` to drop isolation ('' removes). */
  headers?: Record<string, string>;
  /**
   * Runs before the file lookup; return true when it has answered (or destroyed) the request itself. For fault
   * injection: `req.socket.end()` or `destroy()` to cut a download, a 500, a slow stream. Its requests are logged too.
   */
  handle?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean | Promise<boolean>;
};

export type StaticServer = {
  /** Origin with trailing slash, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  /** Every request so far, in completion order; tests may clear it with `requests.length = 0`. */
  requests: RequestRecord[];
  close(): Promise<void>;
};

/**
 * A `handle` that serves the files of `dir` under the URL path `prefix` (e.g. `/hub/`), as a model host would;
 * paths leaving `dir` fall through, missing files are 404.
 */
export function serveFolderAt(prefix: string, dir: string): NonNullable<StaticServerOptions['handle']> {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x').pathname;
    if (!url.startsWith(prefix)) return false;
    const file = path.resolve(dir, '.' + decodeURIComponent(url.slice(prefix.length - 1)));
    if (!file.startsWith(dir + path.sep)) return false;
    try {
      const bytes = await readFile(file);
      res.writeHead(200, { 'Content-Type': MIME_TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(bytes);
    } catch {
      res.writeHead(404).end();
    }
    return true;
  };
}

/**
 * Serves the files under `root` on 127.0.0.1 (free port) with correct MIME types, the app's headers, HEAD,
 * single-range `Range` requests (206 / 416) and `Cache-Control: no-store` so every fetch reaches the request log.
 * Directories serve their `index.html`; paths outside `root` are 404.
 */
export async function startStaticServer(root: string, opts: StaticServerOptions = {}): Promise<StaticServer> {
  const base = path.resolve(root);
  const requests: RequestRecord[] = [];

  const server = http.createServer((req, res) => {
    let bytes = 0;
    // Counting at write()/end() time measures what left the server, including a body cut short.
    const count = (chunk: unknown) => {
      if (typeof chunk === 'string' || chunk instanceof Uint8Array) bytes += Buffer.byteLength(chunk);
    };
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
    res.write = ((chunk: unknown, ...rest: unknown[]) => (count(chunk), write(chunk, ...rest))) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => (typeof chunk !== 'function' && count(chunk), end(chunk, ...rest))) as typeof res.end;
    res.on('close', () => {
      requests.push({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        status: res.statusCode,
        range: req.headers.range ?? null,
        bytes,
        completed: res.writableFinished,
      });
    });
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    const headers = { ...appHeadersFor(kindOfPath(pathname)), 'Cache-Control': 'no-store', ...opts.headers };
    for (const [name, value] of Object.entries(headers)) if (value !== '') res.setHeader(name, value);
    serve(base, req, res, opts.handle).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Browsers keep idle keep-alive sockets open; close them or close() waits for their timeout.
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

async function serve(
  base: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  handle: StaticServerOptions['handle'],
): Promise<void> {
  if (handle && (await handle(req, res))) return;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const file = await resolveFile(base, new URL(req.url ?? '/', 'http://x').pathname);
  if (!file) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
    return;
  }
  const size = file.stats.size;
  res.setHeader('Content-Type', MIME_TYPES[path.extname(file.path).toLowerCase()] ?? 'application/octet-stream');
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Last-Modified', file.stats.mtime.toUTCString());

  let start = 0;
  let end = size - 1;
  const range = req.headers.range;
  if (range !== undefined) {
    const parsed = parseRange(range, size);
    if (!parsed) {
      res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
      return;
    }
    [start, end] = parsed;
    res.statusCode = 206;
    res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
  }
  res.setHeader('Content-Length', String(end - start + 1));
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return;
  }
  const stream = createReadStream(file.path, { start, end });
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}

/** The file for a URL path (directory → index.html), or null when absent or outside `base`. */
async function resolveFile(base: string, urlPath: string): Promise<{ path: string; stats: Stats } | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  let full = path.resolve(base, '.' + path.posix.normalize(decoded));
  if (full !== base && !full.startsWith(base + path.sep)) return null;
  try {
    let stats = await stat(full);
    if (stats.isDirectory()) {
      full = path.join(full, 'index.html');
      stats = await stat(full);
    }
    return stats.isFile() ? { path: full, stats } : null;
  } catch {
    return null;
  }
}

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` → inclusive [start, end]; null when malformed, multi-range or unsatisfiable. */
export function parseRange(header: string, size: number): [number, number] | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return null;
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start <= end && start < size ? [start, end] : null;
}

/** A console message or page error seen in the browser, in arrival order. */
export type BrowserLog = { source: 'page' | 'worker'; type: string; text: string };

/** Whether a console line is Chromium reporting a Content-Security-Policy violation. */
const isCspViolation = (l: BrowserLog) => /Content Security Policy/i.test(l.text);

export type LaunchedBrowser = {
  context: BrowserContext;
  page: Page;
  /** Console messages of the page and its dedicated workers. */
  console: BrowserLog[];
  /** Uncaught exceptions and unhandled rejections of the page (`pageerror`), and a crash of its renderer. */
  errors: Error[];
  /** Everything above as one string, for a failing test's message. */
  logs(): string;
  /**
   * Closes the browser and deletes its profile directory; then throws if the page or a worker reported a
   * Content-Security-Policy violation, so that any test file that ran into one fails.
   */
  close(): Promise<void>;
};

/** The Chromium the tests drive: `CHROMIUM_PATH` from the environment, else Debian's (`apt-get install chromium`). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The Chromium flags measured to work on the build machines (see LAB-NOTES, Headless Chromium). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
] as const;

/** Without it, Chromium on Linux has no WebGPU adapter (`requestAdapter()` gives null); with it, SwiftShader's. */
export const WEBGPU_ARG = '--enable-unsafe-webgpu';

export type LaunchOptions = {
  /** Extra Chromium flags. */
  args?: string[];
  /** False: Chromium as a browser without WebGPU is (no adapter), for what a person sees there. Default true. */
  webgpu?: boolean;
};

/**
 * Starts Chromium (`CHROMIUM_PATH`) headless with a fresh profile (so OPFS, Cache Storage and IndexedDB start empty) and
 * downloads enabled, and opens one page whose console and errors are collected.
 */
export async function launchBrowser(opts: LaunchOptions = {}): Promise<LaunchedBrowser> {
  const profile = await mkdtemp(path.join(tmpdir(), 'kineto-chromium-'));
  let context: BrowserContext;
  try {
    // playwright-core refuses --user-data-dir in args; the persistent context is how a profile dir is chosen.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS, ...(opts.webgpu === false ? [] : [WEBGPU_ARG]), ...(opts.args ?? [])],
      acceptDownloads: true,
    });
  } catch (e) {
    await rm(profile, { recursive: true, force: true });
    throw e;
  }
  const consoleLog: BrowserLog[] = [];
  const errors: Error[] = [];
  const onConsole = (msg: ConsoleMessage) => {
    consoleLog.push({ source: msg.worker() ? 'worker' : 'page', type: msg.type(), text: msg.text() });
  };
  const page = context.pages()[0] ?? (await context.newPage());
  // The context-level event covers every page and its workers (ConsoleMessage.worker() tells them apart).
  context.on('console', onConsole);
  page.on('pageerror', (e) => errors.push(e));
  page.on('crash', () => errors.push(new Error('the page crashed (renderer process died, often out of memory)')));
  return {
    context,
    page,
    console: consoleLog,
    errors,
    logs: () =>
      [
        ...consoleLog.map((l) => `[${l.source} ${l.type}] ${l.text}`),
        ...errors.map((e) => `[pageerror] ${e.stack ?? e.message}`),
      ].join('\n'),
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
      const violations = consoleLog.filter(isCspViolation);
      if (violations.length > 0) throw new Error(`Content-Security-Policy violations:\n${violations.map((l) => `[${l.source}] ${l.text}`).join('\n')}`);
    },
  };
}

/**
 * Waits until the app's run on `page` is idle again. A run that never ended has hung a full suite twice (passing
 * alone): on timeout the error says where the run stood (its state, typed arrays by size) and carries `logs()`.
 */
export async function runSettled(page: Page, timeout: number, logs: () => string): Promise<void> {
  await page.waitForFunction(() => window.kineto?.getState().run.status === 'idle', null, { timeout }).catch(async (e: unknown) => {
    const run = await page.evaluate(() => JSON.stringify(window.kineto?.getState().run, (_, v: unknown) => (ArrayBuffer.isView(v) ? `[${v.byteLength} bytes]` : v))).catch(() => '?');
    throw new Error(`the run did not finish within ${timeout / 1000} s: ${run.slice(0, 2000)}\n${logs()}`, { cause: e });
  });
}

/**
 * Adds an inline `<script>` to the page and returns the directive that refused it (null if it ran): proof that the
 * page has the app's CSP. The violation it causes on purpose is removed from the log, so `close()` does not fail.
 */
export async function inlineScriptRefusedBy(browser: LaunchedBrowser): Promise<string | null> {
  const directive = await browser.page.evaluate(() => new Promise<string | null>((resolve) => {
    document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), { once: true });
    const s = document.createElement('script');
    s.textContent = 'window.inlineScriptRan = true';
    document.head.append(s);
    if ('inlineScriptRan' in window) resolve(null);
  }));
  if (directive === null) return null;
  for (let i = 0; i < 50 && !browser.console.some(isCspViolation); i++) await new Promise((r) => setTimeout(r, 100));
  browser.console.splice(0, browser.console.length, ...browser.console.filter((l) => !isCspViolation(l)));
  return directive;
}

/** A manifest as JSON on disk (snake_case keys), loosely typed: tests edit it to make broken or unusual models. */
export type ManifestJson = { components: Record<string, { file: string } & Record<string, unknown>> } & Record<string, unknown>;

/** The embedded model's folder, which the e2e tests serve copies of. */
export const EMBEDDED_MODEL_DIR = path.resolve('public/models/kineto-shapes');

/**
 * Writes a copy of the embedded model into `dir` under another id and name: its files as symlinks and a manifest with
 * `overrides` applied. The copy is a single-denoiser model, like most on the Hub: the Fast preset's second denoiser
 * is left out so a test is about one file set (speed.test.ts covers the preset's own file). Returns the manifest.
 */
export async function writeModelCopy(dir: string, id: string, overrides: Record<string, unknown> = {}): Promise<ManifestJson> {
  const { presets: _fast, ...base } = JSON.parse(await readFile(path.join(EMBEDDED_MODEL_DIR, 'manifest.json'), 'utf8'));
  const manifest = { ...base, id: `shapes-${id}`, name: `Shapes ${id}`, ...overrides };
  await mkdir(dir, { recursive: true });
  for (const f of ['text_encoder.onnx', 'denoiser.onnx', 'vae_decoder.onnx', 'vae_encoder.onnx', 'tokenizer.json']) await symlink(path.join(EMBEDDED_MODEL_DIR, f), path.join(dir, f));
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  return manifest;
}

/**
 * Builds a test page folder (an `index.html` or other `.html` entries plus their TS) with Vite into a fresh temporary
 * directory and returns that directory; the app's own vite config is not used.
 */
export async function buildTestPage(pageRoot: string, input?: Record<string, string>): Promise<string> {
  // Imported on demand: tests that serve the app's dist/ should not pay for loading Vite.
  const { build } = await import('vite');
  const outDir = await mkdtemp(path.join(tmpdir(), 'kineto-page-'));
  const root = path.resolve(pageRoot);
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    // ES workers, as in the app: `new Worker(new URL('./x.ts', import.meta.url), { type: 'module' })`.
    worker: { format: 'es' },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      ...(input ? { rollupOptions: { input: Object.fromEntries(Object.entries(input).map(([k, v]) => [k, path.resolve(root, v)])) } } : {}),
    },
  });
  return outDir;
}

/** What `parseVideo` reads back from a file. */
export type ParsedVideo = {
  /** mediabunny's container name, e.g. 'MP4', 'WebM'. */
  container: string;
  /** mediabunny codec name: 'avc', 'vp9', 'av1', 'vp8', … */
  codec: string | null;
  /** Full codec string, e.g. 'avc1.42001f'. */
  codecString: string | null;
  width: number;
  height: number;
  /** Number of video packets (one per frame for these codecs). */
  frameCount: number;
  keyFrameCount: number;
  /** Whether the first packet in decode order is a key frame. */
  startsWithKeyFrame: boolean;
  durationSeconds: number;
};

/** Demuxes an MP4/WebM in Node with mediabunny and describes its primary video track. */
export async function parseVideo(bytes: Uint8Array): Promise<ParsedVideo> {
  const input = new Input({ source: new BufferSource(bytes), formats: ALL_FORMATS });
  try {
    const track = await input.getPrimaryVideoTrack();
    if (!track) throw new Error('parseVideo: the file has no video track');
    const sink = new EncodedPacketSink(track);
    let frameCount = 0;
    let keyFrameCount = 0;
    let startsWithKeyFrame = false;
    // metadataOnly skips copying packet data; counting needs only the packet table.
    for await (const packet of sink.packets(undefined, undefined, { metadataOnly: true })) {
      if (frameCount === 0) startsWithKeyFrame = packet.type === 'key';
      if (packet.type === 'key') keyFrameCount++;
      frameCount++;
    }
    return {
      container: (await input.getFormat()).name,
      codec: track.codec,
      codecString: await track.getCodecParameterString(),
      width: track.displayWidth,
      height: track.displayHeight,
      frameCount,
      keyFrameCount,
      startsWithKeyFrame,
      durationSeconds: await input.computeDuration(),
    };
  } finally {
    input.dispose();
  }
}

/**
 * The notice a browser without WebGPU gets once the engine has looked for an adapter ("WebGPU is not available…"),
 * waited for, so that an axe check after it sees the notice and its button.
 */
export async function noWebGpuNotice(page: Page): Promise<Locator> {
  const notice = page.locator('.banner-notice').filter({ hasText: /^WebGPU is not available/ }).first();
  await notice.waitFor({ timeout: 120_000 });
  return notice;
}

/** Presses Tab (Shift+Tab with `back`) until `target` has focus: how a keyboard user gets there. */
export async function tabTo(p: Page, target: Locator, back = false): Promise<void> {
  for (let i = 0; i < 80; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await p.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${target}`);
}

/**
 * axe-core's serious and critical violations on the page as it is now ("rule (impact): [targets]"); an empty list
 * passes. Injects axe-core on first use.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const { createRequire } = await import('node:module');
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (a <script> tag would be refused).
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(async () => {
    type Result = { violations: { id: string; impact: string | null; nodes: { target: unknown }[] }[] };
    const r = await (window as unknown as { axe: { run(ctx: Document): Promise<Result> } }).axe.run(document);
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
  });
}

/** The built app (`dist/`) served, a browser on it at `hash` (e.g. `#/storyboard`) and its model ready. */
export async function openBuiltApp(hash: string): Promise<{ server: StaticServer; browser: LaunchedBrowser; page: Page }> {
  const server = await startStaticServer('dist');
  const browser = await launchBrowser();
  await browser.page.goto(`${server.url}${hash}`);
  await browser.page.waitForFunction(() => window.kineto?.getState().model.status === 'ready', null, { timeout: 120_000 });
  return { server, browser, page: browser.page };
}
