/**
 * Storage figures for the Library: bytes used, the quota and whether the browser keeps this site's data under
 * pressure. The quota is the app's (`storage` in the main store) when it has one, so the storage-settings automation
 * hook that pretends a small quota for the weight store applies to the Library too.
 */
import { useKineto } from '../store';

export type StorageFigures = { usedBytes: number | null; quotaBytes: number | null; persisted: boolean | null };

export async function storageFigures(): Promise<StorageFigures> {
  const est = await navigator.storage?.estimate?.().catch(() => null);
  const persisted = (await navigator.storage?.persisted?.().catch(() => null)) ?? null;
  const appQuota = useKineto.getState().storage?.quotaBytes ?? null;
  return { usedBytes: est?.usage ?? null, quotaBytes: appQuota ?? est?.quota ?? null, persisted };
}

/** Whether storing `bytes` more would pass the quota (unknown figures never block: the write itself may still fail). */
export function wouldExceedQuota(f: StorageFigures, bytes: number): boolean {
  return f.usedBytes !== null && f.quotaBytes !== null && f.usedBytes + bytes > f.quotaBytes;
}
