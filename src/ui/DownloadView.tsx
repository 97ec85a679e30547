import { type DownloadState, formatBytes, formatDuration, useKineto } from '../store';
import type { DownloadProgress } from '../worker/protocol';
import { ProgressBar } from './ProgressBar';

const FILE_STATE_TEXT = {
  waiting: 'waiting',
  cached: 'already stored',
  downloading: 'downloading',
  verifying: 'checking',
  done: 'done',
  failed: 'failed',
} as const;

function percentOf(stored: number, total: number): number {
  return total > 0 ? Math.min(100, Math.round((100 * stored) / total)) : 0;
}

/** "3.1 MB of 9.4 MB — 1.2 MB/s — 5 s left" */
function totalLine(d: DownloadState, p: DownloadProgress | null): string {
  if (!p) return d.status === 'downloading' ? 'Reading the model description…' : 'Not started';
  const bytes = `${formatBytes(p.storedBytes)} of ${formatBytes(p.totalBytes)}`;
  if (d.status === 'paused') return `Paused at ${bytes}`;
  if (d.status === 'failed') return `Stopped at ${bytes}`;
  const speed = p.bytesPerSecond === null ? '' : ` — ${formatBytes(p.bytesPerSecond)}/s`;
  const eta = p.etaSeconds === null ? '' : p.etaSeconds === 0 ? ' — checking' : ` — ${formatDuration(p.etaSeconds)} left`;
  return `${bytes}${speed}${eta}`;
}

/** The model download: total and per-file bytes, speed and time left; pause, resume, cancel. */
export function DownloadView() {
  const download = useKineto((s) => s.download);
  const pause = useKineto((s) => s.pauseDownload);
  const cancel = useKineto((s) => s.cancelDownload);
  const loadFromUrl = useKineto((s) => s.loadFromUrl);
  const busy = useKineto((s) => s.run.status !== 'idle' || (s.model.status === 'loading' && s.download?.status !== 'downloading'));
  if (!download) return null;
  const p = download.progress;
  const line = totalLine(download, p);
  const percent = p ? percentOf(p.storedBytes, p.totalBytes) : 0;
  const name = p?.modelName ?? download.manifestUrl;
  return (
    <section className="download" aria-label="Model download">
      <p className="model-name">
        {download.status === 'downloading' ? 'Downloading' : download.status === 'paused' ? 'Paused:' : 'Download stopped:'} {name}
      </p>
      <ProgressBar label="Download progress" percent={percent} valueText={line} thin />
      <p className="hint" data-testid="download-line">
        {line}
      </p>
      {download.license && <p className="hint">Licence: {download.license}</p>}
      {p && (
        <ul className="download-files" aria-label="Files">
          {p.files.map((f) => (
            <li key={f.path} data-state={f.state}>
              <span className="download-file-name">{f.path}</span>{' '}
              <span className="hint">
                {FILE_STATE_TEXT[f.state]}
                {f.totalBytes !== null && f.state !== 'cached' && f.state !== 'done'
                  ? ` — ${formatBytes(f.storedBytes)} of ${formatBytes(f.totalBytes)} (${percentOf(f.storedBytes, f.totalBytes)}%)`
                  : f.totalBytes !== null ? ` — ${formatBytes(f.totalBytes)}` : ''}
                {f.etaSeconds !== null && f.etaSeconds > 0 ? `, ${formatDuration(f.etaSeconds)} left` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      <div className="field-row">
        {download.status === 'downloading' ? (
          <button type="button" className="secondary" disabled={download.requestId === null} onClick={() => void pause()}>
            Pause
          </button>
        ) : (
          <button type="button" className="secondary" disabled={busy} onClick={() => void loadFromUrl(download.manifestUrl)}>
            Resume
          </button>
        )}
        <button type="button" className="secondary" onClick={() => void cancel()}>
          Cancel download
        </button>
      </div>
    </section>
  );
}
