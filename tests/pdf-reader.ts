/**
 * Reads a PDF the way a person's reader does, with an independent implementation (Mozilla's pdf.js, its Node build):
 * the storyboard sheet tests open the files Kineto writes with it rather than with our own writer's assumptions.
 */
import path from 'node:path';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

export type ReadPdf = {
  /** Each page's size in points and its text runs, in drawing order. */
  pages: { width: number; height: number; text: string[]; images: number }[];
  title: string | null;
};

const FONTS = `${path.resolve('node_modules/pdfjs-dist/standard_fonts')}/`;

export async function readPdf(bytes: Uint8Array): Promise<ReadPdf> {
  const doc = await getDocument({ data: new Uint8Array(bytes), standardFontDataUrl: FONTS, verbosity: 0 }).promise;
  try {
    const pages: ReadPdf['pages'] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const page = await doc.getPage(i);
      const [, , width, height] = page.view;
      const content = await page.getTextContent();
      const text = content.items.flatMap((item) => ('str' in item && item.str.trim() !== '' ? [item.str] : []));
      const ops = await page.getOperatorList();
      pages.push({ width: width!, height: height!, text, images: ops.fnArray.filter((f) => f === OPS.paintImageXObject).length });
    }
    const { info } = await doc.getMetadata();
    return { pages, title: (info as { Title?: string }).Title ?? null };
  } finally {
    await doc.destroy();
  }
}
