/**
 * What the engine's action modules (worker-connection, model-, download-, storage-, catalog- and run-actions) share:
 * the store, the engine worker's client and the model being loaded. One per store; each field has one job.
 */
import type { StoreApi } from 'zustand';
import type { KinetoClient, WorkerLike } from '../worker/client';
import type { ModelSource } from '../worker/protocol';
import type { KinetoState } from './index';

/** Makes the engine worker; tests pass any message port shaped like a Worker. */
export type Connect = () => WorkerLike;

export type EngineContext = {
  /** Replaces part of the store's state. */
  set: StoreApi<KinetoState>['setState'];
  /** Reads the store's state (and its actions). */
  get: StoreApi<KinetoState>['getState'];
  /** Makes a new engine worker (worker-connection.ts calls it on first use and after the worker died). */
  connect: Connect;
  /** The live worker's client; null before the first request and after the worker died. */
  client: KinetoClient | null;
  /** Increases with every load and every worker death; replies and events of a superseded load are ignored. */
  loadSeq: number;
  /** The source last asked for, with a picked folder's files (which the store itself does not hold). */
  lastSource: ModelSource | null;
  /** The source of the model in use (what a backend change or a worker restart loads again). */
  inUseSource: ModelSource | null;
  /** The worker request of the load in flight, for `cancelLoad`. */
  loadRequestId: number | null;
  /** The load in flight, so that cancelling a download can wait for it to stop. */
  currentLoad: Promise<void>;
  /** Worker restarts since a model last loaded: a worker that keeps dying is not restarted forever. */
  restarts: number;
  /** Licences of models read by the download gate, by manifest URL, for the download view. */
  licenses: Map<string, string>;
};

export function createEngineContext(connect: Connect, set: EngineContext['set'], get: EngineContext['get']): EngineContext {
  return {
    set,
    get,
    connect,
    client: null,
    loadSeq: 0,
    lastSource: null,
    inUseSource: null,
    loadRequestId: null,
    currentLoad: Promise.resolve(),
    restarts: 0,
    licenses: new Map(),
  };
}
