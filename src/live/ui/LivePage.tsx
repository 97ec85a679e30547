import { type KeyboardEvent, useId, useMemo } from 'react';
import { SaveStatus } from '../../library/SaveStatus';
import { useKineto } from '../../store';
import { findUnknownWords } from '../../store/settings-slice';
import { liveProblem } from '../live-model';
import { LiveCanvas } from './LiveCanvas';
import { LiveStatusLines } from './LiveStatusLines';
import './live.css';

/**
 * Live: type a prompt, press Start, and video keeps coming; an edit takes over at the next seam once typing pauses
 * (or at once with Enter). Pause / Resume hold and go on; Record keeps what is shown until it is pressed again.
 */
export function LivePage() {
  const id = useId();
  const prompt = useKineto((s) => s.live.prompt);
  const smooth = useKineto((s) => s.live.smooth);
  const running = useKineto((s) => s.live.status === 'running');
  const paused = useKineto((s) => s.live.paused);
  const recording = useKineto((s) => s.live.recording !== null);
  const problem = useKineto((s) => liveProblem(s.model));
  const vocabulary = useKineto((s) => (s.model.status === 'ready' ? s.model.manifest.vocabulary : undefined));
  const unknown = useMemo(() => findUnknownWords(prompt, vocabulary), [prompt, vocabulary]);
  const { setLivePrompt, commitLivePrompt, startLive, stopLive, pauseLive, resumeLive, setLiveSmooth, toggleLiveRecording } = useKineto.getState();

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    if (running) commitLivePrompt();
    else if (problem === null) startLive();
  };

  return (
    <main className="live-layout">
      <section className="panel live" aria-labelledby={`${id}-title`}>
        <h2 className="panel-title" id={`${id}-title`}>Live</h2>
        <p className="hint" id={`${id}-hint`}>
          Type what the video shows and press Start: it keeps coming. Change the prompt while it plays and the next part follows it, from the
          frames on screen — about a second after you stop typing, or at once with Enter.
        </p>
        <div className="field">
          <label htmlFor={`${id}-prompt`}>Prompt</label>
          <input
            id={`${id}-prompt`}
            type="text"
            value={prompt}
            placeholder="e.g. “a large red circle bouncing on a black background”"
            aria-describedby={unknown.length > 0 ? `${id}-hint ${id}-unknown` : `${id}-hint`}
            onChange={(e) => setLivePrompt(e.target.value)}
            onKeyDown={onKeyDown}
          />
          {unknown.length > 0 && (
            <p className="hint hint-warn" id={`${id}-unknown`}>
              Not in the model's vocabulary (ignored): {unknown.join(', ')}
            </p>
          )}
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={smooth} onChange={(e) => setLiveSmooth(e.target.checked)} aria-describedby={`${id}-smooth`} />
          Smooth motion
        </label>
        <p className="hint" id={`${id}-smooth`}>
          Makes the frames between the model's too: twice the frame rate, for more work per second.
        </p>
        <div className="actions live-actions">
          <button type="button" className="primary" disabled={!running && problem !== null} onClick={() => (running ? stopLive() : startLive())}>
            {running ? 'Stop' : 'Start'}
          </button>
          <button type="button" disabled={!running} onClick={() => (paused ? resumeLive() : pauseLive())}>
            {paused ? 'Resume' : 'Pause'}
          </button>
          <button type="button" disabled={!running} aria-pressed={recording} onClick={toggleLiveRecording}>
            {recording && <span className="live-rec-dot" aria-hidden="true" />}
            Record
          </button>
        </div>
        {problem !== null && !running && <p className="hint hint-warn">{problem}</p>}
      </section>
      <section className="panel live-screen" aria-label="Live video and its status">
        <LiveCanvas />
        <LiveStatusLines />
        <SaveStatus />
      </section>
    </main>
  );
}
