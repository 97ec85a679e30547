/**
 * Build-time (Node) configuration of vite-plugin-pwa: the web app manifest and a Workbox precache list injected into
 * src/pwa/sw.ts. Precached: the app shell and its hashed assets (page, engine worker, onnxruntime-web's WASM), the
 * icons, the embedded model and the catalog's manifests — everything a reload with no network needs.
 */
import { VitePWA } from 'vite-plugin-pwa';

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
