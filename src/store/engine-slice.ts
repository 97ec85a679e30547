/**
 * What the engine worker can do and what it has loaded. Plain data only; the worker and its client live in
 * `worker-connection.ts`.
 */
import type { StateCreator } from 'zustand';
import type { ErrorInfo } from '../engine/errors';
import type { ModelManifest } from '../engine/types';
import type { WarmUpReport } from '../engine/warm-up';
import type { BackendInfo, Capabilities, LoadStage } from '../worker/protocol';
import type { KinetoState } from './index';

/**
 * The model's lifecycle, one variant per status. `manifestSha256`: the manifest's digest for the provenance record
 * (provenance/manifest-digest.ts), read when the model loaded.
 */
export type ModelStatus =
  | { status: 'idle' }
  | { status: 'loading'; stage: LoadStage; file: string | null; loadedBytes: number; totalBytes: number }
  | { status: 'ready'; manifest: ModelManifest; manifestSha256: string; backendInfo: BackendInfo; loadSeconds: number }
  | { status: 'failed'; error: ErrorInfo };

/**
 * The model last asked for, for display and for reloading (after a failure or a backend change). A picked folder's
 * files stay with the engine actions, not in the store.
 */
export type ModelSourceInfo = { kind: 'embedded' | 'url'; manifestUrl: string } | { kind: 'folder'; name: string };

/**
 * Make before break: another model being loaded while the one in `model` stays in use. `failed` keeps what failed
 * (with a retry); `confirm-release` waits for the person to agree to release the model in use, when both cannot
 * fit in memory at once.
 */
export type ModelSwitch =
  | { status: 'loading'; source: ModelSourceInfo; stage: LoadStage; file: string | null; loadedBytes: number; totalBytes: number }
  | { status: 'failed'; source: ModelSourceInfo; error: ErrorInfo }
  | { status: 'confirm-release'; source: ModelSourceInfo; message: string };

/** The CPU warm-up after a load (engine/warm-up.ts): running, or what it did, for the model `modelId`. */
export type WarmUpState = { status: 'running'; modelId: string } | { status: 'done'; modelId: string; report: WarmUpReport };

/** A message from the worker worth telling the person (e.g. "switched to CPU"); not an error. */
export type Notice = { id: number; message: string };

/** At most this many notices are kept; older ones drop off. */
export const MAX_NOTICES = 4;

export type EngineSlice = {
  /** null until the probe answers. */
  capabilities: Capabilities | null;
  model: ModelStatus;
  /** Where the model in `model` comes from (the one asked for, until one is ready). */
  modelSource: ModelSourceInfo | null;
  /** Another model on its way in while `model` stays in use; null when none. */
  switching: ModelSwitch | null;
  /** null when none ran for the model in use (it runs on WebGPU, or its load has not finished). */
  warmUp: WarmUpState | null;
  notices: Notice[];
  nextNoticeId: number;

  addNotice(message: string): void;
  dismissNotice(id: number): void;
  /** Forgets a failed or unconfirmed switch (the model in use stays). */
  dismissSwitch(): void;
};

/** A model is loading (the first one, or a switch) or a run is active: choosing another model waits. */
export function modelBusy(s: Pick<KinetoState, 'model' | 'switching' | 'run'>): boolean {
  return s.model.status === 'loading' || s.switching?.status === 'loading' || s.run.status !== 'idle';
}

export const createEngineSlice: StateCreator<KinetoState, [], [], EngineSlice> = (set) => ({
  capabilities: null,
  model: { status: 'idle' },
  modelSource: null,
  switching: null,
  warmUp: null,
  notices: [],
  nextNoticeId: 1,

  addNotice: (message) =>
    set((s) => ({
      notices: [...s.notices, { id: s.nextNoticeId, message }].slice(-MAX_NOTICES),
      nextNoticeId: s.nextNoticeId + 1,
    })),

  dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),

  dismissSwitch: () => set((s) => (s.switching?.status === 'loading' ? {} : { switching: null })),
});
