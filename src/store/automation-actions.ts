/**
 * Store actions that exist for automation only (see src/automation.ts): the shipped build has neither, and the
 * worker there has no request to answer them.
 */
import type { StoreKind, TestFault } from '../worker/protocol';
import type { EngineContext } from './engine-context';
import { ensureClient } from './worker-connection';

export type AutomationActions = {
  /** Injects a fault into the engine worker (worker/test-faults.ts), so recovery is tested on the real engine. */
  injectTestFault?(fault: TestFault): Promise<void>;
  /** Pretends a quota (bytes) or forces a storage kind; null restores the browser's own. */
  setStorageSettings?(settings: { quotaBytes?: number | null; store?: StoreKind | null }): Promise<void>;
};

export function createAutomationActions(ctx: EngineContext): Required<AutomationActions> {
  return {
    injectTestFault: async (fault) => {
      await ensureClient(ctx).send({ type: 'test-fault', fault });
    },
    setStorageSettings: async (settings) => {
      const storage = await ensureClient(ctx).send({ type: 'storage-settings', ...settings });
      ctx.set({ storage });
    },
  };
}
