import { useEffect, useMemo, useRef } from 'react';
import { useKineto, type Preview } from '../store';

/** Canvas backing size of the live preview, in pixels (CSS scales it to the layout). */
const VIEW_SIZE = 256;
/** Height of each filmstrip cell, in canvas pixels. */
const STRIP_CELL = 48;

/** One small canvas per preview frame, so drawing a frame scaled up is a single drawImage. */
function toSources(preview: Preview): HTMLCanvasElement[] {
  const { width, height } = preview;
  const sources: HTMLCanvasElement[] = [];
  for (const rgba of preview.frames) {
    if (rgba.length !== width * height * 4) continue;
    const c = document.createElement('canvas');
    c.width = width;
    c.height = height;
    // A copy: ImageData wants its own ArrayBuffer-backed array.
    c.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
    sources.push(c);
  }
  return sources;
}

/** Draws `src` into `ctx` scaled to fit (letterboxed), with smoothing. */
function drawFit(ctx: CanvasRenderingContext2D, src: HTMLCanvasElement, x: number, y: number, w: number, h: number): void {
  const scale = Math.min(w / src.width, h / src.height);
  const dw = src.width * scale;
  const dh = src.height * scale;
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(src, x + (w - dw) / 2, y + (h - dh) / 2, dw, dh);
}

function clear(ctx: CanvasRenderingContext2D): void {
  ctx.fillStyle = '#0b0e14';
  ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
}

/**
 * The model's current estimate of the finished clip (x̂0) after each denoising step: animated on the main canvas
 * at the run's fps, and every frame side by side in a filmstrip.
 */
export function PreviewStrip() {
  const preview = useKineto((s) => s.run.preview);
  const previewSteps = useKineto((s) => s.run.previewSteps);
  const fps = useKineto((s) => s.run.fps);
  const status = useKineto((s) => s.run.status);
  const outcome = useKineto((s) => s.run.outcome);
  const viewRef = useRef<HTMLCanvasElement>(null);
  const stripRef = useRef<HTMLCanvasElement>(null);
  const sources = useMemo(() => (preview ? toSources(preview) : []), [preview]);

  // Animate the main canvas through the latest frames. A timer at the clip's fps, not requestAnimationFrame: on a
  // 2-core machine a 60 Hz page took CPU from the model running beside it (docs/SPEED.md).
  useEffect(() => {
    const ctx = viewRef.current?.getContext('2d');
    if (!ctx) return;
    clear(ctx);
    if (sources.length === 0) return;
    const reduceMotion = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
    const frameMs = 1000 / (Number.isFinite(fps) && fps > 0 ? fps : 8);
    let index = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const draw = () => {
      clear(ctx);
      drawFit(ctx, sources[index]!, 0, 0, ctx.canvas.width, ctx.canvas.height);
      if (reduceMotion) return;
      index = (index + 1) % sources.length;
      timer = setTimeout(draw, frameMs);
    };
    draw();
    return () => clearTimeout(timer);
  }, [sources, fps]);

  // The filmstrip: all frames of the latest preview in one row.
  useEffect(() => {
    const canvas = stripRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const first = sources[0];
    const cellW = first ? Math.round((STRIP_CELL * first.width) / first.height) : STRIP_CELL;
    canvas.width = Math.max(1, sources.length) * cellW;
    canvas.height = STRIP_CELL;
    clear(ctx);
    sources.forEach((src, i) => drawFit(ctx, src, i * cellW, 0, cellW, STRIP_CELL));
  }, [sources]);

  let caption: string;
  if (preview) {
    const what = status !== 'idle' ? 'estimate' : outcome === 'done' ? 'final estimate' : 'last estimate before stopping';
    caption = `Step ${preview.step} / ${preview.totalSteps} — the model's ${what} of the clip (x̂0), ${sources.length} frames`;
  } else if (status !== 'idle') {
    caption = 'The preview appears after the first denoising step.';
  } else {
    caption = 'While generating, this shows what the model currently thinks the clip looks like.';
  }

  return (
    <section className="panel preview-panel">
      <h2 className="panel-title">Live preview</h2>
      <canvas
        ref={viewRef}
        className="preview-view"
        width={VIEW_SIZE}
        height={VIEW_SIZE}
        aria-label="Live preview"
        data-preview-steps={previewSteps}
        role="img"
      />
      <canvas ref={stripRef} className="preview-strip" aria-label="Preview filmstrip" role="img" hidden={sources.length === 0} />
      <p className="hint preview-caption">{caption}</p>
    </section>
  );
}
