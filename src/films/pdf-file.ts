/**
 * A minimal PDF file writer (PDF 32000-1:2008, §7.5 file structure): numbered objects, streams with their `/Length`,
 * a cross-reference table of byte offsets and the trailer. Enough for pages of vector text in the standard fonts
 * and images (sheet-pdf.ts); nothing is compressed here (a stream's filter is its caller's business) and nothing
 * depends on the clock, so the same objects give the same bytes.
 */

/** An object's body: PDF syntax as text (a dictionary, an array…), or a stream: its dictionary's entries and its bytes. */
export type PdfObject = string | { dict: string; data: Uint8Array };

/** A reference to object `n`. */
export const ref = (n: number) => `${n} 0 R`;

/** A number as PDF writes it: at most 3 decimals, no exponent, no "-0". */
export function pdfNumber(n: number): string {
  const s = (Math.round(n * 1000) / 1000).toFixed(3).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}

/** Bytes (e.g. WinAnsi text) as a literal string: printable ASCII as it is, `(`, `)` and `\` escaped, the rest octal. */
export function pdfLiteral(bytes: Uint8Array): string {
  let out = '(';
  for (const b of bytes) {
    if (b === 0x28 || b === 0x29 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b >= 0x20 && b <= 0x7e) out += String.fromCharCode(b);
    else out += `\\${b.toString(8).padStart(3, '0')}`;
  }
  return `${out})`;
}

/** Any text as a text string (for the document's information, outside any font): UTF-16BE with its byte order mark. */
export function pdfTextString(text: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
  return `<${hex}>`;
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/**
 * The file of `objects` (object n is `objects[n - 1]`), whose catalog is object `root` and document information
 * object `info`.
 */
export function pdfBytes(objects: readonly PdfObject[], root: number, info?: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let length = 0;
  const put = (p: Uint8Array) => {
    parts.push(p);
    length += p.length;
  };
  // The second line's bytes above 127 tell file tools the file is binary (§7.5.2).
  put(Uint8Array.of(...ascii('%PDF-1.4\n%'), 0xe2, 0xe3, 0xcf, 0xd3, 0x0a));
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(length);
    if (typeof o === 'string') put(ascii(`${i + 1} 0 obj\n${o}\nendobj\n`));
    else {
      put(ascii(`${i + 1} 0 obj\n<< ${o.dict} /Length ${o.data.length} >>\nstream\n`));
      put(o.data);
      put(ascii('\nendstream\nendobj\n'));
    }
  });
  const xref = length;
  // Each entry is exactly 20 bytes: 10-digit offset, 5-digit generation, n or f, and a two-byte end of line.
  const entries = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  const trailer = `<< /Size ${objects.length + 1} /Root ${ref(root)}${info ? ` /Info ${ref(info)}` : ''} >>`;
  put(ascii(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries}trailer\n${trailer}\nstartxref\n${xref}\n%%EOF\n`));
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
