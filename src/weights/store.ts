/**
 * Where downloaded weights live: a folder per model id with its files and a record (what each file should be,
 * how much of it is stored, the running hash). Two implementations: the Origin Private File System
 * (`opfs-store.ts`, preferred) and Cache Storage (`cache-store.ts`, where OPFS or its sync access handles are
 * missing). Both persist a partial file as it grows, so a download resumes after a reload.
 */
import type { Sha256State } from '../hash/sha256-resumable';

export const STORE_KINDS = ['opfs', 'cache-storage'] as const;
/** Which browser storage holds the weights. */
export type StoreKind = (typeof STORE_KINDS)[number];

/** What the store knows about one file of a model. */
export type FileRecord = {
  /** Where it is downloaded from. */
  url: string;
  /** Size the manifest promises; null when it gives none (the tokenizer). */
  expectedBytes: number | null;
  /** sha256 the manifest promises; null when it gives none (then `sha256` is recorded at first download). */
  expectedSha256: string | null;
  /** Bytes durably stored: the offset a resumed download continues from. */
  storedBytes: number;
  /** The incremental hash after `storedBytes` bytes, so resuming does not re-read them. */
  hashState: Sha256State | null;
  /** sha256 of the complete file once verified; null while partial. */
  sha256: string | null;
};

/** One cached model: enough to list it, resume it and load it offline. */
export type ModelRecord = {
  id: string;
  name: string;
  manifestUrl: string;
  /** manifest.json as downloaded, so the model loads without the network. */
  manifest: unknown;
  /** By path relative to the manifest. */
  files: Record<string, FileRecord>;
  /** Milliseconds since the epoch of the last change. */
  updatedAt: number;
};

/** Appends to one stored file. */
export type FileWriter = {
  write(chunk: Uint8Array): Promise<void>;
  /** Makes everything written so far durable (it survives a reload or a crash of the tab). */
  flush(): Promise<void>;
  close(): Promise<void>;
};

export type WeightStore = {
  readonly kind: StoreKind;
  listModelIds(): Promise<string[]>;
  readRecord(modelId: string): Promise<ModelRecord | null>;
  writeRecord(record: ModelRecord): Promise<void>;
  /** Stored size of a file; 0 when absent. */
  fileSize(modelId: string, path: string): Promise<number>;
  /** Opens `path` for appending after its first `offset` bytes; anything stored beyond them is dropped. */
  openWriter(modelId: string, path: string, offset: number): Promise<FileWriter>;
  /** The stored file as a disk-backed Blob (nothing is read until asked); null when absent. */
  readFile(modelId: string, path: string): Promise<Blob | null>;
  deleteFile(modelId: string, path: string): Promise<void>;
  deleteModel(modelId: string): Promise<void>;
  /** Bytes the model takes on disk, its record included. */
  modelBytes(modelId: string): Promise<number>;
};

/** A string as one folder or file name: no '/', and never '.' or '..'. */
export function safeName(s: string): string {
  return encodeURIComponent(s).replace(/^\./, '%2E');
}

export function fromSafeName(name: string): string {
  return decodeURIComponent(name);
}

/** Parses a stored record, or null when it is damaged (the model then counts as absent and is fetched again). */
export function parseRecord(text: string): ModelRecord | null {
  try {
    const r = JSON.parse(text) as ModelRecord;
    if (typeof r?.id !== 'string' || typeof r.manifestUrl !== 'string' || typeof r.files !== 'object' || r.files === null) return null;
    return r;
  } catch {
    return null;
  }
}
