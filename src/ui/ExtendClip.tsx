import { useKineto } from '../store';
import type { RunResult } from '../store';
import { clock } from '../films/ui/ShotCard';
import { fileFps } from '../engine/clip-facts';

/**
 * Extend and Continue with a new prompt on the clip on screen (each adds two seconds, carried on from its last frames),
 * for a model that can take known frames; and, once a clip has parts, where each begins.
 */
export function ExtendClip({ result }: { result: RunResult }) {
  const running = useKineto((s) => s.run.status !== 'idle');
  const canExtend = useKineto((s) => s.model.status === 'ready' && s.model.manifest.pipeline === 'text-to-video' && !!s.model.manifest.components.vae_encoder);
  const { extend } = useKineto.getState();
  const parts = result.parts ?? [];
  const fps = fileFps(result.facts);
  return (
    <>
      {canExtend && (
        <div className="result-actions">
          <button type="button" className="secondary" disabled={running} onClick={() => void extend()}>Extend</button>
          <button type="button" className="secondary" disabled={running} onClick={() => void extend(useKineto.getState().draft.prompt)}>
            Continue with a new prompt
          </button>
        </div>
      )}
      {parts.length > 1 && (
        <div className="clip-parts">
          <h3>Parts</h3>
          <ol aria-label="Where each part begins">
            {parts.map((p, i) => (
              <li key={i}>
                <span className="clip-part-time">{clock(p.startFrame / fps)}</span> {p.prompt}
              </li>
            ))}
          </ol>
        </div>
      )}
    </>
  );
}
