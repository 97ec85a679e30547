import { useKineto } from '../../store';
import type { LiveSession } from '../live-slice';

/** How Live copes when making is slower than playing, in words (live-clock.ts `CatchUp`). */
function catchUpText(live: LiveSession, fps: number | null): string | null {
  const base = fps === null ? 'the model’s own rate' : `the model’s ${fps} fps`;
  if (live.catchUp === 'base-rate') return `Making the video is slower than playing it: Smooth motion is off for now, at ${base}.`;
  if (live.catchUp === 'pausing') return `Making the video is slower than playing it, even at ${base}: it pauses at seams while the next part is made.`;
  return null;
}

/** Under the picture: how far ahead making is, which prompt made the part on screen, catch-up, recording and what went wrong. */
export function LiveStatusLines() {
  const live = useKineto((s) => s.live);
  const fps = useKineto((s) => (s.model.status === 'ready' ? s.model.manifest.defaults.fps : null));
  const running = live.status === 'running';
  const catchUp = running ? catchUpText(live, fps) : null;
  return (
    <div className="live-status">
      {running && (
        <p className="live-speed" data-testid="live-speed">
          {live.speed === null ? 'Measuring the speed…' : `${live.speed.toFixed(1)}× faster than playback`}
          <span className="hint"> · buffer {live.bufferSeconds.toFixed(1)} s</span>
        </p>
      )}
      <div aria-live="polite">
        {running && live.picture && (
          <p data-testid="live-on-screen">
            On screen: made with “{live.picture.prompt}”
            {live.makingPrompt !== null && live.makingPrompt !== live.picture.prompt && <span className="hint"> · next: “{live.makingPrompt}”</span>}
          </p>
        )}
        {running && live.paused && <p className="hint">Paused: the picture holds; the next parts are still being made.</p>}
        {running && live.waiting && <p className="hint">{live.picture ? 'Waiting for the next part…' : 'Making the first part…'}</p>}
        {catchUp && <p className="hint hint-warn" data-testid="live-catch-up">{catchUp}</p>}
        {live.recording && (
          <p className="live-recording">
            Recording {live.recording.seconds.toFixed(1)} s — press Record again to keep it in the Library.
          </p>
        )}
        {live.saving && <p className="hint">Making the recording into a clip…</p>}
      </div>
      {live.message && (
        <p role="alert" className="hint hint-warn" data-testid="live-message">
          {live.message}
        </p>
      )}
    </div>
  );
}
