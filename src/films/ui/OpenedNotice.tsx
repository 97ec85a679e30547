import { useKineto } from '../../store';

/**
 * What happened when a board file or link was opened (what was wrong with it, or that it replaced the board), and
 * whether the browser keeps the board.
 */
export function OpenedNotice() {
  const storageProblem = useKineto((s) => s.storyboard.storageProblem);
  return (
    <>
      {storageProblem && <p role="alert" className="hint hint-warn">{storageProblem}</p>}
      <Opened />
    </>
  );
}

function Opened() {
  const opened = useKineto((s) => s.storyboard.opened);
  const replaced = useKineto((s) => s.storyboard.replaced);
  const title = useKineto((s) => s.storyboard.board.title);
  const { bringBackReplacedBoard, dismissOpened } = useKineto.getState();
  const dismiss = (
    <button type="button" className="secondary" onClick={dismissOpened}>
      Dismiss
    </button>
  );
  if (opened && opened.problems.length > 0)
    return (
      <div role="alert" className="banner banner-error">
        <div className="banner-text">
          <p className="banner-sentence">Could not open {opened.from}; the board is as it was.</p>
          <ul className="opened-problems">
            {opened.problems.slice(0, 8).map((p) => <li key={p}>{p}</li>)}
          </ul>
          {opened.problems.length > 8 && <p className="banner-detail">…and {opened.problems.length - 8} more.</p>}
        </div>
        {dismiss}
      </div>
    );
  if (!opened && !replaced) return null;
  return (
    <div role="status" className="banner banner-notice">
      <div className="banner-text">
        {opened && <p className="banner-sentence">Opened “{title}” from {opened.from}.</p>}
        {replaced && <p className="banner-detail">“{replaced.title}”, the board shown before, is set aside.</p>}
      </div>
      <div className="actions">
        {replaced && (
          <button type="button" className="secondary" onClick={bringBackReplacedBoard}>
            Bring back “{replaced.title}”
          </button>
        )}
        {dismiss}
      </div>
    </div>
  );
}
