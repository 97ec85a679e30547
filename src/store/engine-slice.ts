/**
 * What the engine worker can do and what it has loaded. Plain data only; the worker and its client live in
 * `engine.ts`.
 */
import type { StateCreator } from 'zustand';
import type { ErrorInfo } from '../engine/errors';
import type { ModelManifest } from '../engine/types';
import type { BackendInfo, Capabilities, LoadStage } from '../worker/protocol';
import type { KinetoState } from './index';

/** The model's lifecycle, one variant per status. */
export type ModelStatus =
  | { status: 'idle' }
  | { status: 'loading'; stage: LoadStage; file: string | null; loadedBytes: number; totalBytes: number }
  | { status: 'ready'; manifest: ModelManifest; backendInfo: BackendInfo; loadSeconds: number }
  | { status: 'failed'; error: ErrorInfo };

/**
 * The model last asked for, for display and for reloading (after a failure or a backend change). A picked folder's
 * files stay with the engine actions, not in the store.
 */
export type ModelSourceInfo = { kind: 'embedded' | 'url'; manifestUrl: string } | { kind: 'folder'; name: string };

/** A message from the worker worth telling the person (e.g. "switched to CPU"); not an error. */
export type Notice = { id: number; message: string };

/** At most this many notices are kept; older ones drop off. */
export const MAX_NOTICES = 4;

export type EngineSlice = {
  /** null until the probe answers. */
  capabilities: Capabilities | null;
  model: ModelStatus;
  /** Where the model last asked for comes from, so that a backend change can reload it. */
  modelSource: ModelSourceInfo | null;
  notices: Notice[];
  nextNoticeId: number;

  addNotice(message: string): void;
  dismissNotice(id: number): void;
};

export const createEngineSlice: StateCreator<KinetoState, [], [], EngineSlice> = (set) => ({
  capabilities: null,
  model: { status: 'idle' },
  modelSource: null,
  notices: [],
  nextNoticeId: 1,

  addNotice: (message) =>
    set((s) => ({
      notices: [...s.notices, { id: s.nextNoticeId, message }].slice(-MAX_NOTICES),
      nextNoticeId: s.nextNoticeId + 1,
    })),

  dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
});
