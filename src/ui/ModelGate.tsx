import { useId } from 'react';
import { isPermissiveLicense } from '../engine/requirements';
import { formatBytes, modelBusy, offerBlocker, useKineto } from '../store';
import { EMBEDDED_MODEL_NAME } from './ModelCatalog';
import { useVerdict } from './use-verdict';

/** Host the weights come from, for "from huggingface.co". */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * Before a download: the model's licence (and notice), what it needs and what this browser has. Nothing is fetched
 * until the person presses "Download and load", or "Try anyway" for a model this browser cannot run.
 */
export function ModelGate() {
  const id = useId();
  const offer = useKineto((s) => s.offer);
  const accept = useKineto((s) => s.acceptOfferLicense);
  const confirm = useKineto((s) => s.confirmOffer);
  const dismiss = useKineto((s) => s.dismissOffer);
  const useEmbedded = useKineto((s) => s.useEmbeddedModel);
  const busy = useKineto(modelBusy);
  const verdict = useVerdict(offer?.manifest);
  if (!offer || !verdict) return null;
  const m = offer.manifest;
  const permissive = isPermissiveLicense(m.license);
  const licenseBlocks = offerBlocker(offer, verdict, true) === 'license';
  return (
    <section className="gate" aria-label="Before downloading">
      <p className="model-name">{m.name}</p>
      <p className="hint">
        Download: {verdict.downloadApproximate ? 'about ' : ''}
        {formatBytes(verdict.downloadBytes)} from {hostOf(m.baseUrl ?? offer.manifestUrl)}, kept in this browser.
      </p>
      <p>
        Licence:{' '}
        {m.licenseUrl ? (
          <a href={m.licenseUrl} target="_blank" rel="noreferrer">
            {m.license}
          </a>
        ) : (
          m.license
        )}
      </p>
      {m.licenseNotice && <p className="hint">{m.licenseNotice}</p>}
      <p className={verdict.runs ? 'hint' : 'gate-verdict'} data-testid="gate-verdict">
        {verdict.sentence}
      </p>
      {!permissive && (
        <label className="checkbox" htmlFor={`${id}-accept`}>
          <input id={`${id}-accept`} type="checkbox" checked={offer.licenseAccepted} onChange={(e) => accept(e.target.checked)} /> I have read
          the licence ({m.license}) and accept it
        </label>
      )}
      <div className="field-row">
        {verdict.runs ? (
          <button type="button" disabled={busy || licenseBlocks} onClick={() => void confirm(false)}>
            Download and load
          </button>
        ) : (
          <>
            <button type="button" disabled={busy} onClick={() => void useEmbedded()}>
              Use {EMBEDDED_MODEL_NAME} instead
            </button>
            <button type="button" className="secondary" disabled={busy || licenseBlocks} onClick={() => void confirm(true)}>
              Try anyway
            </button>
          </>
        )}
        <button type="button" className="secondary" onClick={dismiss}>
          Not now
        </button>
      </div>
    </section>
  );
}
