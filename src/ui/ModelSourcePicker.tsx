import { type FormEvent, useRef, useState } from 'react';
import { manifestUrlProblem, modelBusy, pickedFolder, useKineto } from '../store';

/** `showDirectoryPicker` where the browser has it (Chromium); elsewhere the folder input is used. */
type DirectoryPicker = (options?: { id?: string; mode?: 'read' | 'readwrite' }) => Promise<FileSystemDirectoryHandle>;

/** Load another model: from a manifest URL (downloaded once into this browser) or from a folder on this computer. */
export function ModelSourcePicker() {
  const draft = useKineto((s) => s.manifestUrlDraft);
  const setDraft = useKineto((s) => s.setManifestUrlDraft);
  const loadFromUrl = useKineto((s) => s.loadFromUrl);
  const loadFromFolder = useKineto((s) => s.loadFromFolder);
  const busy = useKineto(modelBusy);
  const [problem, setProblem] = useState<string | null>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    const p = manifestUrlProblem(draft);
    setProblem(p);
    if (!p) void loadFromUrl(draft);
  };

  const openFolder = async () => {
    const picker = (window as Window & { showDirectoryPicker?: DirectoryPicker }).showDirectoryPicker;
    if (!picker) {
      folderInput.current?.click();
      return;
    }
    try {
      const handle = await picker({ id: 'kineto-model', mode: 'read' });
      await loadFromFolder(handle.name, handle);
    } catch (e) {
      // Closing the picker is not an error.
      if (!(e instanceof DOMException && e.name === 'AbortError')) throw e;
    }
  };

  return (
    <div className="model-sources">
      <form className="field" onSubmit={submit} noValidate>
        <label htmlFor="manifest-url">Model manifest URL</label>
        <div className="field-row">
          <input
            id="manifest-url"
            type="url"
            inputMode="url"
            placeholder="https://huggingface.co/…/resolve/main/manifest.json"
            value={draft}
            onChange={(e) => {
              setDraft(e.target.value);
              setProblem(null);
            }}
            aria-invalid={problem !== null}
            aria-describedby={problem ? 'manifest-url-problem' : 'manifest-url-hint'}
          />
          <button type="submit" className="secondary" disabled={busy}>
            Load
          </button>
        </div>
        {problem ? (
          <p id="manifest-url-problem" className="field-issue" role="status">
            {problem}
          </p>
        ) : (
          <p id="manifest-url-hint" className="hint">
            Downloaded once into this browser (you can pause and resume), checked, then available offline.
          </p>
        )}
      </form>
      <div className="field-row">
        <button type="button" className="secondary" disabled={busy} onClick={() => void openFolder()}>
          Open a model folder…
        </button>
        <input
          ref={folderInput}
          type="file"
          hidden
          multiple
          aria-label="Model folder files"
          {...{ webkitdirectory: '', directory: '' }}
          onChange={(e) => {
            const folder = pickedFolder(Array.from(e.target.files ?? []));
            e.target.value = '';
            if (folder) void loadFromFolder(folder.name, folder.files);
          }}
        />
      </div>
    </div>
  );
}
