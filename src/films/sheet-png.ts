/**
 * The storyboard sheet as one raster image: an A4-landscape-wide page (1754 px, A4's 297 mm at 150 dpi) as tall as its
 * panels need, four panels a row, the bitmap font at whole-number scales and each key frame enlarged in whole steps.
 * The CLI encodes it with pngjs and the app with OffscreenCanvas; both paint these same pixels.
 */
import { layoutSheet, type PlacedText, type Sheet, type SheetFont, type SheetStyle } from './sheet-layout';
import { createRaster, drawFrame, drawText, fillRect, measureText, type Raster, type Rgb, strokeRect, type TextStyle, textHeight } from './sheet-raster';

const PAPER: Rgb = [255, 255, 255];
const INK: Rgb = [24, 24, 24];
const PANEL: Rgb = [245, 244, 240];
const PANEL_EDGE: Rgb = [196, 193, 184];
const SCREEN: Rgb = [0, 0, 0];
const INK_BY_FONT: Record<SheetFont, Rgb> = {
  title: INK, summary: [90, 90, 90], heading: INK, body: INK, caption: [22, 64, 128], note: [90, 90, 90],
};
const FONTS: Record<SheetFont, TextStyle> = {
  title: { scale: 5, bold: true },
  summary: { scale: 2, bold: false },
  heading: { scale: 3, bold: true },
  body: { scale: 2, bold: false },
  caption: { scale: 2, bold: false },
  note: { scale: 2, bold: false },
};

export const PNG_SHEET_STYLE: SheetStyle = {
  pageWidth: 1754,
  pageHeight: null,
  margin: 64,
  gutter: 32,
  columns: 4,
  padding: 16,
  lineHeight: { title: 60, summary: 30, heading: 32, body: 24, caption: 24, note: 24 },
  imageHeight: 320,
  maxLines: { title: 2, prompt: 4, caption: 3 },
  wholeScale: true,
  measure: (text, font) => measureText(text, FONTS[font]),
};

function paintText(r: Raster, t: PlacedText, lineHeight: number): void {
  const style = FONTS[t.font];
  const x = t.align === 'right' ? t.x - measureText(t.text, style) : t.x;
  drawText(r, t.text, x, t.y + Math.floor((lineHeight - textHeight(style)) / 2), style, INK_BY_FONT[t.font]);
}

/** The sheet painted (`style` for tests; the sheet's own by default). */
export function paintSheet(sheet: Sheet, style: SheetStyle = PNG_SHEET_STYLE): Raster {
  const [page] = layoutSheet(sheet, { ...style, pageHeight: null });
  const r = createRaster(page!.width, page!.height, PAPER);
  for (const t of page!.texts) paintText(r, t, style.lineHeight[t.font]);
  for (const box of page!.panels) {
    fillRect(r, box.x, box.y, box.width, box.height, PANEL);
    strokeRect(r, box.x, box.y, box.width, box.height, 2, PANEL_EDGE);
    const { imageBox: b, picture: p } = box;
    fillRect(r, b.x, b.y, b.width, b.height, SCREEN);
    const { keyFrame: k } = sheet.panels[box.panel]!;
    drawFrame(r, k.rgba, k.width, k.height, p.x, p.y, p.width, p.height);
    for (const t of box.texts) paintText(r, t, style.lineHeight[t.font]);
  }
  return r;
}
