/**
 * Captions drawn into a film's frames (a board with `burnCaptions`), for players that show no subtitle track. Drawn
 * with an OffscreenCanvas (the worker has one): white text on a dark band at the foot of the frame, wrapped to its
 * width, sized from the frame's height so that it reads the same at any output size.
 */

/** Draws `text` into the RGBA `frame` of `width`×`height` in place. */
export function burnCaption(frame: Uint8ClampedArray, width: number, height: number, text: string): void {
  const canvas = new OffscreenCanvas(width, height);
  const g = canvas.getContext('2d');
  if (!g) throw new Error('This browser cannot draw captions (no 2D canvas in the worker).');
  g.putImageData(new ImageData(new Uint8ClampedArray(frame), width, height), 0, 0);
  const size = Math.max(8, Math.round(height / 14));
  g.font = `${size}px sans-serif`;
  const lines = wrap(g, text, width * 0.9);
  const lineHeight = Math.round(size * 1.25);
  const band = lines.length * lineHeight + size / 2;
  g.fillStyle = 'rgba(0, 0, 0, 0.65)';
  g.fillRect(0, height - band, width, band);
  g.fillStyle = '#fff';
  g.textAlign = 'center';
  g.textBaseline = 'bottom';
  lines.forEach((line, i) => g.fillText(line, width / 2, height - size / 4 - (lines.length - 1 - i) * lineHeight));
  frame.set(g.getImageData(0, 0, width, height).data);
}

/** `text`'s words in lines no wider than `max` (a longer word gets a line of its own). */
function wrap(g: OffscreenCanvasRenderingContext2D, text: string, max: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r\n|\r|\n/)) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const next = line ? `${line} ${word}` : word;
      if (line && g.measureText(next).width > max) {
        lines.push(line);
        line = word;
      } else line = next;
    }
    if (line) lines.push(line);
  }
  return lines;
}
