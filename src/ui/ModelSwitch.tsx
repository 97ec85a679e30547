import { type ModelSourceInfo, useKineto } from '../store';
import { explainError } from './messages';

/** How a model being switched to is named before its manifest is read. */
function sourceName(source: ModelSourceInfo, catalogName: string | null): string {
  if (catalogName) return catalogName;
  return source.kind === 'folder' ? `the model in the folder "${source.name}"` : source.kind === 'embedded' ? 'the built-in model' : source.manifestUrl;
}

/**
 * A model switch (make before break): its progress while the model in use stays usable, then what failed with a
 * retry, or the question whether to release the model in use when both cannot fit in memory.
 */
export function ModelSwitch() {
  const switching = useKineto((s) => s.switching);
  const current = useKineto((s) => (s.model.status === 'ready' ? s.model.manifest.name : null));
  const catalogName = useKineto((s) => {
    const src = s.switching?.source;
    if (!src || src.kind === 'folder') return null;
    return s.catalog?.find((e) => e.manifestUrl === src.manifestUrl)?.manifest?.name ?? null;
  });
  const reloadModel = useKineto((s) => s.reloadModel);
  const cancelLoad = useKineto((s) => s.cancelLoad);
  const confirmRelease = useKineto((s) => s.confirmRelease);
  const dismissSwitch = useKineto((s) => s.dismissSwitch);
  const hasDownload = useKineto((s) => s.download?.status === 'downloading');
  if (!switching || !current) return null;
  const name = sourceName(switching.source, catalogName);

  switch (switching.status) {
    case 'loading': {
      const percent = switching.totalBytes > 0 ? Math.round((100 * Math.min(switching.loadedBytes, switching.totalBytes)) / switching.totalBytes) : 0;
      return (
        <section className="model-switch" aria-label="Model switch">
          <p className="hint">
            Loading {name} ({switching.stage}{switching.file ? ` ${switching.file}` : ''}{switching.totalBytes > 0 ? `, ${percent}%` : ''}). {current} stays in
            use until it is ready.
          </p>
          {!hasDownload && (
            <button type="button" className="secondary" onClick={() => void cancelLoad()}>
              Cancel loading
            </button>
          )}
        </section>
      );
    }
    case 'failed': {
      const { sentence, detail } = explainError(switching.error);
      return (
        <section className="model-switch" aria-label="Model switch">
          <div role="alert" className="banner banner-error">
            <div className="banner-text">
              <p className="banner-sentence">Couldn't load {name}. {sentence}</p>
              {detail && <p className="banner-detail">Details: {detail}</p>}
              <p className="banner-detail">{current} is still in use.</p>
            </div>
          </div>
          <div className="field-row">
            <button type="button" className="secondary" onClick={() => void reloadModel()}>
              Try loading again
            </button>
            <button type="button" className="secondary" onClick={dismissSwitch}>
              Keep {current}
            </button>
          </div>
        </section>
      );
    }
    case 'confirm-release':
      return (
        <section className="model-switch" aria-label="Model switch">
          <p className="banner-sentence">{switching.message}</p>
          <div className="field-row">
            <button type="button" className="secondary" onClick={() => void confirmRelease()}>
              Release {current} and load
            </button>
            <button type="button" className="secondary" onClick={dismissSwitch}>
              Keep {current}
            </button>
          </div>
        </section>
      );
  }
}
