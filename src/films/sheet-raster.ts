/**
 * A small raster painter for the storyboard sheet: an opaque RGBA buffer with filled and outlined rectangles, frames
 * scaled with nearest neighbour (a whole-number enlargement keeps a model's few pixels crisp) and text in the sheet's
 * bitmap font (sheet-font.ts). Pure TS with integer coordinates, so Node and the browser paint the same bytes.
 */
import { resizeRgba } from '../video/resize';
import { glyph, GLYPH_ROWS, LETTER_SPACING, sheetAscii } from './sheet-font';

export type Rgb = readonly [number, number, number];
export type Raster = { width: number; height: number; rgba: Uint8ClampedArray };

/** A raster of `width` × `height` filled with `paper`. */
export function createRaster(width: number, height: number, paper: Rgb): Raster {
  const r = { width, height, rgba: new Uint8ClampedArray(width * height * 4) };
  fillRect(r, 0, 0, width, height, paper);
  return r;
}

/** Pixels `from` (byte offset) to `to` set to `colour`: one pixel written, then copied in doubling runs. */
function fillRun(rgba: Uint8ClampedArray, from: number, to: number, colour: Rgb): void {
  if (to <= from) return;
  rgba[from] = colour[0];
  rgba[from + 1] = colour[1];
  rgba[from + 2] = colour[2];
  rgba[from + 3] = 255;
  for (let done = 4; done < to - from; done *= 2) rgba.copyWithin(from + done, from, from + Math.min(done, to - from - done));
}

/** Fills the rectangle (clipped to the raster); coordinates are rounded to whole pixels. */
export function fillRect(r: Raster, x: number, y: number, w: number, h: number, colour: Rgb): void {
  const x0 = Math.max(0, Math.round(x));
  const y0 = Math.max(0, Math.round(y));
  const x1 = Math.min(r.width, Math.round(x + w));
  const y1 = Math.min(r.height, Math.round(y + h));
  for (let py = y0; py < y1; py++) fillRun(r.rgba, (py * r.width + x0) * 4, (py * r.width + x1) * 4, colour);
}

/** A rectangle's outline, `line` pixels thick, drawn inside it. */
export function strokeRect(r: Raster, x: number, y: number, w: number, h: number, line: number, colour: Rgb): void {
  fillRect(r, x, y, w, line, colour);
  fillRect(r, x, y + h - line, w, line, colour);
  fillRect(r, x, y, line, h, colour);
  fillRect(r, x + w - line, y, line, h, colour);
}

/**
 * Draws the RGBA `frame` (`fw` × `fh`) into the rectangle: nearest neighbour when it is enlarged (every source pixel
 * a block), the video's own resampling when it is reduced.
 */
export function drawFrame(r: Raster, frame: Uint8ClampedArray, fw: number, fh: number, x: number, y: number, w: number, h: number): void {
  const [x0, y0, dw, dh] = [Math.round(x), Math.round(y), Math.round(w), Math.round(h)];
  const reduced = dw < fw || dh < fh;
  const src = reduced ? resizeRgba(frame, fw, fh, dw, dh) : frame;
  const [sw, sh] = reduced ? [dw, dh] : [fw, fh];
  for (let py = 0; py < dh; py++) {
    const ty = y0 + py;
    if (ty < 0 || ty >= r.height) continue;
    const sy = Math.min(sh - 1, Math.floor((py * sh) / dh));
    for (let px = 0; px < dw; px++) {
      const tx = x0 + px;
      if (tx < 0 || tx >= r.width) continue;
      const s = (sy * sw + Math.min(sw - 1, Math.floor((px * sw) / dw))) * 4;
      const t = (ty * r.width + tx) * 4;
      r.rgba[t] = src[s]!;
      r.rgba[t + 1] = src[s + 1]!;
      r.rgba[t + 2] = src[s + 2]!;
      r.rgba[t + 3] = 255;
    }
  }
}

/** How text is drawn: the font's scale (pixels per font pixel) and whether it is bold (each stroke widened). */
export type TextStyle = { scale: number; bold: boolean };

/** Extra width a bold stroke gets, in pixels. */
const boldSpread = (s: TextStyle) => (s.bold ? Math.max(1, Math.floor(s.scale / 2)) : 0);

/** The width `text` takes when drawn, in pixels. */
export function measureText(text: string, style: TextStyle): number {
  const chars = [...sheetAscii(text)];
  if (chars.length === 0) return 0;
  const advance = chars.reduce((sum, ch) => sum + (glyph(ch).width + LETTER_SPACING) * style.scale + boldSpread(style), 0);
  return advance - LETTER_SPACING * style.scale;
}

/** The height of a line of text: cap line to the lowest descender, in pixels. */
export function textHeight(style: TextStyle): number {
  return GLYPH_ROWS * style.scale;
}

/** Draws `text` with its cap line at `y` (the baseline 7 font pixels below: sheet-font.ts's ASCENT). */
export function drawText(r: Raster, text: string, x: number, y: number, style: TextStyle, colour: Rgb): void {
  let pen = Math.round(x);
  const top = Math.round(y);
  const spread = boldSpread(style);
  for (const ch of sheetAscii(text)) {
    const g = glyph(ch);
    for (const [gx, gy] of g.ink) fillRect(r, pen + gx * style.scale, top + gy * style.scale, style.scale + spread, style.scale, colour);
    pen += (g.width + LETTER_SPACING) * style.scale + spread;
  }
}
