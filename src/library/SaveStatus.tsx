import { formatRoute, useKineto } from '../store';

/** Under the result: whether the clip is kept in the Library, or why not (the clip itself stays on screen). */
export function SaveStatus() {
  const save = useKineto((s) => s.library.save);
  const navigate = useKineto((s) => s.navigate);
  return (
    <div aria-live="polite" className="save-status">
      {save?.status === 'saving' && <p className="hint">Saving to your Library…</p>}
      {save?.status === 'saved' && (
        <p className="hint">
          Saved in your{' '}
          <a href={formatRoute({ view: 'library', query: '' })} onClick={(e) => (e.preventDefault(), navigate('library'))}>
            Library
          </a>{' '}
          (in this browser only).
        </p>
      )}
      {save?.status === 'failed' && (
        <p role="alert" className="hint hint-warn" data-testid="library-save-error">
          {save.message}
        </p>
      )}
    </div>
  );
}
