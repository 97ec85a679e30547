/**
 * Storage figures for the Library: bytes used, the quota and whether the browser keeps this site's data under
 * pressure, and what a save that does not fit tells the person.
 */
import { formatBytes } from '../weights/units';

export type StorageFigures = { usedBytes: number | null; quotaBytes: number | null; persisted: boolean | null };

/**
 * `appQuota`: the app's quota (`storage` in the store) when it has one, so the storage-settings automation hook that
 * pretends a small quota for the weight store applies to the Library too.
 */
export async function storageFigures(appQuota: number | null): Promise<StorageFigures> {
  const est = await navigator.storage?.estimate?.().catch(() => null);
  const persisted = (await navigator.storage?.persisted?.().catch(() => null)) ?? null;
  return { usedBytes: est?.usage ?? null, quotaBytes: appQuota ?? est?.quota ?? null, persisted };
}

/** Whether storing `bytes` more would pass the quota (unknown figures never block: the write itself may still fail). */
export function wouldExceedQuota(f: StorageFigures, bytes: number): boolean {
  return f.usedBytes !== null && f.quotaBytes !== null && f.usedBytes + bytes > f.quotaBytes;
}

export function isQuotaError(e: unknown): boolean {
  return e instanceof DOMException && (e.name === 'QuotaExceededError' || e.code === 22);
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Why a finished clip (or film) was not kept (`quotaBytes`: the quota as now read, if known); the clip itself stays
 * on screen.
 */
export function saveFailureMessage(e: unknown, quotaBytes: number | null, what: 'clip' | 'film' = 'clip'): string {
  return isQuotaError(e)
    ? `This ${what} could not be kept in the Library: the browser's storage for Kineto is full${quotaBytes !== null ? ` (quota ${formatBytes(quotaBytes)})` : ''}. It is still here to watch and download; delete clips in the Library to make room.`
    : `This ${what} could not be kept in the Library (${errorText(e)}). It is still here to watch and download.`;
}
