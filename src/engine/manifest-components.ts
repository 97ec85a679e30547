/**
 * A manifest's components: each ONNX file with its tensors (name, dtype, shape, role), size, sha256, external data,
 * free-dimension overrides and weight variants, and the tensors each component must have for its job.
 */
import { KinetoError } from './errors';
import { insideFolder, type Json, Reader, sha256 } from './manifest-reader';
import type { ComponentName, ComponentSpec, ExternalDataSpec, TensorSpec, WeightVariant } from './types';
import { DTYPES, WEIGHT_VARIANTS } from './types';

function tensorSpecs(r: Reader, key: string): TensorSpec[] {
  const items = r.array(key);
  if (items.length === 0) r.fail(key, 'a non-empty array', []);
  return items.map(({ reader }) => {
    const shape = reader.raw('shape');
    if (!Array.isArray(shape) || !shape.every((d) => (typeof d === 'number' && Number.isInteger(d) && d >= 0) || (typeof d === 'string' && d !== '')))
      reader.fail('shape', 'an array of sizes (integers) or symbolic names (strings)', shape);
    const t: TensorSpec = { name: reader.string('name'), dtype: reader.oneOf('dtype', DTYPES), shape: shape as (number | string)[] };
    if (reader.has('role')) t.role = reader.string('role');
    return t;
  });
}

export function component(r: Reader, key: string): ComponentSpec {
  const c = r.object(key);
  const file = c.string('file');
  if (!insideFolder(file)) c.fail('file', 'a path inside the model folder', file);
  const spec: ComponentSpec = { file, inputs: tensorSpecs(c, 'inputs'), outputs: tensorSpecs(c, 'outputs'), bytes: c.number('bytes', { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER }) };
  if (c.has('sha256')) spec.sha256 = sha256(c);
  sizeAndShapeOptions(c, spec);
  if (c.has('external_data')) {
    spec.externalData = c.array('external_data').map(({ value, reader }) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) reader.fail('', 'an object with "path" and "bytes"', value);
      const path = reader.string('path');
      if (!insideFolder(path)) reader.fail('path', 'a path inside the model folder', path);
      const x: ExternalDataSpec = { path, bytes: reader.number('bytes', { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER }) };
      if (reader.has('sha256')) x.sha256 = sha256(reader);
      return x;
    });
    const seen = new Set<string>();
    for (const x of spec.externalData) {
      if (seen.has(x.path)) c.fail('external_data', 'a list of distinct paths', x.path);
      seen.add(x.path);
    }
  }
  return spec;
}

/** The path, relative to the manifest, of an external-data file of `c` (its location is relative to `c.file`). */
export function externalDataFile(c: ComponentSpec, x: ExternalDataSpec): string {
  const slash = c.file.lastIndexOf('/');
  const dir = slash < 0 ? '' : c.file.slice(0, slash + 1);
  return dir + x.path.replace(/^(\.\/)+/, '');
}

/** `where` is the component's full path, e.g. "components.denoiser" or "presets.fast.denoiser.variants.int8". */
export function requireTensor(spec: ComponentSpec, where: string, side: 'inputs' | 'outputs', name: string): void {
  if (!spec[side].some((t) => (t.role ?? t.name) === name))
    throw new KinetoError('bad-manifest', `Invalid model manifest: "${where}.${side}" must list a tensor named "${name}" (or with "role": "${name}").`);
}

/** The variant a component uses when none is picked for a device: fp32 when offered (it runs anywhere). */
const UNPICKED_ORDER: readonly WeightVariant[] = ['fp32', 'int8', 'fp16'];

export type ParsedComponent = { spec: ComponentSpec; variants?: Partial<Record<WeightVariant, ComponentSpec>> };

/**
 * A component, or one offered in weight variants: `"variants": { "fp16": {…}, "fp32": {…} }`, where each variant's
 * fields override the component's own (which then hold what the variants share, e.g. `inputs`, and may leave out
 * `file` and `bytes`). Each variant must make a complete component.
 */
export function componentWithVariants(cr: Reader, key: string): ParsedComponent {
  const c = cr.object(key);
  if (!c.has('variants')) return { spec: component(cr, key) };
  const vr = c.object('variants');
  const raw = c.raw('variants') as Json;
  const shared: Json = { ...(cr.raw(key) as Json) };
  delete shared.variants;
  const names = Object.keys(raw);
  if (names.length === 0) c.fail('variants', `an object with at least one of ${WEIGHT_VARIANTS.map((v) => `"${v}"`).join(', ')}`, raw);
  const variants: Partial<Record<WeightVariant, ComponentSpec>> = {};
  for (const name of names) {
    if (!(WEIGHT_VARIANTS as readonly string[]).includes(name)) vr.fail(name, `named one of ${WEIGHT_VARIANTS.map((v) => `"${v}"`).join(', ')}`, raw[name]);
    vr.object(name);
    const merged = { ...shared, ...(raw[name] as Json) };
    variants[name as WeightVariant] = component(new Reader({ [name]: merged }, `${cr.path}.${key}.variants`), name);
  }
  const fallback = UNPICKED_ORDER.find((v) => variants[v] !== undefined)!;
  return { spec: variants[fallback]!, variants };
}

/** Each spec of a parsed component with its path: the variants when offered, else the component itself. */
export function specsOf(where: string, p: ParsedComponent): [string, ComponentSpec][] {
  return p.variants ? Object.entries(p.variants).map(([k, spec]) => [`${where}.variants.${k}`, spec]) : [[where, p.spec]];
}

export function requireDenoiserTensors(spec: ComponentSpec, where: string): void {
  for (const name of ['sample', 'timestep', 'encoder_hidden_states']) requireTensor(spec, where, 'inputs', name);
}

/** `bytes_approximate` and `free_dimension_overrides` of a component. */
function sizeAndShapeOptions(c: Reader, spec: ComponentSpec): void {
  if (c.boolean('bytes_approximate', false)) spec.bytesApproximate = true;
  if (!c.has('free_dimension_overrides')) return;
  const o = c.object('free_dimension_overrides');
  const raw = c.raw('free_dimension_overrides') as Json;
  const overrides: Record<string, number> = {};
  for (const name of Object.keys(raw)) overrides[name] = o.number(name, { integer: true, min: 1 });
  spec.freeDimensionOverrides = overrides;
}
