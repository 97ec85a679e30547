/**
 * The only module both sides of the worker boundary import. Requests carry an increasing `id`; every request
 * gets exactly one terminal reply (`done` or `error`) with the same id; `event`s stream progress in between. A
 * cancelled request is `done`, with `Cancelled` as its data: cancelling is not an error.
 */
import type { MetadataTags } from 'mediabunny';
import type { Backend, BackendChoice, BackendMemory, BackendSelection } from '../engine/backend-choice';
import type { ClipFacts, LiveFacts, VideoContainer } from '../engine/clip-facts';
import type { ErrorInfo } from '../engine/errors';
import type { PreviewMode } from '../engine/pipelines/shared';
import type { Frames, GenerateParams, ModelManifest, PresetName } from '../engine/types';
import type { KnownFrameMethod } from '../engine/continuation';
import type { Timeline } from '../films/timeline';
import type { WarmUpReport } from '../engine/warm-up';
import type { VariantPick } from '../engine/variants';
import type { LabReplies, LabRequest } from '../lab/lab-protocol';
import type { OrtBuild } from '../platform/ort-builds';
import type { CachedModel, StorageInfo } from '../weights/catalog';
import type { FolderInput } from '../weights/folder-source';
import type { DownloadProgress } from '../weights/progress';
import type { StoreKind } from '../weights/store';
import type { TestFault } from './test-faults';

export type { CachedModel, DownloadProgress, FolderInput, StorageInfo, StoreKind, TestFault, VariantPick };

/** Execution backend; `auto` picks one by the rules of engine/backend-choice.ts. */
export { BACKENDS } from '../engine/backend-choice';
export type { Backend, BackendChoice, BackendMemory, BackendSelection } from '../engine/backend-choice';

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
  /** The onnxruntime-web build this browser loads: JSPI where it has `WebAssembly.Suspending`, else Asyncify. */
  ortBuild: OrtBuild;
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
  /** Why this backend: chosen by hand, a rule (no WebGPU, a software adapter) or a timing of both. */
  selection: BackendSelection;
};

/** What a made clip is (engine/clip-facts.ts): the reply to `generate`, kept as it is by the page and the Library. */
export { VIDEO_CONTAINERS } from '../engine/clip-facts';
export type { ClipFacts, ClipModel, ClipSound, ClipTimings, LiveFacts, VideoContainer } from '../engine/clip-facts';

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
 * resumes). Weight-store requests (`list-models`, `delete-model`, `storage-info`, `storage-settings`), `cancel` and
 * `read-frame` are answered at once; the others run one at a time, in order.
 */
export type Request =
  | { type: 'probe' }
  /**
   * Make before break: the new model is downloaded, checked and started beside the one in use, which is released only
   * once the new one has run one text-encoder call. When both cannot fit in memory the load stops with
   * `release-needed`, unless `releaseFirst` (the person agreed to release the current model first).
   */
  | {
      type: 'load-model'; source: ModelSource; backend: BackendChoice; releaseFirst?: boolean;
      /** What this browser remembers about backends, by model id (the page keeps it); Auto uses the loaded model's. */
      backendMemory?: Record<string, BackendMemory>;
      /** Automation: let Auto time a software WebGPU adapter too (it is never picked without a timing). */
      probeSoftwareAdapters?: boolean;
    }
  /**
   * `tags`: provenance the muxer writes into the file (src/provenance/tags.ts). `manifestSha256`: the digest of the
   * model in use, which the page reads once per load (store/model-actions.ts), for the clip's facts. `sound`: give
   * the clip a foley track made from its frames (src/sound).
   */
  | {
      type: 'generate'; params: GenerateParams; container: VideoContainer; preview: PreviewMode; manifestSha256: string; sound: boolean; tags?: MetadataTags;
      /** Extend: `params.frames` new frames after the last clip this worker made (worker/kept-clip.ts), from its last frames. */
      extend?: boolean;
      /** Start from an image: the clip's first frame, at the model's size. */
      startImage?: Frames;
      /** The clip's last frame, at the model's size (with `startImage`: the in-betweens of two keyframes). */
      endImage?: Frames;
      /**
       * Smooth motion: the frames between the model's are made too, so the file has twice the frames at twice
       * `params.fps`. Extend ignores it and follows the clip it carries on.
       */
      smoothMotion?: boolean;
    }
  | { type: 'cancel'; target: number }
  /** Use this frame: frame `frame` (from 0) of a clip's file playing at `fps`, decoded (video/read-frame.ts). */
  | { type: 'read-frame'; video: Blob; frame: number; fps: number }
  /**
   * One shot of a film or one window of Live (worker/make-shot.ts): from text, an image at the model's size, or a
   * clip's last frames. `smoothMotion`: the frames between the model's are made too (twice the frames, at twice
   * `params.fps`).
   */
  | { type: 'make-shot'; params: GenerateParams; start: ShotSource; smoothMotion?: boolean }
  /**
   * A film from its shots' made frames (worker/encode-film.ts): crossfaded on `timeline`, each shot's foley joined
   * (`seeds`: each shot's), captions drawn into the frames when `burnCaptions` holds them (one per shot, or null).
   */
  | { type: 'encode-film'; shots: Frames[]; timeline: Timeline; seeds: number[]; burnCaptions: (string | null)[] | null; container: VideoContainer; outputSize: number; modelId: string; sound: boolean }
  /**
   * A clip's file from frames made elsewhere (Live's recording: worker/encode-clip.ts), encoded as `generate` encodes
   * its frames, with the clip's facts. `frames` play at `params.fps`, or twice that with `smoothMotion`;
   * `modelSeconds`: the time the model took to make them; `live`: what Live says of them (engine/clip-facts.ts).
   */
  | { type: 'encode-clip'; frames: Frames; params: GenerateParams; smoothMotion: boolean; container: VideoContainer; manifestSha256: string; sound: boolean; tags?: MetadataTags; modelSeconds: number; unknownWords: string[]; live?: LiveFacts }
  /**
   * On the CPU backend: makes the default clip of `preset` a few times, thrown away, so that V8 has optimised
   * onnxruntime's WASM before the person's first clip (engine/warm-up.ts). Gives way to any other queued request.
   */
  | { type: 'warm-up'; preset: PresetName | null; preview: PreviewMode }
  | { type: 'unload' }
  | { type: 'list-models' }
  /** Deletes a cached model's files; a download of it in progress is stopped first. */
  | { type: 'delete-model'; modelId: string }
  | { type: 'storage-info' }
  /**
   * Automation builds only: pretend this origin's quota is `quotaBytes` (null: the browser's own figure), or
   * use `store` instead of the best storage this browser offers (null: the default).
   */
  | { type: 'storage-settings'; quotaBytes?: number | null; store?: StoreKind | null }
  /** Automation builds only: injects a fault (`worker/test-faults.ts`) to prove the app recovers from it. */
  | { type: 'test-fault'; fault: TestFault }
  /** The Lab (src/lab/lab-protocol.ts): a recorded run, and the images one view shows. */
  | LabRequest;

