/**
 * Registers the service worker (production builds only; `npm run dev` has none) with workbox-window and reports to
 * `usePwa`. An update never takes over on its own: the page shows "A new version is ready — Reload", and the new
 * version is let in only while nothing runs (no generation, no model download, no Variations).
 */
import { Workbox } from 'workbox-window';
import { useKineto } from '../store';
import { usePwa } from './pwa-store';

/** Whether swapping the app's code now would cut work short. */
export function busy(): boolean {
  const k = useKineto.getState();
  return k.run.status !== 'idle' || k.download?.status === 'downloading' || k.library.variations?.status === 'running';
}

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator) || !window.isSecureContext) return;
  const wb = new Workbox(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL, type: 'classic' });
  wb.addEventListener('waiting', () => usePwa.setState({ updateReady: true }));
  wb.addEventListener('activated', (e) => {
    if (!e.isUpdate) usePwa.setState({ offlineReady: true });
  });
  usePwa.setState({
    applyUpdate: () => {
      if (busy()) return;
      // Reload once the new version controls this page, so page and service worker are the same version.
      wb.addEventListener('controlling', () => location.reload());
      wb.messageSkipWaiting();
    },
  });
  void wb.register().then((reg) => {
    if (reg?.active && navigator.serviceWorker.controller) usePwa.setState({ offlineReady: true });
  });
  void navigator.serviceWorker.ready.then(() => usePwa.setState({ offlineReady: true }));
}
