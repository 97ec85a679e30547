/**
 * Build-time (Node) configuration of vite-plugin-pwa: the web app manifest and a Workbox precache list injected into
 * src/pwa/sw.ts. Precached: the app shell and its hashed assets (page, engine worker, onnxruntime-web's WASM), the
 * icons, the embedded model and the catalog's manifests — everything a reload with no network needs.
 */
import type { Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { appHeadersFor, DOCUMENT_CSP, ISOLATION_HEADERS, kindOfPath, WORKER_CSP, WORKER_SCRIPT } from './app-headers';

/** onnxruntime-web's WASM is ~27 MB; Workbox skips files above this size, so it is raised to fit it with room. */
const MAX_PRECACHED_FILE_BYTES = 64 * 1024 * 1024;

export function kinetoPwa() {
  return VitePWA({
    strategies: 'injectManifest',
    srcDir: 'src/pwa',
    filename: 'sw.ts',
    // Registered by src/pwa/register.ts (workbox-window): no inline script in index.html.
    injectRegister: false,
    registerType: 'prompt',
    includeAssets: ['icons/apple-touch-icon-180.png'],
    manifest: {
      name: 'Kineto — text to video in your browser',
      short_name: 'Kineto',
      description: 'Type a prompt and a small diffusion model makes a short video, entirely in your browser. Works offline.',
      start_url: '.',
      scope: '.',
      display: 'standalone',
      background_color: '#0f1218',
      theme_color: '#0f1218',
      icons: [
        { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
        { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
        { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      ],
    },
    injectManifest: {
      // The web app manifest and its icons are added by the plugin itself (and the apple-touch icon by includeAssets).
      globPatterns: ['**/*.{js,css,html,wasm}', 'models/kineto-shapes/*.{json,onnx}', 'models/hub/*.json'],
      maximumFileSizeToCacheInBytes: MAX_PRECACHED_FILE_BYTES,
      rollupFormat: 'iife',
    },
  });
}

/**
 * Writes `_headers` into the build, in the format Netlify and Cloudflare Pages read, so those hosts send the app's
 * headers (app-headers.ts) from the very first load (elsewhere the service worker adds them): isolation everywhere,
 * the page's CSP on its pages and the worker's on the engine worker script.
 */
export function hostHeadersFile(): Plugin {
  const rule = (path: string, headers: Record<string, string>) => [path, ...Object.entries(headers).map(([n, v]) => `  ${n}: ${v}`)].join('\n');
  return {
    name: 'kineto-host-headers',
    apply: 'build',
    generateBundle(_options, bundle) {
      const workers = Object.keys(bundle).map((f) => `/${f}`).filter((f) => WORKER_SCRIPT.test(f));
      if (workers.length === 0) this.error('no engine worker script in the build: WORKER_SCRIPT no longer matches its name');
      const rules = [
        rule('/*', ISOLATION_HEADERS),
        ...['/', '/index.html'].map((p) => rule(p, { 'Content-Security-Policy': DOCUMENT_CSP })),
        ...workers.map((p) => rule(p, { 'Content-Security-Policy': WORKER_CSP })),
      ];
      this.emitFile({ type: 'asset', fileName: '_headers', source: `${rules.join('\n')}\n` });
    },
  };
}

/** `vite preview` as a host should be: each response with the app's headers for its path (app-headers.ts). */
export function previewHeaders(): Plugin {
  return {
    name: 'kineto-preview-headers',
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        for (const [name, value] of Object.entries(appHeadersFor(kindOfPath(path)))) res.setHeader(name, value);
        next();
      });
    },
  };
}
