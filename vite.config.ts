import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { ISOLATION_HEADERS } from './src/pwa/app-headers';
import { hostHeadersFile, kinetoPwa, previewHeaders } from './src/pwa/plugin';

export default defineConfig({
  // kinetoPwa: offline precache + COOP/COEP from a service worker on hosts that send no headers (src/pwa/).
  plugins: [react(), kinetoPwa(), hostHeadersFile(), previewHeaders()],
  // Cross-origin isolation gives SharedArrayBuffer, hence multi-threaded WASM. The dev server leaves the CSP out:
  // its hot-reload preamble is an inline script. `vite preview` serves the build as a host should (previewHeaders).
  server: { headers: { ...ISOLATION_HEADERS } },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 2048 },
});
