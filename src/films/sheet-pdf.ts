/**
 * The storyboard sheet as a PDF: A4 landscape pages of eight panels (four a row), as many pages as the shots need,
 * the title on each. Text is real text in Helvetica (searchable, sharp at any zoom; helvetica.ts), each key frame an
 * RGB image enlarged in whole steps to at least 256 pixels so that it stays crisp where a reader smooths images, and
 * compressed with Flate by `deflate` (CompressionStream in the browser, zlib in Node: both give zlib data).
 */
import { helveticaWidth, winAnsi } from './helvetica';
import { type PdfObject, pdfBytes, pdfLiteral, pdfNumber, pdfTextString, ref } from './pdf-file';
import { type KeyFrame, layoutSheet, type PlacedText, type Rect, type Sheet, type SheetFont, type SheetStyle } from './sheet-layout';

/** zlib-wrapped deflate (RFC 1950), what /FlateDecode reads. */
export type Deflate = (data: Uint8Array) => Promise<Uint8Array>;

/** A4 in points (1/72 inch): 297 × 210 mm. */
const A4_LANDSCAPE = { width: 842, height: 595 };
const FONT_RESOURCES = { F1: 'Helvetica', F2: 'Helvetica-Bold', F3: 'Helvetica-Oblique' } as const;
type FontName = keyof typeof FONT_RESOURCES;
const FONTS: Record<SheetFont, { name: FontName; size: number; rgb: string }> = {
  title: { name: 'F2', size: 20, rgb: '0.094 0.094 0.094' },
  summary: { name: 'F1', size: 9, rgb: '0.35 0.35 0.35' },
  heading: { name: 'F2', size: 11, rgb: '0.094 0.094 0.094' },
  body: { name: 'F1', size: 8.5, rgb: '0.094 0.094 0.094' },
  caption: { name: 'F3', size: 8.5, rgb: '0.086 0.251 0.502' },
  note: { name: 'F1', size: 7.5, rgb: '0.35 0.35 0.35' },
};
/** Key frames are enlarged to at least this many pixels on their longer side. */
const MIN_IMAGE_PIXELS = 256;

export const PDF_SHEET_STYLE: SheetStyle = {
  pageWidth: A4_LANDSCAPE.width,
  pageHeight: A4_LANDSCAPE.height,
  margin: 36,
  gutter: 14,
  columns: 4,
  padding: 8,
  lineHeight: { title: 24, summary: 14, heading: 14, body: 10.5, caption: 10.5, note: 10 },
  imageHeight: 128,
  // One title line and three prompt lines keep two rows of panels on a page.
  maxLines: { title: 1, prompt: 3, caption: 2 },
  wholeScale: false,
  measure: (text, font) => helveticaWidth(text, FONTS[font].size, FONTS[font].name === 'F2'),
};

/** `frame` as RGB bytes, each pixel a `k` × `k` block. */
function enlargedRgb(frame: KeyFrame, k: number): Uint8Array {
  const w = frame.width * k;
  const out = new Uint8Array(w * frame.height * k * 3);
  for (let y = 0; y < frame.height * k; y++)
    for (let x = 0; x < w; x++) {
      const s = ((Math.floor(y / k) * frame.width) + Math.floor(x / k)) * 4;
      out.set(frame.rgba.subarray(s, s + 3), (y * w + x) * 3);
    }
  return out;
}

/** The page's content stream: PDF's y runs up from the foot of the page, the layout's down from its top. */
function pageContent(texts: PlacedText[], panels: { box: Rect; imageBox: Rect; picture: Rect; image: string }[], height: number, style: SheetStyle): string {
  const n = pdfNumber;
  const rect = (r: Rect) => `${n(r.x)} ${n(height - r.y - r.height)} ${n(r.width)} ${n(r.height)} re`;
  const ops: string[] = [];
  for (const p of panels) {
    ops.push(`0.961 0.957 0.941 rg ${rect(p.box)} f`, `0.769 0.757 0.722 RG 0.75 w ${rect(p.box)} S`);
    ops.push(`0 0 0 rg ${rect(p.imageBox)} f`);
    ops.push(`q ${n(p.picture.width)} 0 0 ${n(p.picture.height)} ${n(p.picture.x)} ${n(height - p.picture.y - p.picture.height)} cm /${p.image} Do Q`);
  }
  for (const t of texts) {
    const f = FONTS[t.font];
    const x = t.align === 'right' ? t.x - style.measure(t.text, t.font) : t.x;
    // The baseline sits so that the cap height (0.72 em) is centred in the line box.
    const baseline = height - (t.y + style.lineHeight[t.font] / 2 + 0.36 * f.size);
    ops.push(`BT /${f.name} ${n(f.size)} Tf ${f.rgb} rg ${n(x)} ${n(baseline)} Td ${pdfLiteral(winAnsi(t.text))} Tj ET`);
  }
  return `${ops.join('\n')}\n`;
}

/** The sheet as a PDF file. */
export async function sheetPdf(sheet: Sheet, deflate: Deflate, style: SheetStyle = PDF_SHEET_STYLE): Promise<Uint8Array> {
  const pages = layoutSheet(sheet, style);
  const objects: PdfObject[] = [];
  const add = (o: PdfObject) => objects.push(o);
  add(''); // 1: the catalog, once the pages are numbered
  add(''); // 2: the page tree
  add(`<< /Title ${pdfTextString(sheet.title)} /Producer (Kineto) >>`);
  const fonts = Object.entries(FONT_RESOURCES).map(([name, base]) => `/${name} ${ref(add(`<< /Type /Font /Subtype /Type1 /BaseFont /${base} /Encoding /WinAnsiEncoding >>`))}`);
  const kids: number[] = [];
  for (const page of pages) {
    const images: string[] = [];
    const panels = [];
    for (const box of page.panels) {
      const frame = sheet.panels[box.panel]!.keyFrame;
      const k = Math.max(1, Math.ceil(MIN_IMAGE_PIXELS / Math.max(frame.width, frame.height)));
      const data = await deflate(enlargedRgb(frame, k));
      const image = `Im${box.panel + 1}`;
      images.push(`/${image} ${ref(add({ dict: `/Type /XObject /Subtype /Image /Width ${frame.width * k} /Height ${frame.height * k} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Interpolate false /Filter /FlateDecode`, data }))}`);
      panels.push({ box, imageBox: box.imageBox, picture: box.picture, image });
    }
    const content = pageContent([...page.texts, ...page.panels.flatMap((p) => p.texts)], panels, page.height, style);
    const contents = add({ dict: '', data: Uint8Array.from(content, (c) => c.charCodeAt(0)) });
    kids.push(add(`<< /Type /Page /Parent ${ref(2)} /MediaBox [0 0 ${page.width} ${page.height}] /Contents ${ref(contents)} /Resources << /Font << ${fonts.join(' ')} >> /XObject << ${images.join(' ')} >> >> >>`));
  }
  objects[0] = `<< /Type /Catalog /Pages ${ref(2)} >>`;
  objects[1] = `<< /Type /Pages /Kids [${kids.map(ref).join(' ')}] /Count ${kids.length} >>`;
  return pdfBytes(objects, 1, 3);
}
