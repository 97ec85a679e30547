/**
 * Fuzzed manifests: seeded random mutations of the manifests Kineto ships (wrong types, missing and extra fields,
 * huge, negative and fractional numbers, bad dtypes, emptied arrays) must end in a `bad-manifest` error that names
 * the field — never a throw from deeper code, a hang, or a manifest that then breaks the gate or the variant picker.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KinetoError } from '../../../src/engine/errors';
import { parseManifest } from '../../../src/engine/manifest';
import { assessModel } from '../../../src/engine/requirements';
import { Rng } from '../../../src/engine/rng';
import { pickVariants } from '../../../src/engine/variants';

const ROOT = path.resolve(__dirname, '../../..');
const SHIPPED = ['public/models/kineto-shapes/manifest.json', 'public/models/hub/sd-turbo.json', 'public/models/hub/modelscope-t2v.json'];
const MUTATIONS_PER_MANIFEST = 400;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value inside `v` (the root excluded). */
function paths(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([...at, i]), paths(x, [...at, i], out)));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) (out.push([...at, k]), paths(x, [...at, k], out));
  return out;
}

const REPLACEMENTS: Json[] = [
  null, true, false, 0, -1, -1e9, 0.5, 1e308, 2 ** 53 + 2, 1e6, 65536, '', 'x', 'float64', 'int8', '../../etc/passwd',
  'https://elsewhere.example/model.onnx', [], [null], [-1, 0], [1e9, 1e9, 1e9, 1e9, 1e9], {}, { unexpected: 1 },
];

/** One random mutation of `manifest`, in place; returns what was done, for a failing test's message. */
function mutate(manifest: Json, rng: Rng): string {
  const all = paths(manifest);
  const at = all[rng.nextUint32() % all.length]!;
  const parent = at.slice(0, -1).reduce<Json>((o, k) => (o as Record<string | number, Json>)[k]!, manifest) as Record<string | number, Json>;
  const key = at[at.length - 1]!;
  const op = rng.nextUint32() % 5;
  if (op === 0) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
    return `delete ${at.join('.')}`;
  }
  if (op === 1) {
    parent[key] = REPLACEMENTS[rng.nextUint32() % REPLACEMENTS.length]!;
    return `${at.join('.')} = ${JSON.stringify(parent[key])}`;
  }
  if (op === 2 && typeof parent[key] === 'number') {
    const factor = [-1, 1e6, 0.5, 1e300][rng.nextUint32() % 4]!;
    parent[key] = (parent[key] as number) * factor;
    return `${at.join('.')} *= ${factor}`;
  }
  if (op === 3 && !Array.isArray(parent)) {
    parent[`extra_${rng.nextUint32() % 100}`] = REPLACEMENTS[rng.nextUint32() % REPLACEMENTS.length]!;
    return `extra field beside ${at.join('.')}`;
  }
  // Type confusion: a value becomes another kind of value that holds the same data.
  const v = parent[key]!;
  parent[key] = typeof v === 'number' ? String(v) : typeof v === 'string' ? Number(v.length) : Array.isArray(v) ? { ...v } : typeof v === 'object' && v !== null ? Object.values(v) : [v];
  return `${at.join('.')} retyped to ${JSON.stringify(parent[key])?.slice(0, 60)}`;
}

const DEVICES = [
  { webgpu: true, shaderF16: true, memoryGb: 8, maxBufferBytes: 2 ** 30, maxStorageBufferBindingBytes: 2 ** 30 },
  { webgpu: false, shaderF16: false, memoryGb: null, wasmChosen: true },
];

describe('fuzzed manifests', () => {
  for (const file of SHIPPED) {
    it(`${MUTATIONS_PER_MANIFEST} seeded mutations of ${file}: a named-field error or a usable manifest`, () => {
      const original = JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as Json;
      expect(() => parseManifest(original)).not.toThrow();
      const rng = new Rng(SHIPPED.indexOf(file) + 1);
      let rejected = 0;
      for (let i = 0; i < MUTATIONS_PER_MANIFEST; i++) {
        const m = structuredClone(original);
        const done = [mutate(m, rng)];
        // Half of the cases stack a second mutation.
        if (rng.nextUint32() % 2 === 0) done.push(mutate(m, rng));
        try {
          const parsed = parseManifest(m);
          // What got through must not break the code that reads a manifest next.
          for (const device of DEVICES) assessModel(parsed, device);
          pickVariants(parsed, { backend: 'wasm', shaderF16: false });
          pickVariants(parsed, { backend: 'webgpu', shaderF16: true });
        } catch (e) {
          const where = `case ${i}: ${done.join('; ')}`;
          expect(e, where).toBeInstanceOf(KinetoError);
          expect((e as KinetoError).code, where).toBe('bad-manifest');
          expect((e as KinetoError).message, where).toMatch(/^Invalid model manifest: ("[^"]+" must|the file must contain)/);
          rejected++;
        }
      }
      // The mutations do reach the validator (most of them are errors), so the test can fail.
      expect(rejected).toBeGreaterThan(MUTATIONS_PER_MANIFEST / 2);
    });
  }
});
