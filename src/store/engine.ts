/**
 * The store's side effects, assembled: one module per job, sharing one `EngineContext` (engine-context.ts).
 * worker-connection.ts owns the engine worker (made on first use, restarted after a crash), worker-events.ts routes
 * its events into the store, model-actions.ts loads and switches models, download-actions.ts gates and runs
 * downloads, storage-actions.ts and catalog-actions.ts read what is stored and offered, run-actions.ts generates;
 * frame-actions.ts puts a clip's frame in the form (Use this frame);
 * automation-actions.ts holds what only test and bench builds have.
 * Only data reaches the store: capabilities, manifest, progress numbers, preview pixels and the result's object URL.
 */
import type { StateCreator } from 'zustand';
import { AUTOMATION } from '../automation';
import { type AutomationActions, createAutomationActions } from './automation-actions';
import { type CatalogActions, createCatalogActions } from './catalog-actions';
import { createDownloadActions, type DownloadActions } from './download-actions';
import { createFrameActions, type FrameActions } from './frame-actions';
import { type Connect, createEngineContext } from './engine-context';
import type { KinetoState } from './index';
import { createModelActions, type ModelActions } from './model-actions';
import { createRunActions, type RunActions } from './run-actions';
import { createStorageActions, type StorageActions } from './storage-actions';
import { createWorkerActions, type WorkerActions } from './worker-connection';
import { createWorkerEventActions, type WorkerEventActions } from './worker-events';

export type EngineActions = AutomationActions & WorkerActions & WorkerEventActions & ModelActions & DownloadActions & StorageActions & CatalogActions & RunActions & FrameActions;

export function createEngineActions(connect: Connect): StateCreator<KinetoState, [], [], EngineActions> {
  return (set, get) => {
    const ctx = createEngineContext(connect, set, get);
    return {
      ...createWorkerActions(ctx),
      ...createWorkerEventActions(ctx),
      ...createModelActions(ctx),
      ...createDownloadActions(ctx),
      ...createStorageActions(ctx),
      ...createCatalogActions(ctx),
      ...createRunActions(ctx),
      ...createFrameActions(ctx),
      ...(AUTOMATION ? createAutomationActions(ctx) : {}),
    };
  };
}
