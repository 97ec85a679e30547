import { useId, useState } from 'react';
import { useKineto } from '../store';
import { AiBadge } from './AiBadge';
import { MAX_VARIATIONS } from './variations';

const STATUS_TEXT = { waiting: 'Waiting', running: 'Generating…', failed: 'Not made', done: '' } as const;

/** One prompt, several seeds: runs them one after another and fills a grid as each clip finishes. */
export function VariationsPanel() {
  const id = useId();
  const [count, setCount] = useState('4');
  const variations = useKineto((s) => s.library.variations);
  const { runVariations, stopVariations } = useKineto.getState();
  const canRun = useKineto((s) => s.model.status === 'ready' && s.run.status === 'idle');
  const running = variations?.status === 'running';
  const n = Number(count);
  const valid = Number.isInteger(n) && n >= 2 && n <= MAX_VARIATIONS;

  return (
    <section className="panel variations" aria-labelledby={`${id}-title`}>
      <h2 className="panel-title" id={`${id}-title`}>
        Variations
      </h2>
      <p className="hint" id={`${id}-hint`}>
        The same prompt and settings with consecutive seeds, starting from the Seed field; each clip is kept in the Library.
      </p>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-count`}>Seeds</label>
          <input
            id={`${id}-count`}
            type="number"
            inputMode="numeric"
            min={2}
            max={MAX_VARIATIONS}
            value={count}
            aria-invalid={!valid}
            aria-describedby={`${id}-hint`}
            onChange={(e) => setCount(e.target.value)}
          />
        </div>
        {running ? (
          <button type="button" className="secondary" onClick={stopVariations}>
            Stop variations
          </button>
        ) : (
          <button type="button" className="secondary" disabled={!canRun || !valid} onClick={() => void runVariations(n)}>
            Run variations
          </button>
        )}
      </div>
      {!valid && <p className="hint hint-warn">Choose 2 to {MAX_VARIATIONS} seeds.</p>}
      {variations && (
        <ul className="variations-grid" aria-label="Variations of the prompt" data-status={variations.status}>
          {variations.items.map((item) => (
            <li key={item.seed} data-status={item.status}>
              {item.url ? (
                <video src={item.url} autoPlay loop muted playsInline aria-label={`Variation, seed ${item.seed}`} />
              ) : (
                <span className="poster-missing">{STATUS_TEXT[item.status]}</span>
              )}
              <p className="hint">
                Seed {item.seed} {item.url && <AiBadge />}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
