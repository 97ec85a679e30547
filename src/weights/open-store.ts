/** Opens the weight store this browser supports: OPFS with sync access handles, else Cache Storage. */
import { KinetoError } from '../engine/errors';
import { CacheStore, cacheStorageAvailable } from './cache-store';
import { OpfsStore, opfsAvailable } from './opfs-store';
import type { StoreKind, WeightStore } from './store';

/** `prefer` forces one kind (tests exercise the Cache Storage fallback in a browser that has OPFS). */
export async function openWeightStore(prefer?: StoreKind): Promise<WeightStore> {
  const kind: StoreKind | null = prefer ?? (opfsAvailable() ? 'opfs' : cacheStorageAvailable() ? 'cache-storage' : null);
  try {
    if (kind === 'opfs') return await OpfsStore.open();
    if (kind === 'cache-storage') return await CacheStore.open();
  } catch (e) {
    // OPFS can be switched off (some private modes): fall back once.
    if (kind === 'opfs' && prefer === undefined && cacheStorageAvailable()) return CacheStore.open();
    throw new KinetoError('quota-exceeded', `This browser refused storage for downloaded models (${e instanceof Error ? e.message : String(e)}).`, { cause: e });
  }
  throw new KinetoError('quota-exceeded', 'This browser offers no storage for downloaded models here (neither the Origin Private File System nor Cache Storage).');
}
