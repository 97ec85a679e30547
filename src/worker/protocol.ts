/**
 * The only module both sides of the worker boundary import. Requests carry an increasing `id`; every request
 * gets exactly one terminal reply (`done` or `error`) with the same id; `event`s stream progress in between.
 */
import type { ErrorInfo } from '../engine/errors';
import type { GenerateParams, ModelManifest } from '../engine/types';

export const BACKENDS = ['webgpu', 'wasm'] as const;
/** Execution backend; `auto` picks WebGPU when an adapter is available. */
export type Backend = (typeof BACKENDS)[number];
export type BackendChoice = Backend | 'auto';

/** What this browser can do, as probed inside the worker. */
export type Capabilities = {
  webgpu: boolean;
  adapter: { vendor: string; architecture: string; description: string; isFallbackAdapter: boolean } | null;
  shaderF16: boolean;
  crossOriginIsolated: boolean;
  /** WASM threads onnxruntime will use. */
  wasmThreads: number;
  /** Video codecs WebCodecs can encode here, in order of preference. */
  codecs: string[];
};

/** The backend actually running the loaded model. */
export type BackendInfo = { backend: Backend; threads: number; adapter: string | null; shaderF16: boolean };

export const VIDEO_CONTAINERS = ['mp4', 'webm'] as const;
export type VideoContainer = (typeof VIDEO_CONTAINERS)[number];

export type Request =
  | { type: 'probe' }
  | { type: 'load-model'; manifestUrl: string; backend: BackendChoice }
  | { type: 'generate'; params: GenerateParams; container: VideoContainer }
  | { type: 'cancel'; target: number }
  | { type: 'unload' };

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
      /** x̂0 preview frames at preview resolution, RGBA. */
      preview: { width: number; height: number; frames: Uint8ClampedArray[] };
    }
  /** `frame`: the frame just encoded, counting from 0. */
  | { type: 'frame'; frame: number; totalFrames: number }
  | { type: 'notice'; message: string }
  | { type: 'backend'; info: BackendInfo };

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
};

/** Worker → page messages. */
export type Reply =
  | { id: number; kind: 'event'; event: WorkerEvent }
  | { id: number; kind: 'done'; data: Replies[Request['type']] }
  | { id: number; kind: 'error'; error: ErrorInfo; cancelled?: boolean };

/** Page → worker envelope. */
export type Envelope = { id: number; request: Request };
