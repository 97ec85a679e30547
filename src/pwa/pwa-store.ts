/**
 * What the page knows about its service worker: whether a new version is waiting, whether the app is ready to work
 * offline, and how (or whether) the page is cross-origin isolated. Filled by `registerServiceWorker`.
 */
import { create } from 'zustand';

/**
 * `headers`: the server sent COOP/COEP itself. `service-worker`: the service worker added them (any static host).
 * `reload`: not isolated yet, but the service worker is installed or installing: one reload turns it on.
 * `unavailable`: not isolated and no service worker here (an insecure origin, or a browser without them).
 */
export type IsolationCase = 'headers' | 'service-worker' | 'reload' | 'unavailable';

export type PwaState = {
  isolation: IsolationCase;
  /** A new version is installed and waiting for the page to let it take over. */
  updateReady: boolean;
  /** Everything the app needs offline is stored (the service worker is active). */
  offlineReady: boolean;
  /** Lets the waiting version take over and reloads; set by registerServiceWorker. */
  applyUpdate: () => void;
};

export function initialIsolation(): IsolationCase {
  const controlled = typeof navigator !== 'undefined' && !!navigator.serviceWorker?.controller;
  if (globalThis.crossOriginIsolated) return controlled ? 'service-worker' : 'headers';
  return typeof navigator !== 'undefined' && 'serviceWorker' in navigator && window.isSecureContext ? 'reload' : 'unavailable';
}

export const usePwa = create<PwaState>()(() => ({
  isolation: initialIsolation(),
  updateReady: false,
  offlineReady: false,
  applyUpdate: () => {},
}));
