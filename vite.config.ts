import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { kinetoPwa } from './src/pwa/plugin';
import { cspHeader, kinetoCsp } from './src/security/csp';

// Cross-origin isolation (COOP + COEP) gives SharedArrayBuffer, hence multi-threaded WASM in the worker.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // kinetoPwa: offline precache + COOP/COEP from a service worker on hosts that send no headers (src/pwa/).
  // kinetoCsp: the Content-Security-Policy as a <meta> tag in the built page (src/security/csp.ts); also sent as a header below.
  plugins: [react(), kinetoPwa(), kinetoCsp()],
  server: { headers: { ...isolation, 'Content-Security-Policy': cspHeader({ dev: true }) } },
  preview: { headers: { ...isolation, 'Content-Security-Policy': cspHeader() } },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 2048 },
});
