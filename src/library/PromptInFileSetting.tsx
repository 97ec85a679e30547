import { useId } from 'react';
import { useKineto } from '../store';

/** Whether the prompt goes into the file's title; the provenance record (model, settings, AI-generated) always does. */
export function PromptInFileSetting() {
  const id = useId();
  const checked = useKineto((s) => s.promptInFile);
  const setPromptInFile = useKineto((s) => s.setPromptInFile);
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 className="panel-title" id={`${id}-title`}>
        In the video file
      </h2>
      <label className="checkbox">
        <input type="checkbox" checked={checked} onChange={(e) => setPromptInFile(e.target.checked)} aria-describedby={`${id}-hint`} />
        Write the prompt into the file
      </label>
      <p id={`${id}-hint`} className="hint">
        Every MP4 and WebM says in its metadata that it is AI-generated, with the model, seed and settings that made it.
      </p>
    </section>
  );
}
