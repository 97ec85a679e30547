import { formatRoute, useKineto } from '../store';

/**
 * Under the result (or, with `of="film"`, under the film on the Storyboard): whether it is kept in the Library, or
 * why not (it stays on screen either way).
 */
export function SaveStatus({ of = 'clip' }: { of?: 'clip' | 'film' }) {
  const save = useKineto((s) => (of === 'film' ? s.library.filmSave : s.library.save));
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
        <p role="alert" className="hint hint-warn" data-testid={of === 'film' ? 'library-film-save-error' : 'library-save-error'}>
          {save.message}
        </p>
      )}
    </div>
  );
}
