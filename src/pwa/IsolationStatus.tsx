import { type IsolationCase, usePwa } from './pwa-store';

const TEXT: Record<IsolationCase, string> = {
  headers: 'Yes: the server sends the COOP/COEP headers, so WASM runs multi-threaded.',
  'service-worker': 'Yes: Kineto’s service worker adds the COOP/COEP headers (works on any static host), so WASM runs multi-threaded.',
  reload: 'Not yet: this host sends no COOP/COEP headers, so WASM runs on one thread. Kineto’s service worker adds them from the next page load — reload once.',
  unavailable: 'No: this host sends no COOP/COEP headers and service workers are unavailable here (they need HTTPS or localhost), so WASM runs on one thread.',
};

/** Which of the four cases of cross-origin isolation applies, and what to do about it. */
export function IsolationStatus() {
  const isolation = usePwa((s) => s.isolation);
  return (
    <p className={isolation === 'reload' || isolation === 'unavailable' ? 'hint hint-warn' : 'hint'} data-testid="isolation-case" data-case={isolation}>
      Cross-origin isolation: {TEXT[isolation]}{' '}
      {isolation === 'reload' && (
        <button type="button" className="secondary" onClick={() => location.reload()}>
          Reload now
        </button>
      )}
    </p>
  );
}
