/**
 * A film's one sound track: each shot's foley made from its own frames (lead-in included) and seeded by its seed,
 * joined the way the pictures are (a cut starts fresh, a crossfade crossfades: sound/film-join.ts). Pure, so the
 * worker's film and the CLI's sound.wav are the same sound.
 */
import type { Frames } from '../engine/types';
import { joinShotTracks, type ShotJoin } from '../sound/film-join';
import { makeFoley, tracksObjects } from '../sound/foley';
import type { StereoPcm } from '../sound/pcm';
import type { Timeline } from './timeline';

/** The track of a film of `shots` (made frames, in the board's order) on `timeline`, by the model `modelId`. */
export function filmSoundTrack(shots: readonly Frames[], timeline: Timeline, seeds: readonly number[], modelId: string): StereoPcm {
  const trackObject = tracksObjects(modelId);
  const tracks = shots.map((s, i) => makeFoley(s.rgba, s.width, s.height, { fps: timeline.fps, seed: seeds[i] ?? 0, trackObject }).pcm);
  const joins: ShotJoin[] = timeline.shots.slice(1).map((s) => (s.leadIn > 0 ? { kind: 'crossfade', frames: s.leadIn } : { kind: 'cut' }));
  return joinShotTracks(tracks, joins, timeline.fps);
}
