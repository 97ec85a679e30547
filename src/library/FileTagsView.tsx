import type { Player } from './library-slice';

/** What a clip's file says about itself: its title and Kineto's provenance record. */
export function FileTagsView({ tags }: { tags: Player['tags'] }) {
  if (tags === null) return null;
  if (tags === 'reading') return <p className="hint" aria-live="polite">Reading the file…</p>;
  if ('error' in tags) return <p role="alert" className="hint hint-warn">Could not read the file's metadata: {tags.error}</p>;
  const p = tags.provenance;
  return (
    <dl className="facts" data-testid="file-tags" aria-live="polite">
      <dt>Title in the file</dt>
      <dd>{tags.title ?? 'none'}</dd>
      {p ? (
        <>
          <dt>Made by</dt>
          <dd>
            {p.generator} {p.version} on {p.backend}
          </dd>
          <dt>Model</dt>
          <dd>
            {p.model.id} (manifest sha256 <code>{p.model.sha256.slice(0, 12)}…</code>)
          </dd>
          <dt>Settings</dt>
          <dd>
            seed {p.seed} · {p.steps} steps · guidance {p.guidance} · {p.scheduler}
          </dd>
          <dt>Source type</dt>
          <dd>{p.digitalSourceType.split('/').pop()} (IPTC)</dd>
        </>
      ) : (
        <>
          <dt>Provenance</dt>
          <dd>none found in this file</dd>
        </>
      )}
    </dl>
  );
}
