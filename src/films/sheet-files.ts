/**
 * The storyboard sheet as the page offers it: the PNG (painted by sheet-png.ts, the same pixels as the CLI's
 * sheet.png, encoded by OffscreenCanvas) and the PDF (sheet-pdf.ts, deflated by CompressionStream), each an object
 * URL with its file name. Runs on the page.
 */
import type { Board } from './board';
import { boardSlug } from './board-file';
import { pipeThrough } from './board-link';
import type { Sheet } from './sheet-layout';
import { sheetPdf } from './sheet-pdf';
import { paintSheet } from './sheet-png';

export type SheetFiles = { pngUrl: string; pngFileName: string; pdfUrl: string; pdfFileName: string };

const deflate = (data: Uint8Array) => pipeThrough(data, new CompressionStream('deflate'));

async function pngBlob(sheet: Sheet): Promise<Blob> {
  const r = paintSheet(sheet);
  const canvas = new OffscreenCanvas(r.width, r.height);
  const g = canvas.getContext('2d');
  if (!g) throw new Error('This browser cannot paint the sheet (no 2D canvas).');
  // Every pixel is opaque, so the canvas keeps the painted values exactly.
  g.putImageData(new ImageData(r.rgba as Uint8ClampedArray<ArrayBuffer>, r.width, r.height), 0, 0);
  return canvas.convertToBlob({ type: 'image/png' });
}

export async function makeSheetFiles(board: Board, sheet: Sheet): Promise<SheetFiles> {
  const [png, pdf] = [await pngBlob(sheet), await sheetPdf(sheet, deflate)];
  const slug = boardSlug(board, 'storyboard');
  return {
    pngUrl: URL.createObjectURL(png),
    pngFileName: `${slug}.sheet.png`,
    pdfUrl: URL.createObjectURL(new Blob([pdf as Uint8Array<ArrayBuffer>], { type: 'application/pdf' })),
    pdfFileName: `${slug}.sheet.pdf`,
  };
}

/** Lets the files' object URLs go. */
export function releaseSheetFiles(files: SheetFiles | null): void {
  if (!files) return;
  URL.revokeObjectURL(files.pngUrl);
  URL.revokeObjectURL(files.pdfUrl);
}
