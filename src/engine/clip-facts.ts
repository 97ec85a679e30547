/**
 * What a made clip is: the settings and model that made it, the file it became and how long it took. One type for
 * the worker's reply to `generate`, the page's result and the Library's entries: the worker fills it, the page and
 * the Library keep it as it is. Pure data, so both sides of the worker boundary import it.
 */
import type { Backend } from './backend-choice';
import type { GenerateParams } from './types';

/** Output containers, in the order the Format control offers them. */
export const VIDEO_CONTAINERS = ['mp4', 'webm'] as const;
export type VideoContainer = (typeof VIDEO_CONTAINERS)[number];
/** Each container's name as the page writes it ("Download WebM"). */
export const CONTAINER_NAMES: Record<VideoContainer, string> = { mp4: 'MP4', webm: 'WebM' };

/** The model that made a clip: its manifest's id and name, and the sha256 (hex) of its manifest.json. */
export type ClipModel = { id: string; name: string; manifestSha256: string };

/** Seconds a run took: in all, in the model, after the model (video and poster), and the poster alone. */
export type ClipTimings = { totalSeconds: number; modelSeconds: number; encodeSeconds: number; posterSeconds: number };

/** A clip's sound track (src/sound's foley, muxed by src/video). */
export type ClipSound = {
  /** WebCodecs codec string: `mp4a.40.2` (AAC-LC, in MP4) or `opus` (in WebM). */
  codec: string;
  /** The browser's own encoder or the bundled WASM one. */
  encoder: 'webcodecs' | 'wasm';
  /** What the sound follows: the tracked object (Kineto-Shapes) or the clip's motion energy. */
  follows: 'object' | 'motion';
  /** Impacts and runs of movement, spin, growth, shrinking and stillness it marks. */
  events: number;
  /** Integrated loudness, ITU-R BS.1770 (LUFS); null when the track is silent. */
  loudnessLufs: number | null;
  /** Time making the foley from the frames (encoding it is part of `ClipTimings.encodeSeconds`). */
  seconds: number;
};

/** A finished clip's facts. */
export type ClipFacts = {
  /** The settings it was made with (its seed, prompt and fps among them). */
  params: GenerateParams;
  model: ClipModel;
  /** The backend the model ran on (after a mid-run move from WebGPU to the CPU, the CPU). */
  backend: Backend;
  container: VideoContainer;
  mimeType: string;
  /** Full WebCodecs codec string, e.g. `avc1.42001f`. */
  codec: string;
  /** Encoded size in pixels. */
  width: number;
  height: number;
  frameCount: number;
  /** `kineto-<seed>-<slug>.mp4` (or .webm). */
  fileName: string;
  /** Video bytes. */
  size: number;
  /** Prompt words the model's vocabulary did not know (ignored by the model). */
  unknownWords: string[];
  timings: ClipTimings;
  /**
   * Its sound track; null when it has none (Sound was off, or `soundSkipped` says why). Absent on clips made before
   * Kineto had sound.
   */
  sound?: ClipSound | null;
  /** Why a clip made with Sound on has no sound track, as the sentence the person was shown; else null. */
  soundSkipped?: string | null;
  /**
   * Smooth motion: the frames between the model's were made (engine/continuation's double frame rate), so the file
   * has twice the frames at twice `params.fps`, for the same seconds. Absent: the file plays at `params.fps`.
   */
  smoothMotion?: boolean;
  /** Recorded from Live: what was on screen, made window after window while the prompt changed. Absent otherwise. */
  live?: LiveFacts;
};

/** What a clip recorded from Live says of itself: the prompt of each part, from the file's frame it begins at (from 0). */
export type LiveFacts = { parts: { prompt: string; startFrame: number }[] };

/** The frame rate the clip's file plays at. */
export function fileFps(facts: Pick<ClipFacts, 'params' | 'smoothMotion'>): number {
  return facts.smoothMotion ? 2 * facts.params.fps : facts.params.fps;
}

export function isVideoContainer(value: unknown): value is VideoContainer {
  return (VIDEO_CONTAINERS as readonly unknown[]).includes(value);
}

/** The container a MIME type names, or `asked` when it names neither. */
export function containerOfMimeType(mimeType: string, asked: VideoContainer): VideoContainer {
  if (mimeType.startsWith('video/webm')) return 'webm';
  if (mimeType.startsWith('video/mp4')) return 'mp4';
  return asked;
}
