/**
 * The weight manager as the page sees it: the download in progress (or paused), the models cached in this
 * browser and the storage quota. Plain data only; the actions that talk to the worker live in `engine.ts`.
 */
import type { StateCreator } from 'zustand';
import { type FolderFile, pathInPickedFolder } from '../weights/folder-source';
import type { CachedModel, DownloadProgress, StorageInfo } from '../worker/protocol';
import type { KinetoState } from './index';

export { formatBytes, formatDuration } from '../weights/units';

export type DownloadStatus = 'downloading' | 'paused' | 'failed';

/** A model being downloaded from a URL into the weight store. */
export type DownloadState = {
  status: DownloadStatus;
  manifestUrl: string;
  /** Worker request id of the load, for pausing it. */
  requestId: number | null;
  /** null until the worker has read the manifest. */
  progress: DownloadProgress | null;
  /** The model's licence, when the gate read its manifest before the download (shown beside the progress). */
  license: string | null;
};

export type WeightsSlice = {
  download: DownloadState | null;
  /** null until first listed. */
  cachedModels: CachedModel[] | null;
  storage: StorageInfo | null;
  /** The "Model manifest URL" field. */
  manifestUrlDraft: string;

  setManifestUrlDraft(value: string): void;
};

export const createWeightsSlice: StateCreator<KinetoState, [], [], WeightsSlice> = (set) => ({
  download: null,
  cachedModels: null,
  storage: null,
  manifestUrlDraft: '',

  setManifestUrlDraft: (manifestUrlDraft) => set({ manifestUrlDraft }),
});

/** Why a manifest URL typed by a person cannot be loaded, or null when it can. */
export function manifestUrlProblem(text: string): string | null {
  const t = text.trim();
  if (t === '') return 'Enter the address of a model\'s manifest.json.';
  let u: URL;
  try {
    u = new URL(t);
  } catch {
    return 'This is not a web address. It should start with https:// (or http://).';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'Only https:// and http:// addresses can be loaded.';
  return null;
}

/** The files of an `<input webkitdirectory>` as a folder for `loadFromFolder`: its name and each file's path in it. */
export function pickedFolder(files: readonly File[]): { name: string; files: FolderFile[] } | null {
  const first = files[0];
  if (!first) return null;
  const name = first.webkitRelativePath.split('/')[0] || 'model folder';
  return { name, files: files.map((file) => ({ path: pathInPickedFolder(file.webkitRelativePath || file.name), file })) };
}
