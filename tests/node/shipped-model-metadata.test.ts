/**
 * Issue 16: the shipped ONNX files carry no trace of the machine that built them. torch.onnx writes the Python stack
 * of every node (source files by absolute path) into node metadata; training/onnx_meta.py strips it at export and
 * training/strip_onnx_metadata.py stripped the shipped files. Every byte of each file is searched (metadata the
 * reader leaves unknown included), and the decoded nodes show that only the stack traces went: the module scopes
 * the exporter recorded are still there.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeModel } from '../../src/onnx/proto';

const MODELS = path.resolve(__dirname, '../../public/models');
const SHIPPED = readdirSync(MODELS, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.onnx'));
// Home and work folders of a build machine, a Python install, a traceback line, a Windows drive.
const MACHINE_MARKS = ['/work/', '/home/', '/root/', '/Users/', '/tmp/', 'site-packages', 'File "', 'C:\\', 'pkg.torch.onnx.stack_trace'];

function count(bytes: Buffer, needle: string): number {
  let n = 0;
  for (let i = bytes.indexOf(needle); i >= 0; i = bytes.indexOf(needle, i + 1)) n++;
  return n;
}

describe('shipped ONNX files', () => {
  it('are found', () => {
    expect(SHIPPED.length).toBeGreaterThanOrEqual(5);
  });

  it.each(SHIPPED)('%s names no file of a build machine', (rel) => {
    const bytes = readFileSync(path.join(MODELS, rel));
    const found = Object.fromEntries(MACHINE_MARKS.map((m) => [m, count(bytes, m)]).filter(([, n]) => n !== 0));
    expect(found).toEqual({});
  });

  it.each(SHIPPED)('%s keeps the exporter metadata that names modules, not files', (rel) => {
    const nodes = decodeModel(new Uint8Array(readFileSync(path.join(MODELS, rel)))).graph!.node;
    const convs = nodes.filter((n) => n.opType === 'Conv' || n.opType === 'MatMul' || n.opType === 'Gemm');
    expect(convs.length).toBeGreaterThan(0);
    for (const n of convs) expect(n.metadataProps.map((e) => e.key)).toContain('pkg.torch.onnx.name_scopes');
    expect(nodes.filter((n) => n.docString)).toEqual([]);
  });

  it('match the manifest sizes and digests the app checks', () => {
    const entries: { file: string; bytes: number; sha256: string }[] = [];
    const walk = (x: unknown): void => {
      if (Array.isArray(x)) x.forEach(walk);
      else if (x && typeof x === 'object') {
        const o = x as Record<string, unknown>;
        if (typeof o.file === 'string' && typeof o.sha256 === 'string') entries.push(o as (typeof entries)[number]);
        Object.values(o).forEach(walk);
      }
    };
    walk(JSON.parse(readFileSync(path.join(MODELS, 'kineto-shapes/manifest.json'), 'utf8')));
    expect(entries.map((e) => e.file).sort()).toEqual(expect.arrayContaining(SHIPPED.map((f) => path.basename(f))));
    for (const e of entries) {
      const data = readFileSync(path.join(MODELS, 'kineto-shapes', e.file));
      expect([e.file, data.length, createHash('sha256').update(data).digest('hex')]).toEqual([e.file, e.bytes, e.sha256]);
    }
  });
});
