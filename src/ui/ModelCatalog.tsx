import { useEffect } from 'react';
import { isPermissiveLicense } from '../engine/requirements';
import { type CatalogEntry, formatBytes, modelBusy, useKineto } from '../store';
import { useVerdict } from './use-verdict';

/** The built-in model's name in the catalog and on the gate's "Use … instead" button. */
export const EMBEDDED_MODEL_NAME = 'Kineto-Shapes';

/** "2.5 GB", "about 2.5 GB" when the manifest's sizes are estimates. */
function sizeText(bytes: number, approximate: boolean): string {
  return `${approximate ? 'about ' : ''}${formatBytes(bytes)}`;
}

function CatalogItem({ entry }: { entry: CatalogEntry }) {
  const m = entry.manifest;
  const verdict = useVerdict(m);
  const chooseUrl = useKineto((s) => s.loadFromUrl);
  const useEmbedded = useKineto((s) => s.useEmbeddedModel);
  const busy = useKineto(modelBusy);
  const inUse = useKineto((s) => {
    const src = s.modelSource;
    return s.model.status === 'ready' && src !== null && src.kind !== 'folder' && src.manifestUrl === entry.manifestUrl;
  });
  const size = verdict ? sizeText(verdict.downloadBytes, verdict.downloadApproximate) : '…';
  const title = entry.kind === 'embedded' ? `${EMBEDDED_MODEL_NAME} (built in, ${size})` : `${m?.name ?? entry.manifestUrl} (${size})`;
  return (
    <li className="catalog-item" aria-label={title} data-runs={verdict ? String(verdict.runs) : undefined}>
      <span className="model-name">{title}</span>
      {m ? (
        <>
          <span className="hint">
            Licence: {m.license}
            {isPermissiveLicense(m.license) ? '' : ' (must be accepted before download)'}
          </span>
          <span className="hint">Needs: {verdict ? verdict.needs : '…'}</span>
          <span className={verdict && !verdict.runs ? 'hint hint-warn' : 'hint'} data-testid="catalog-verdict">
            This browser: {verdict ? verdict.label : 'checking…'}
          </span>
        </>
      ) : (
        <span className="hint hint-warn">Its description could not be read ({entry.problem}).</span>
      )}
      <span className="field-row">
        <button
          type="button"
          className="secondary"
          disabled={busy || m === null || inUse}
          onClick={() => void (entry.kind === 'embedded' ? useEmbedded() : chooseUrl(entry.manifestUrl))}
        >
          {inUse ? 'In use' : 'Choose'}
          <span className="visually-hidden"> {title}</span>
        </button>
      </span>
    </li>
  );
}

/** The models Kineto knows: built in, and Hub models whose manifests come with the app; each with a verdict for this browser. */
export function ModelCatalog() {
  const catalog = useKineto((s) => s.catalog);
  const loadCatalog = useKineto((s) => s.loadCatalog);

  useEffect(() => {
    void loadCatalog();
  }, [loadCatalog]);

  return (
    <section className="catalog" aria-label="Model catalog">
      <h3 className="subhead">Models</h3>
      {catalog ? (
        <ul className="catalog-list">
          {catalog.map((e) => (
            <CatalogItem key={e.manifestUrl} entry={e} />
          ))}
        </ul>
      ) : (
        <p className="hint">Reading the catalog…</p>
      )}
    </section>
  );
}
