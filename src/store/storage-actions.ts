/** The worker's weight store as the page sees it: the models stored in this browser, the quota, deleting a model. */
import type { EngineContext } from './engine-context';
import { ensureClient, errorInfo } from './worker-connection';

export type StorageActions = {
  /** Lists the cached models and reads the quota. */
  refreshStorage(): Promise<void>;
  deleteCachedModel(modelId: string): Promise<void>;
};

export function createStorageActions(ctx: EngineContext): StorageActions {
  const { set, get } = ctx;
  return {
    refreshStorage: async () => {
      try {
        const c = ensureClient(ctx);
        const [list, storage] = await Promise.all([c.send({ type: 'list-models' }), c.send({ type: 'storage-info' })]);
        set({ cachedModels: list.models, storage });
      } catch (e) {
        set({ error: errorInfo(e) });
      }
    },

    deleteCachedModel: async (modelId) => {
      try {
        await ensureClient(ctx).send({ type: 'delete-model', modelId });
        if (get().download?.progress?.modelId === modelId && get().download?.status !== 'downloading') set({ download: null });
      } catch (e) {
        set({ error: errorInfo(e) });
      }
      await get().refreshStorage();
    },
  };
}
