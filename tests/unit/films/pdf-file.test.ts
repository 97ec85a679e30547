import { describe, expect, it } from 'vitest';
import { pdfBytes, pdfLiteral, pdfNumber, pdfTextString, ref } from '../../../src/films/pdf-file';

const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('the PDF file writer', () => {
  const stream = new Uint8Array([0, 1, 2, 255, 10, 13]);
  const file = pdfBytes(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>', { dict: '/Filter /FlateDecode', data: stream }, '<< /Producer (Kineto) >>'], 1, 4);
  const body = text(file);

  it('starts with the header and a binary comment, and ends with the trailer', () => {
    expect(body.startsWith('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n')).toBe(true);
    expect(body).toMatch(/trailer\n<< \/Size 5 \/Root 1 0 R \/Info 4 0 R >>\nstartxref\n\d+\n%%EOF\n$/);
  });

  it('points startxref at the table and each entry at its object', () => {
    const startxref = Number(/startxref\n(\d+)\n%%EOF/.exec(body)![1]);
    expect(body.slice(startxref, startxref + 9)).toBe('xref\n0 5\n');
    const table = body.slice(startxref + 9, body.indexOf('trailer'));
    const entries = table.match(/.{20}/gs)!;
    expect(entries).toHaveLength(5);
    expect(entries[0]).toBe('0000000000 65535 f \n');
    entries.slice(1).forEach((e, i) => {
      expect(e).toMatch(/^\d{10} 00000 n \n$/);
      expect(body.slice(Number(e.slice(0, 10))).startsWith(`${i + 1} 0 obj\n`)).toBe(true);
    });
  });

  it('gives a stream its exact length and keeps its bytes', () => {
    const at = body.indexOf('3 0 obj');
    expect(body.slice(at)).toMatch(/^3 0 obj\n<< \/Filter \/FlateDecode \/Length 6 >>\nstream\n/);
    const start = body.indexOf('stream\n', at) + 7;
    expect([...file.subarray(start, start + 6)]).toEqual([...stream]);
    expect(body.slice(start + 6, start + 6 + 18)).toBe('\nendstream\nendobj\n');
  });

  it('escapes strings and writes numbers as PDF reads them', () => {
    expect(pdfLiteral(new Uint8Array([0x28, 0x41, 0x29, 0x5c, 0x0a, 0xe9]))).toBe('(\\(A\\)\\\\\\012\\351)');
    expect(pdfTextString('Aé')).toBe('<FEFF004100E9>');
    expect([pdfNumber(1), pdfNumber(0.1 + 0.2), pdfNumber(-0.0001), pdfNumber(12.5), pdfNumber(595.2800001)]).toEqual(['1', '0.3', '0', '12.5', '595.28']);
    expect(ref(7)).toBe('7 0 R');
  });
});
