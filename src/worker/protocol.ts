/**
 * The only module both sides of the worker boundary import. Requests carry an increasing `id`; every request
 * gets exactly one terminal reply (`done` or `error`) with the same id; `event`s stream progress in between.
 */
import type { ErrorInfo } from '../engine/errors';
import type { PreviewMode } from '../engine/pipeline';
import type { GenerateParams, ModelManifest } from '../engine/types';
import type { VariantPick } from '../engine/variants';
import type { CachedModel, StorageInfo } from '../weights/catalog';
import type { FolderInput } from '../weights/folder-source';
import type { DownloadProgress } from '../weights/progress';
import type { StoreKind } from '../weights/store';

export type { CachedModel, DownloadProgress, FolderInput, StorageInfo, StoreKind, VariantPick };

export const BACKENDS = ['webgpu', 'wasm'] as const;
/** Execution backend; `auto` picks WebGPU when an adapter is available. */
export type Backend = (typeof BACKENDS)[number];
export type BackendChoice = Backend | 'auto';

/** What this browser can do, as probed inside the worker. */
export type Capabilities = {
  webgpu: boolean;
  adapter: { vendor: string; architecture: string; description: string; isFallbackAdapter: boolean } | null;
  shaderF16: boolean;
  /** The adapter's limits that bound one buffer, in bytes (null without WebGPU); WebGPU reports no memory size. */
  limits: { maxBufferSize: number; maxStorageBufferBindingSize: number } | null;
  /**
   * `navigator.deviceMemory` in GiB (RAM, rounded down to a power of two, capped at 8 in Chromium); null where the
   * browser does not offer it (Firefox, Safari). The page fills it from its own navigator when the worker has none.
   */
  deviceMemoryGb: number | null;
  crossOriginIsolated: boolean;
  /** WASM threads onnxruntime will use. */
  wasmThreads: number;
  /** Video codecs WebCodecs can encode here, in order of preference. */
  codecs: string[];
};

/** The backend actually running the loaded model. */
export type BackendInfo = {
  backend: Backend;
  threads: number;
  adapter: string | null;
  shaderF16: boolean;
  /** The weight variant each multi-variant component uses on this backend, and why (empty when none is offered). */
  variants: VariantPick[];
};

export const VIDEO_CONTAINERS = ['mp4', 'webm'] as const;
export type VideoContainer = (typeof VIDEO_CONTAINERS)[number];

/** Where a model comes from. */
export type ModelSource =
  /** The model served with the app: fetched on every load (through the HTTP cache), not kept in the weight store. */
  | { kind: 'embedded'; manifestUrl: string }
  /** A model published at any URL: downloaded once into the weight store (resumable, verified), then loaded from it, also offline. */
  | { kind: 'url'; manifestUrl: string }
  /** A folder the person picked (`showDirectoryPicker` handle or `webkitdirectory` files), read in place. */
  | { kind: 'folder'; name: string; folder: FolderInput };

/**
 * Requests. `cancel` of a `load-model` pauses its download (the bytes stay stored; loading the same URL again
 * resumes). Weight-store requests (`list-models`, `delete-model`, `storage-info`, `storage-settings`) and `cancel`
 * are answered at once; the others run one at a time, in order.
 */
export type Request =
  | { type: 'probe' }
  | { type: 'load-model'; source: ModelSource; backend: BackendChoice }
  | { type: 'generate'; params: GenerateParams; container: VideoContainer; preview: PreviewMode }
  | { type: 'cancel'; target: number }
  | { type: 'unload' }
  | { type: 'list-models' }
  /** Deletes a cached model's files; a download of it in progress is stopped first. */
  | { type: 'delete-model'; modelId: string }
  | { type: 'storage-info' }
  /**
   * For automation and demos: pretend this origin's quota is `quotaBytes` (null: the browser's own figure), or
   * use `store` instead of the best storage this browser offers (null: the default).
   */
  | { type: 'storage-settings'; quotaBytes?: number | null; store?: StoreKind | null };

export type LoadStage = 'manifest' | 'download' | 'verify' | 'session';
export type GenerateStage = 'encode-text' | 'denoise' | 'decode' | 'encode-video';

export type WorkerEvent =
  | { type: 'load-progress'; stage: LoadStage; file: string | null; loadedBytes: number; totalBytes: number }
  | { type: 'stage'; stage: GenerateStage }
  | {
      type: 'step';
      /** The step just finished, counting from 1. */
      step: number;
      totalSteps: number;
      timestep: number;
      /** x̂0 preview frames at preview resolution, RGBA; no frames when previews are off. */
      preview: { width: number; height: number; frames: Uint8ClampedArray[] };
    }
  /** `frame`: the frame just encoded, counting from 0. */
  | { type: 'frame'; frame: number; totalFrames: number }
  | { type: 'notice'; message: string }
  | { type: 'backend'; info: BackendInfo }
  /** A `url` model's files being downloaded into the weight store: per file and in total, with speed and time left. */
  | { type: 'download-progress'; progress: DownloadProgress };

export type Unknown = { unknownWords: string[] };

/** Result payloads, by request type. */
export type Replies = {
  probe: Capabilities;
  'load-model': { manifest: ModelManifest; backend: BackendInfo; loadSeconds: number };
  generate: {
    video: Blob;
    mimeType: string;
    codec: string;
    width: number;
    height: number;
    frameCount: number;
    seed: number;
    /** `kineto-<seed>-<slug>.mp4` (or .webm). */
    fileName: string;
    unknownWords: string[];
    timings: { totalSeconds: number; modelSeconds: number; encodeSeconds: number };
  };
  cancel: { cancelled: boolean };
  unload: Record<string, never>;
  'list-models': { models: CachedModel[] };
  'delete-model': { deletedBytes: number };
  'storage-info': StorageInfo;
  'storage-settings': StorageInfo;
};

/** Requests answered at once, beside whatever is running. */
export const IMMEDIATE_REQUESTS = ['cancel', 'list-models', 'delete-model', 'storage-info', 'storage-settings'] as const satisfies readonly Request['type'][];

/** Worker → page messages. */
export type Reply =
  | { id: number; kind: 'event'; event: WorkerEvent }
  | { id: number; kind: 'done'; data: Replies[Request['type']] }
  | { id: number; kind: 'error'; error: ErrorInfo; cancelled?: boolean };

/** Page → worker envelope. */
export type Envelope = { id: number; request: Request };
