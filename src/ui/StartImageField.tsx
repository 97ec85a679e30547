import { useEffect, useId } from 'react';
import { useKineto } from '../store';

/** The first image file of a drop or a paste, if any. */
function imageOf(data: DataTransfer | null): File | null {
  return [...(data?.files ?? [])].find((f) => f.type.startsWith('image/')) ?? null;
}

/**
 * Start from an image: a file input (a picture may also be dropped on it or pasted anywhere on the page), the picture
 * as the model will see it, and what was done to it to fit.
 */
export function StartImageField() {
  const id = useId();
  const image = useKineto((s) => s.startImage);
  const problem = useKineto((s) => s.startImageProblem);
  const { chooseStartImage, clearStartImage } = useKineto.getState();

  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const file = imageOf(e.clipboardData);
      if (file) void chooseStartImage(file);
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, [chooseStartImage]);

  return (
    <div
      className="field start-image"
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        const file = imageOf(e.dataTransfer);
        if (!file) return;
        e.preventDefault();
        void chooseStartImage(file);
      }}
    >
      <label htmlFor={`${id}-file`}>Start from an image</label>
      <input
        id={`${id}-file`}
        type="file"
        accept="image/*"
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void chooseStartImage(file);
          e.target.value = '';
        }}
      />
      <span className="hint" id={`${id}-hint`}>Optional: the clip's first frame. Drop or paste a picture here too.</span>
      {image && (
        <div className="start-image-preview">
          <img src={image.previewUrl} alt={`${image.name} as the model sees it`} width={96} height={96} />
          <p className="hint" role="status">{image.changed ?? 'The picture is used as it is.'}</p>
          <button type="button" className="secondary" onClick={clearStartImage}>Remove picture</button>
        </div>
      )}
      {problem && <p className="hint hint-warn" role="alert">{problem}</p>}
    </div>
  );
}
