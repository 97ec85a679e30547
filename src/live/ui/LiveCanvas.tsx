import { useEffect, useRef } from 'react';
import { useKineto } from '../../store';

/** The picture: the frame on screen, drawn at the model's size and scaled by CSS. */
export function LiveCanvas() {
  const picture = useKineto((s) => s.live.picture);
  const running = useKineto((s) => s.live.status === 'running');
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    if (!picture) {
      ctx.clearRect(0, 0, c.width, c.height);
      return;
    }
    if (c.width !== picture.width || c.height !== picture.height) {
      c.width = picture.width;
      c.height = picture.height;
    }
    ctx.putImageData(new ImageData(new Uint8ClampedArray(picture.rgba), picture.width, picture.height), 0, 0);
  }, [picture]);

  const label = picture ? `Live video: “${picture.prompt}”` : running ? 'Live video: waiting for the first frames' : 'Live video: stopped';
  return <canvas ref={canvas} className="live-canvas" role="img" aria-label={label} width={64} height={64} data-frame={picture?.frame ?? -1} />;
}
