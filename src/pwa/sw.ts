/// <reference lib="webworker" />
/**
 * Kineto's service worker (built by vite-plugin-pwa's injectManifest; the precache list is Workbox's). It precaches
 * the app, the engine worker, the onnxruntime-web WASM this browser runs and the embedded model so that a reload with
 * no network opens the app and generates; and it adds COOP/COEP and the CSP (app-headers.ts) to the app's own
 * responses so that the build reaches `crossOriginIsolated` (SharedArrayBuffer, threaded WASM) and its CSP on any
 * static host, from the first reload it controls.
 * A new version waits until the page asks it to take over (`SKIP_WAITING`), which the page does only between runs.
 */
import type { WorkboxPlugin } from 'workbox-core';
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkOnly } from 'workbox-strategies';
import { isOtherBuildsWasm, ortBuildFor } from '../platform/ort-builds';
import { SKIP_WAITING, withAppHeaders } from './app-headers';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | { url: string; revision: string | null })[] };

const kindOf = (destination: RequestDestination) => (destination === 'document' ? 'document' : destination === 'worker' ? 'worker' : 'other');
const appHeaders: WorkboxPlugin = { handlerWillRespond: async ({ request, response }) => withAppHeaders(response, kindOf(request.destination)) };

addPlugins([appHeaders]);
// Both onnxruntime-web builds are in the build; this browser only ever loads one (the engine worker picks the same).
const build = ortBuildFor(WebAssembly);
precacheAndRoute(self.__WB_MANIFEST.filter((e) => !isOtherBuildsWasm(typeof e === 'string' ? e : e.url, build)));
cleanupOutdatedCaches();

// The app's page, also with a share link's query (`/?prompt=…`), comes from the precache; other paths (a model
// card, a JSON file opened directly) go to the network as usual.
const scopePath = new URL(self.registration.scope).pathname;
const escaped = scopePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { allowlist: [new RegExp(`^${escaped}(index\\.html)?$`)] }));

// Any other same-origin page or script (not precached) still needs the headers: isolation and the CSP.
registerRoute(
  ({ request, url }) => url.origin === self.location.origin && ['document', 'script', 'worker'].includes(request.destination),
  new NetworkOnly({ plugins: [appHeaders] }),
);

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  if ((event.data as { type?: string } | null)?.type === SKIP_WAITING) void self.skipWaiting();
});
