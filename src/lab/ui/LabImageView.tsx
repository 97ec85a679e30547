import { useEffect, useRef } from 'react';
import type { LabImage } from '../lab-protocol';
import { markForBench } from '../../automation';

/** A Lab image on a canvas at its native size, scaled up by CSS with square pixels. */
export function LabImageView({ image, label, testId }: { image: LabImage | null; label: string; testId?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || !image) return;
    canvas.width = image.width;
    canvas.height = image.height;
    canvas.getContext('2d')?.putImageData(new ImageData(image.rgba, image.width, image.height), 0, 0);
    // `npm run bench` times Step-slider updates from the `lab-step` mark (lab-slice) to this one.
    if (testId) markForBench(`lab-drawn:${testId}`);
  }, [image, testId]);
  return (
    <figure className="lab-figure">
      {image ? (
        <canvas ref={ref} className="lab-img" role="img" aria-label={label} data-testid={testId} style={{ aspectRatio: `${image.width} / ${image.height}` }} />
      ) : (
        <div className="lab-img lab-img-empty" role="img" aria-label={`${label}: not available yet`} />
      )}
      <figcaption>{label}</figcaption>
    </figure>
  );
}
