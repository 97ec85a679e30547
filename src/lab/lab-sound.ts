/**
 * The sound of a Lab run's finished clip, as the Sound strip draws it: the foley Create would give the same clip
 * (src/sound, from the final frames, seeded by the run's seed), reduced to what a class can look at — the events it
 * marks and its level over time. Small plain data; made in the worker and sent with the run's summary.
 */
import type { GenerateParams } from '../engine/types';
import type { Shape } from '../sound/cues';
import { type SoundEvent, makeFoley, tracksObjects } from '../sound/foley';
import { type LevelCurve, levelCurve } from '../sound/level-curve';
import { integratedLoudness } from '../sound/loudness';

export type { LevelCurve, SoundEvent };

export type LabSound = {
  /** The clip's length: frames / fps. */
  durationSeconds: number;
  /** What the sound follows: the tracked object (Kineto-Shapes) or the clip's motion energy. */
  follows: 'object' | 'motion';
  /** The tracked object's shape (it chooses the struck sound); null when following motion. */
  shape: Shape | null;
  /** Impacts (ticks) and runs of movement, spin, growth, shrinking and stillness (bars), in seconds. */
  events: SoundEvent[];
  /** Short-term RMS level in dBFS over time. */
  level: LevelCurve;
  /** Integrated loudness, ITU-R BS.1770 (LUFS); null when silent. */
  loudnessLufs: number | null;
};

/** Why a run has no sound to show, as a sentence. */
export type LabNoSound = { problem: string };

/** The sound of RGBA `frames` of `width`×`height`, made by model `modelId` with `params`; or why there is none. */
export function labSound(frames: Uint8ClampedArray[], width: number, height: number, params: Pick<GenerateParams, 'fps' | 'seed'>, modelId: string): LabSound | LabNoSound {
  try {
    const { pcm, cues, events } = makeFoley(frames, width, height, { fps: params.fps, seed: params.seed, trackObject: tracksObjects(modelId) });
    const lufs = integratedLoudness([pcm.left, pcm.right]);
    return {
      durationSeconds: frames.length / params.fps,
      follows: cues.source,
      shape: cues.shape,
      events,
      level: levelCurve(pcm),
      loudnessLufs: Number.isFinite(lufs) ? Math.round(lufs * 10) / 10 : null,
    };
  } catch (e) {
    return { problem: `The sound could not be made (${e instanceof Error ? e.message : String(e)}).` };
  }
}
