/**
 * What this browser remembers about each model's backend (engine/backend-choice.ts): a backend picked by hand, or
 * the timing Auto made. Kept in localStorage by model id, on the page side (the worker has no localStorage).
 */
import { BACKENDS, type BackendMemory, type BackendTiming } from '../engine/backend-choice';

const KEY = 'kineto.backend-memory.v1';

const isBackend = (v: unknown) => (BACKENDS as readonly unknown[]).includes(v);
const isTiming = (t: unknown): t is BackendTiming => {
  const x = t as Record<string, unknown> | null;
  return typeof x === 'object' && x !== null && isBackend(x.backend)
    && ((typeof x.msPerStep === 'number' && x.msPerStep >= 0) || typeof x.error === 'string');
};

/** A stored value as a memory, or null when it is not one (an older or hand-edited entry is ignored). */
function asMemory(v: unknown): BackendMemory | null {
  const x = v as Record<string, unknown> | null;
  if (typeof x !== 'object' || x === null || !isBackend(x.backend)) return null;
  if (x.kind === 'manual') return { kind: 'manual', backend: x.backend as BackendMemory['backend'] };
  if (x.kind === 'measured' && Array.isArray(x.timings) && x.timings.every(isTiming))
    return { kind: 'measured', backend: x.backend as BackendMemory['backend'], timings: x.timings };
  return null;
}

/** Everything remembered, by model id (empty where storage is unavailable or unreadable). */
export function readBackendMemory(): Record<string, BackendMemory> {
  let raw: unknown;
  try {
    raw = JSON.parse(globalThis.localStorage?.getItem(KEY) ?? '{}');
  } catch {
    return {};
  }
  if (typeof raw !== 'object' || raw === null) return {};
  const out: Record<string, BackendMemory> = {};
  for (const [id, v] of Object.entries(raw)) {
    const m = asMemory(v);
    if (m) out[id] = m;
  }
  return out;
}

/** Remembers `memory` for `modelId`, or forgets it (null). Storage failures (private mode, quota) are ignored. */
export function rememberBackend(modelId: string, memory: BackendMemory | null): void {
  const all = readBackendMemory();
  if (memory) all[modelId] = memory;
  else delete all[modelId];
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify(all));
  } catch {
    // Nothing remembered: Auto times the backends again next time.
  }
}
