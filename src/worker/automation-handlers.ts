/**
 * The worker's answers to the requests only automation builds send (src/automation.ts): fault injection and the
 * storage pretences. worker.ts adds them to its handler map behind `AUTOMATION`, so the shipped build has none.
 */
import { gpuDevice, modelInUse } from './model-host';
import type { AutomationRequest } from './protocol';
import type { Handler } from './request-queue';
import { injectFault } from './test-faults';
import { changeStorage } from './weight-storage';

export const automationHandlers: { [K in AutomationRequest]: Handler<K> } = {
  'storage-settings': (request) => changeStorage(request),
  'test-fault': async (request) => {
    await injectFault(request.fault, { backend: modelInUse()?.backend.backend ?? null, gpuDevice });
    return {};
  },
};
