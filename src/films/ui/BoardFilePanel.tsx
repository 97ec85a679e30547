import { useId, useRef, useState } from 'react';
import { useKineto } from '../../store';
import { isImageStart } from '../board';
import { isDataUrl } from '../board-link';

/** The board beyond this tab: its Share link, and the board as a JSON file to download or open. */
export function BoardFilePanel() {
  const id = useId();
  const link = useKineto((s) => s.storyboard.link);
  const pictures = useKineto((s) => s.storyboard.board.shots.filter((shot) => isImageStart(shot.start) && isDataUrl(shot.start.image)).length);
  const { shareBoard, downloadBoard, openBoardFile } = useKineto.getState();
  const fileInput = useRef<HTMLInputElement>(null);
  const linkInput = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const left = link ? link.picturesLeftOut : pictures;

  const copy = async () => {
    linkInput.current?.select();
    try {
      await navigator.clipboard.writeText(link!.url);
      setCopied('Copied.');
    } catch {
      setCopied('Selected: press Ctrl+C (⌘C) to copy.');
    }
  };

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 className="panel-title" id={`${id}-title`}>Share and save</h2>
      <div className="actions">
        <button type="button" onClick={() => (setCopied(null), void shareBoard())}>Share link</button>
        <button type="button" onClick={downloadBoard}>Download board</button>
        <button type="button" onClick={() => fileInput.current?.click()}>Open board…</button>
        <input
          ref={fileInput}
          type="file"
          hidden
          accept=".json,application/json"
          aria-label="Board file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void openBoardFile(file);
          }}
        />
      </div>
      {link && (
        <div className="field">
          <label htmlFor={`${id}-link`}>Link to this board</label>
          <div className="field-row">
            <input id={`${id}-link`} ref={linkInput} readOnly value={link.url} onFocus={(e) => e.target.select()} />
            <button type="button" className="secondary" onClick={() => void copy()}>Copy</button>
          </div>
          {copied && <span className="hint" role="status">{copied}</span>}
        </div>
      )}
      {left > 0 && (
        <p className="hint hint-warn">
          {left === 1 ? 'The picture a shot starts from is' : `The ${left} pictures shots start from are`} too large for a link: the link names{' '}
          {left === 1 ? 'it' : 'them'}, and whoever opens it chooses {left === 1 ? 'it' : 'them'} again. Download board keeps pictures.
        </p>
      )}
      <p className="hint">The board is kept in this browser as you write. A board file is the same document the command line reads.</p>
    </section>
  );
}
