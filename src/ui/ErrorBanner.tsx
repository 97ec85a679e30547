import { useId } from 'react';
import { useKineto } from '../store';
import { explainError } from './messages';

/** The last error as a sentence with a remedy plus the worker's message, and the worker's notices. */
export function ErrorBanner() {
  const error = useKineto((s) => s.error);
  const dismissError = useKineto((s) => s.dismissError);
  const notices = useKineto((s) => s.notices);
  const dismissNotice = useKineto((s) => s.dismissNotice);
  const explained = error ? explainError(error) : null;
  const noticeId = useId();
  return (
    <div className="banners">
      {explained && (
        <div role="alert" className="banner banner-error">
          <div className="banner-text">
            <p className="banner-sentence">{explained.sentence}</p>
            {explained.detail && <p className="banner-detail">Details: {explained.detail}</p>}
          </div>
          <button type="button" className="secondary" onClick={dismissError}>
            Dismiss
          </button>
        </div>
      )}
      <div role="status" className="notices">
        {notices.map((n) => (
          <div key={n.id} className="banner banner-notice">
            <p className="banner-text" id={`${noticeId}-${n.id}`}>{n.message}</p>
            {/* Named by its visible text (WCAG 2.5.3, label in name); the notice it dismisses is its description. */}
            <button type="button" className="secondary" aria-describedby={`${noticeId}-${n.id}`} onClick={() => dismissNotice(n.id)}>
              OK
            </button>
          </div>
        ))}
      </div>
    </div>
  );
}
