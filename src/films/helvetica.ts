/**
 * Helvetica as a PDF's standard font (every reader has it, so nothing is embedded): text in the WinAnsi encoding
 * (PDF 32000-1, Annex D: Latin-1 with typographic marks in 0x80–0x9F) and the glyph widths of Adobe's Helvetica and
 * Helvetica-Bold metrics, in thousandths of the font size, to wrap and right-align lines. Helvetica-Oblique has
 * Helvetica's widths.
 */

/** Unicode → WinAnsi for the marks in 0x80–0x9F; 0x20–0x7E and 0xA0–0xFF are Latin-1 itself. */
const WIN_ANSI_MARKS: Record<string, number> = {
  '€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88, '‰': 0x89, 'Š': 0x8a,
  '‹': 0x8b, 'Œ': 0x8c, 'Ž': 0x8e, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97,
  '˜': 0x98, '™': 0x99, 'š': 0x9a, '›': 0x9b, 'œ': 0x9c, 'ž': 0x9e, 'Ÿ': 0x9f,
};

/** One character's WinAnsi code, or null. */
function winAnsiCode(ch: string): number | null {
  const c = ch.codePointAt(0)!;
  if ((c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff)) return c;
  return WIN_ANSI_MARKS[ch] ?? null;
}

/**
 * `text` as WinAnsi bytes: a character outside it becomes its unaccented letters when it has them (ő → o), white
 * space a space, anything else "?".
 */
export function winAnsi(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const code = winAnsiCode(ch);
    if (code !== null) out.push(code);
    else if (/\s/.test(ch)) out.push(0x20);
    else {
      const base = [...ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')].map(winAnsiCode);
      if (base.length > 0 && base.every((b) => b !== null)) out.push(...(base as number[]));
      else out.push(0x3f);
    }
  }
  return new Uint8Array(out);
}

const widths = (text: string) => text.trim().split(/\s+/).map(Number);

/** Helvetica, codes 0x20–0x7E. */
const REGULAR_ASCII = widths(`
  278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278
  556 556 556 556 556 556 556 556 556 556 278 278 584 584 584 556
  1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778
  667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556
  333 556 556 500 556 556 278 556 556 222 222 500 222 833 556 556
  556 556 333 500 278 556 500 722 500 500 500 334 260 334 584`);
/** Helvetica, codes 0x80–0xFF (0 where WinAnsi has no character). */
const REGULAR_HIGH = widths(`
  556 0 222 556 333 1000 556 556 333 1000 667 333 1000 0 611 0
  0 222 222 333 333 350 556 1000 333 1000 500 333 944 0 500 667
  278 333 556 556 556 556 260 556 333 737 370 556 584 333 737 333
  400 584 333 333 333 556 537 278 333 333 365 556 834 834 834 611
  667 667 667 667 667 667 1000 722 667 667 667 667 278 278 278 278
  722 722 778 778 778 778 778 584 778 722 722 722 722 667 667 611
  556 556 556 556 556 556 889 500 556 556 556 556 278 278 278 278
  556 556 556 556 556 556 556 584 611 556 556 556 556 500 556 500`);
/** Helvetica-Bold, codes 0x20–0x7E. */
const BOLD_ASCII = widths(`
  278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278
  556 556 556 556 556 556 556 556 556 556 333 333 584 584 584 611
  975 722 722 722 722 667 611 778 722 278 556 722 611 833 722 778
  667 778 722 667 611 722 667 944 667 667 611 333 278 333 584 556
  333 556 611 556 611 556 333 611 611 278 278 556 278 889 611 611
  611 611 389 556 333 611 556 778 556 556 500 389 280 389 584`);

/**
 * Bold is measured above Latin-1's letters only where its own widths are known; elsewhere as the regular glyph
 * widened by the most bold widens a letter (i: 222 → 278), so that a measured line is never too short.
 */
const BOLD_WIDENING = 278 / 222;

function glyphWidth(code: number, bold: boolean): number {
  if (code >= 0x20 && code <= 0x7e) return (bold ? BOLD_ASCII : REGULAR_ASCII)[code - 0x20]!;
  const regular = code >= 0x80 ? REGULAR_HIGH[code - 0x80]! : 0;
  return bold ? regular * BOLD_WIDENING : regular;
}

/** How wide `text` is drawn in Helvetica (or Helvetica-Bold) at `size`, in the size's unit. */
export function helveticaWidth(text: string, size: number, bold = false): number {
  let sum = 0;
  for (const code of winAnsi(text)) sum += glyphWidth(code, bold);
  return (sum * size) / 1000;
}
