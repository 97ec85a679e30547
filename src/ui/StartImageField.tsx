import { useEffect, useId, useRef } from 'react';
import { useKineto } from '../store';
import { type Keyframe, pasteTarget, type StartImage } from '../store/start-image-slice';

/** The first image file of a drop or a paste, if any. */
function imageOf(data: DataTransfer | null): File | null {
  return [...(data?.files ?? [])].find((f) => f.type.startsWith('image/')) ?? null;
}

type ImageFieldProps = {
  which: Keyframe;
  label: string;
  hint: string;
  image: StartImage | null;
  problem: string | null;
  choose(picture: Blob): void;
  clear(): void;
  removeLabel: string;
};

/** One picture: a file input (a picture may also be dropped on it), the picture as the model sees it, and what changed. */
function ImageField({ which, label, hint, image, problem, choose, clear, removeLabel }: ImageFieldProps) {
  const id = useId();
  const reveal = useKineto((s) => which === 'start' && s.revealStartImage);
  const preview = useRef<HTMLImageElement>(null);

  // Use this frame put a clip's frame here: show it and move the focus to it (once).
  useEffect(() => {
    if (!reveal || !image || !preview.current) return;
    preview.current.focus();
    useKineto.getState().startImageRevealed();
  }, [reveal, image]);

  return (
    <div
      className="field start-image"
      data-keyframe={which}
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        const file = imageOf(e.dataTransfer);
        if (!file) return;
        e.preventDefault();
        choose(file);
      }}
    >
      <label htmlFor={`${id}-file`}>{label}</label>
      <input
        id={`${id}-file`}
        type="file"
        accept="image/*"
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) choose(file);
          e.target.value = '';
        }}
      />
      <span className="hint" id={`${id}-hint`}>{hint}</span>
      {image && (
        <div className="start-image-preview">
          <img ref={preview} tabIndex={-1} src={image.previewUrl} alt={`${image.name} as the model sees it`} width={96} height={96} />
          <p className="hint" role="status">{image.changed ?? 'The picture is used as it is.'}</p>
          <button type="button" className="secondary" onClick={clear}>{removeLabel}</button>
        </div>
      )}
      {problem && <p className="hint hint-warn" role="alert">{problem}</p>}
    </div>
  );
}

/**
 * Start from an image and, once there is one, End on an image: the clip's first and last frames (with both, the model
 * makes the in-betweens). A picture may be chosen, dropped on a field, pasted anywhere on the page (into the field
 * with the focus, else the first one empty), or taken from a clip with Use this frame.
 */
export function StartImageField() {
  const start = useKineto((s) => s.startImage);
  const end = useKineto((s) => s.endImage);
  const startProblem = useKineto((s) => s.startImageProblem);
  const endProblem = useKineto((s) => s.endImageProblem);
  const { chooseStartImage, chooseEndImage, clearStartImage, clearEndImage } = useKineto.getState();

  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const file = imageOf(e.clipboardData);
      if (!file) return;
      const field = document.activeElement?.closest<HTMLElement>('[data-keyframe]')?.dataset.keyframe;
      const { startImage, endImage } = useKineto.getState();
      const target = pasteTarget({ start: !!startImage, end: !!endImage }, field === 'start' || field === 'end' ? field : null);
      void (target === 'start' ? chooseStartImage(file) : chooseEndImage(file));
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, [chooseStartImage, chooseEndImage]);

  return (
    <div className="keyframes">
      <ImageField
        which="start"
        label="Start from an image"
        hint="Optional: the clip's first frame. Drop or paste a picture here too, or press Use this frame on a clip."
        image={start}
        problem={startProblem}
        choose={(f) => void chooseStartImage(f)}
        clear={clearStartImage}
        removeLabel="Remove picture"
      />
      {start && (
        <ImageField
          which="end"
          label="End on an image"
          hint="Optional: the clip's last frame. With both pictures the model makes the in-betweens: the frames from one to the other."
          image={end}
          problem={endProblem}
          choose={(f) => void chooseEndImage(f)}
          clear={clearEndImage}
          removeLabel="Remove end picture"
        />
      )}
    </div>
  );
}
