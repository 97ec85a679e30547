import { useKineto } from '../../store';
import { CAPTIONS } from '../captions';
import type { LabViewName } from '../lesson-link';

/** A view's sentences for the class, and the "Show the maths" toggle with its formula in MathML. */
export function Caption({ view }: { view: LabViewName }) {
  const showMaths = useKineto((s) => s.lab.showMaths);
  const toggle = useKineto((s) => s.toggleMaths);
  const c = CAPTIONS[view];
  return (
    <div className="lab-caption">
      {c.sentences.map((s) => (
        <p key={s}>{s}</p>
      ))}
      <button type="button" className="secondary lab-maths-toggle" aria-expanded={showMaths} onClick={toggle}>
        {showMaths ? 'Hide the maths' : 'Show the maths'}
      </button>
      {/* Static MathML written in captions.ts, never built from input. A formula wider than the view scrolls, so the
          region takes focus: arrow keys scroll it (axe scrollable-region-focusable). */}
      {showMaths && (
        <div className="lab-maths" role="region" aria-label="The maths" tabIndex={0} dangerouslySetInnerHTML={{ __html: c.maths }} />
      )}
    </div>
  );
}
