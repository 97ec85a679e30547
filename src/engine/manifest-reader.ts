/**
 * Reading a manifest's JSON field by field: every failure names the field by its full path ("latent.channels") and
 * what was expected, because a manifest is often hand-edited (e.g. to correct a Hub export's tensor names).
 */
import { KinetoError } from './errors';

export type Json = Record<string, unknown>;

/** Refuses the manifest: "`where`" must be `expected`, and what it got (`undefined`: missing). */
export function fail(where: string, expected: string, value: unknown): never {
  const got = value === undefined ? 'it is missing' : `got ${JSON.stringify(value)}`;
  throw new KinetoError('bad-manifest', `Invalid model manifest: "${where}" must be ${expected} (${got}).`);
}

export class Reader {
  constructor(private readonly obj: Json, readonly path: string) {}

  fail(key: string, expected: string, value: unknown): never {
    return fail(key === '' ? this.path : this.path ? `${this.path}.${key}` : key, expected, value);
  }

  has(key: string): boolean {
    return this.obj[key] !== undefined;
  }

  string(key: string): string {
    const v = this.obj[key];
    if (typeof v !== 'string' || v === '') this.fail(key, 'a non-empty string', v);
    return v;
  }

  optionalString(key: string, fallback: string): string {
    return this.has(key) ? (typeof this.obj[key] === 'string' ? (this.obj[key] as string) : this.fail(key, 'a string', this.obj[key])) : fallback;
  }

  number(key: string, opts: { integer?: boolean; min?: number; exclusiveMin?: number; max?: number } = {}): number {
    const v = this.obj[key];
    const ok = typeof v === 'number' && Number.isFinite(v) && (!opts.integer || Number.isInteger(v))
      && (opts.min === undefined || v >= opts.min) && (opts.exclusiveMin === undefined || v > opts.exclusiveMin)
      && (opts.max === undefined || v <= opts.max);
    if (!ok) {
      const kind = opts.integer ? 'an integer' : 'a number';
      const low = opts.min !== undefined ? ` ≥ ${opts.min}` : opts.exclusiveMin !== undefined ? ` > ${opts.exclusiveMin}` : '';
      const bound = opts.max !== undefined ? `${low}${low ? ' and' : ''} ≤ ${opts.max}` : low;
      this.fail(key, kind + bound, v);
    }
    return v as number;
  }

  boolean(key: string, fallback: boolean): boolean {
    if (!this.has(key)) return fallback;
    const v = this.obj[key];
    return typeof v === 'boolean' ? v : this.fail(key, 'true or false', v);
  }

  oneOf<T extends string>(key: string, options: readonly T[]): T {
    const v = this.obj[key];
    if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) this.fail(key, `one of ${options.map((o) => `"${o}"`).join(', ')}`, v);
    return v as T;
  }

  object(key: string): Reader {
    const v = this.obj[key];
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(key, 'an object', v);
    return new Reader(v as Json, this.path ? `${this.path}.${key}` : key);
  }

  array(key: string): { value: unknown; reader: Reader; index: number }[] {
    const v = this.obj[key];
    if (!Array.isArray(v)) this.fail(key, 'an array', v);
    const base = this.path ? `${this.path}.${key}` : key;
    return v.map((value, index) => ({
      value,
      index,
      reader: new Reader(typeof value === 'object' && value !== null ? (value as Json) : {}, `${base}[${index}]`),
    }));
  }

  raw(key: string): unknown {
    return this.obj[key];
  }
}

/** A relative path that stays inside the model folder: no `..` segment, no leading `/`, no scheme (`https:`). */
export function insideFolder(path: string): boolean {
  return !path.includes('..') && !path.startsWith('/') && !path.includes('\\') && !/^[a-z][a-z0-9+.-]*:/i.test(path);
}

export function sha256(r: Reader): string {
  const h = r.string('sha256');
  if (!/^[0-9a-f]{64}$/.test(h)) r.fail('sha256', '64 lower-case hex digits', h);
  return h;
}

export function httpsUrl(r: Reader, key: string): string {
  const v = r.string(key);
  if (!/^https:\/\/[^\s]+$/.test(v)) r.fail(key, 'an https:// URL', v);
  return v;
}
