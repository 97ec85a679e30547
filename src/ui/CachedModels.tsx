import { useEffect } from 'react';
import { formatBytes, modelBusy, useKineto } from '../store';
import type { StorageInfo } from '../worker/protocol';

function storageLine(s: StorageInfo | null): string {
  if (!s) return 'Checking the browser storage…';
  const where = s.store === 'opfs' ? 'private file system' : s.store === 'cache-storage' ? 'Cache Storage' : 'no storage available';
  const used = s.usedBytes === null ? 'unknown use' : `${formatBytes(s.usedBytes)} used`;
  const free = s.usedBytes !== null && s.quotaBytes !== null ? `, ${formatBytes(Math.max(0, s.quotaBytes - s.usedBytes))} free` : '';
  const kept = s.persisted === true ? ' Kept until you delete it.' : s.persisted === false ? ' The browser may clear it when the disk is nearly full.' : '';
  return `Storage (${where}): ${used}${free}.${kept}`;
}

/** Models stored in this browser (complete or partial), with their size; load, resume or delete each. */
export function CachedModels() {
  const models = useKineto((s) => s.cachedModels);
  const storage = useKineto((s) => s.storage);
  const refresh = useKineto((s) => s.refreshStorage);
  const remove = useKineto((s) => s.deleteCachedModel);
  const loadFromUrl = useKineto((s) => s.loadFromUrl);
  const downloading = useKineto((s) => (s.download?.status === 'downloading' ? (s.download.progress?.modelId ?? '') : null));
  const busy = useKineto(modelBusy);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  return (
    <details className="cached-models">
      <summary>Models stored in this browser{models ? ` (${models.length})` : ''}</summary>
      <p className="hint" data-testid="storage-line">
        {storageLine(storage)}
      </p>
      {models && models.length === 0 && <p className="hint">None yet. Models loaded from a URL are kept here for offline use.</p>}
      {models && models.length > 0 && (
        <ul className="cached-list">
          {models.map((m) => (
            <li key={m.id} aria-label={m.name} data-complete={m.complete}>
              <span className="model-name">{m.name}</span>{' '}
              <span className="hint">
                {formatBytes(m.bytesOnDisk)} on disk — {m.complete ? 'complete' : `partial, ${formatBytes(m.storedBytes)} of ${formatBytes(m.totalBytes)}`}
              </span>
              <span className="field-row">
                {m.manifestUrl !== '' && (
                  <button type="button" className="secondary" disabled={busy || downloading !== null} onClick={() => void loadFromUrl(m.manifestUrl)}>
                    {m.complete ? 'Load' : 'Resume'}
                    <span className="visually-hidden"> {m.name}</span>
                  </button>
                )}
                <button type="button" className="secondary" disabled={downloading === m.id} onClick={() => void remove(m.id)}>
                  Delete<span className="visually-hidden"> {m.name}</span>
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