/** A part of a clip made with Extend: its prompt and the frame it begins at. */
export type ClipPart = { prompt: string; startFrame: number };

/** Where a shot starts: fresh, at an image (its frame 0), or after the last frames of a clip. */
export type ShotSource = { kind: 'text' } | { kind: 'image'; image: Frames } | { kind: 'clip'; frames: Frames };

/** `speed-test`: Auto loads the model on each backend and times one step (`file` names the backend). */
export type LoadStage = 'manifest' | 'download' | 'verify' | 'session' | 'speed-test';
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

/** Result payloads of requests that ran to their end, by request type. */
export type Results = {
  probe: Capabilities;
  'load-model': { manifest: ModelManifest; backend: BackendInfo; loadSeconds: number };
  generate: {
    facts: ClipFacts;
    video: Blob;
    /** A small JPEG of the middle frame for the Library's grid (video/poster.ts); null when it could not be made. */
    poster: Blob | null;
    /** Where each part of an extended clip begins (absent or one part: a clip from text alone). */
    parts?: ClipPart[];
  };
  'make-shot': { frames: Frames; methods: KnownFrameMethod[] };
  /** `poster`: a JPEG of the film's middle frame for the Library (video/poster.ts), null when none could be made. */
  'encode-film': { video: Blob; mimeType: string; container: VideoContainer; frameCount: number; width: number; height: number; audio: boolean; poster: Blob | null };
  /** As `generate`'s result, without parts. */
  'encode-clip': { facts: ClipFacts; video: Blob; poster: Blob | null };
  cancel: { cancelled: boolean };
  /** The frame as a PNG, at the file's size. */
  'read-frame': { image: Blob };
  /** `report` is null when nothing ran: no model, a model on WebGPU, or this worker has had its warm-up. */
  'warm-up': { report: WarmUpReport | null };
  unload: Record<string, never>;
  'list-models': { models: CachedModel[] };
  'delete-model': { deletedBytes: number };
  'storage-info': StorageInfo;
  'storage-settings': StorageInfo;
  'test-fault': Record<string, never>;
} & LabReplies;

/** The reply of a request that `cancel` stopped (or, for a load, a newer load overtook): an outcome, not an error. */
export type Cancelled = { outcome: 'cancelled' };

/** Requests that a `cancel` ends with `Cancelled`. A cancelled `lab-run` instead answers with the steps it recorded. */
export type CancellableRequest = 'load-model' | 'generate' | 'lab-export' | 'make-shot' | 'encode-film';

/** Reply payloads, by request type: the result, or `Cancelled` for the requests that can be cancelled. */
export type Replies = { [K in keyof Results]: K extends CancellableRequest ? Results[K] | Cancelled : Results[K] };

/** Tells a cancelled request's reply from its result. */
export function isCancelled<T extends object>(reply: T | Cancelled): reply is Cancelled {
  return 'outcome' in reply && reply.outcome === 'cancelled';
}

/**
 * Requests answered at once, beside whatever is running. A `load-model` downloads and checks its files at once too
 * (the model in use keeps generating meanwhile); only starting the new model waits its turn.
 */
export const IMMEDIATE_REQUESTS = ['cancel', 'load-model', 'list-models', 'delete-model', 'storage-info', 'read-frame'] as const satisfies readonly Request['type'][];

/** Requests only automation builds answer (src/automation.ts); they too run at once. */
export const AUTOMATION_REQUESTS = ['storage-settings', 'test-fault'] as const satisfies readonly Request['type'][];
export type AutomationRequest = (typeof AUTOMATION_REQUESTS)[number];

/** Worker → page messages. */
export type Reply =
  | { id: number; kind: 'event'; event: WorkerEvent }
  | { id: number; kind: 'done'; data: Replies[Request['type']] }
  | { id: number; kind: 'error'; error: ErrorInfo };

/** Page → worker envelope. */
export type Envelope = { id: number; request: Request };
