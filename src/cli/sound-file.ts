/**
 * The CLI's `sound.wav`: the foley that follows a clip's motion (src/sound/foley.ts), the same sound the app puts in
 * its files, with the facts `generation.json` lists beside it (what it follows, its loudness and true peak, its events).
 */
import { type Foley, makeFoley, type SoundEvent, tracksObjects } from '../sound/foley';
import { integratedLoudness } from '../sound/loudness';
import { truePeakDb } from '../sound/true-peak';
import { encodeWav } from '../sound/wav';

export const SOUND_FILE = 'sound.wav';

/** The clip's frames (RGBA, `width`×`height`) at `fps`, the seed its sound is drawn with, and the model that made it. */
export type ClipForSound = { frames: Uint8ClampedArray[]; width: number; height: number; fps: number; seed: number; modelId: string };

/** What generation.json says of the sound. */
export type SoundReport = {
  file: typeof SOUND_FILE;
  /** The tracked object's events, or the motion energy of clips with nothing to track. */
  follows: Foley['cues']['source'];
  loudnessLufs: number;
  truePeakDb: number;
  seconds: number;
  events: SoundEvent[];
};

export function clipSound(clip: ClipForSound): { wav: Uint8Array; report: SoundReport } {
  const t0 = performance.now();
  const foley = makeFoley(clip.frames, clip.width, clip.height, { fps: clip.fps, seed: clip.seed, trackObject: tracksObjects(clip.modelId) });
  const wav = encodeWav(foley.pcm);
  const channels = [foley.pcm.left, foley.pcm.right];
  const report: SoundReport = {
    file: SOUND_FILE,
    follows: foley.cues.source,
    loudnessLufs: Math.round(integratedLoudness(channels) * 10) / 10,
    truePeakDb: Math.round(truePeakDb(channels) * 10) / 10,
    seconds: (performance.now() - t0) / 1000,
    events: foley.events,
  };
  return { wav, report };
}
