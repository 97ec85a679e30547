import { useKineto } from '../store';
import { usePwa } from './pwa-store';

/** "A new version is ready — Reload", held back while a generation, a model download or Variations run. */
export function UpdateBanner() {
  const ready = usePwa((s) => s.updateReady);
  const applyUpdate = usePwa((s) => s.applyUpdate);
  const running = useKineto((s) => s.run.status !== 'idle' || s.download?.status === 'downloading');
  const variations = useKineto((s) => s.library.variations?.status === 'running');
  if (!ready) return null;
  const busy = running || variations;
  return (
    <div className="banner banner-notice update-banner" role="status">
      <p className="banner-text">A new version is ready — </p>
      <button type="button" className="secondary" disabled={busy} onClick={applyUpdate} aria-describedby={busy ? 'update-wait' : undefined}>
        Reload
      </button>
      {busy && (
        <p id="update-wait" className="hint">
          It will be possible once the current work has finished, so nothing is cut short.
        </p>
      )}
    </div>
  );
}
