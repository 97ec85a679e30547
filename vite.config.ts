import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { kinetoPwa } from './src/pwa/plugin';

// Cross-origin isolation (COOP + COEP) gives SharedArrayBuffer, hence multi-threaded WASM in the worker.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // kinetoPwa: offline precache + COOP/COEP from a service worker on hosts that send no headers (src/pwa/).
  plugins: [react(), kinetoPwa()],
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 2048 },
});
