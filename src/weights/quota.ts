/**
 * Storage quota: before a download, the bytes still needed are compared with what `navigator.storage.estimate()`
 * says is free; a browser that refuses a write later (`QuotaExceededError`) gets the same kind of message.
 */
import { KinetoError } from '../engine/errors';
import { formatBytes } from './units';

export type Estimate = () => Promise<{ usage?: number; quota?: number }>;

/** Free bytes for this origin, or null when the browser does not say. */
export async function freeBytes(estimate: Estimate): Promise<number | null> {
  try {
    const { usage, quota } = await estimate();
    if (typeof quota !== 'number' || typeof usage !== 'number') return null;
    return Math.max(0, quota - usage);
  } catch {
    return null;
  }
}

export function quotaError(modelName: string, neededBytes: number, free: number | null, cause?: unknown): KinetoError {
  const room = free === null ? 'the browser has no more room for this site' : `only ${formatBytes(free)} is free`;
  return new KinetoError(
    'quota-exceeded',
    `Kineto needs ${formatBytes(neededBytes)} more for ${modelName} but ${room}. Delete cached models you no longer need, or free disk space, then press Load again (what is already downloaded is kept).`,
    cause === undefined ? { reason: 'space-short' } : { cause, reason: 'space-short' },
  );
}

/** Throws `quota-exceeded` when `neededBytes` exceed the free space the browser reports. */
export async function checkQuota(modelName: string, neededBytes: number, estimate: Estimate): Promise<void> {
  if (neededBytes <= 0) return;
  const free = await freeBytes(estimate);
  if (free !== null && neededBytes > free) throw quotaError(modelName, neededBytes, free);
}

/** A storage write refused for lack of space (OPFS, Cache Storage and IndexedDB all use this name). */
export function isQuotaExceeded(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'QuotaExceededError';
}
