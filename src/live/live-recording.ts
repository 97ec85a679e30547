/**
 * Live's recording as a clip: the frames shown from one press of Record to the next, each for as long as it was on
 * screen. A clip has one frame rate, so a recording that crossed a change of rate (Smooth motion switched, or dropped
 * by catch-up) plays at the faster one and shows each slower frame twice — the same seconds, no frame lost. Pure.
 */
import type { LiveFacts } from '../engine/clip-facts';
import type { LiveFrame } from './live-frames';

export type RecordedFrame = Pick<LiveFrame, 'rgba' | 'fps' | 'prompt' | 'makeSeconds'>;

/** The longest recording, in seconds: as long as a clip may be (engine/continuation `MAX_CLIP_SECONDS`). */
export const MAX_RECORDING_SECONDS = 60;

export type RecordedClip = {
  /** The file's frames, in order. */
  rgba: Uint8ClampedArray[];
  /** The file plays at twice `baseFps` (Smooth motion in some of it). */
  smoothMotion: boolean;
  /** Its length in frames at the model's rate (the clip's `params.frames`). */
  baseFrames: number;
  seconds: number;
  /** The prompt of each part, from the file's frame it begins at. */
  parts: LiveFacts['parts'];
  /** Seconds the model took to make the recorded frames. */
  modelSeconds: number;
};

/** Seconds a recording lasts on screen. */
export function recordedSeconds(frames: readonly RecordedFrame[]): number {
  return frames.reduce((s, f) => s + 1 / f.fps, 0);
}

export function recordedClip(frames: readonly RecordedFrame[], baseFps: number): RecordedClip {
  const fileFps = Math.max(baseFps, ...frames.map((f) => f.fps));
  const rgba: Uint8ClampedArray[] = [];
  const parts: RecordedClip['parts'] = [];
  let modelSeconds = 0;
  for (const f of frames) {
    if (parts.at(-1)?.prompt !== f.prompt) parts.push({ prompt: f.prompt, startFrame: rgba.length });
    for (let i = 0; i < Math.round(fileFps / f.fps); i++) rgba.push(f.rgba);
    modelSeconds += f.makeSeconds;
  }
  const seconds = rgba.length / fileFps;
  return { rgba, smoothMotion: fileFps > baseFps, baseFrames: Math.max(1, Math.round(seconds * baseFps)), seconds, parts, modelSeconds };
}
