/**
 * Sound that follows the action: a clip's frames → its foley track (48 kHz stereo) and the events it was made from.
 * Pure TypeScript, so the engine worker and the CLI run the same code. For Kineto-Shapes the object is tracked
 * (eval/detector.ts) and every movement, turn, growth and impact is heard; for any other model, or when the object
 * cannot be followed, the sound follows the clip's motion energy.
 */
import { atWorldSize, trackObject } from '../eval/detector';
import type { SoundCues } from './cues';
import { cuesFromTrack } from './events';
import { renderCues } from './mix';
import { cuesFromMotionEnergy } from './motion-energy';
import type { StereoPcm } from './pcm';

export type FoleyOptions = {
  fps: number;
  /** The clip's seed: the sound's noise is drawn from it, so a clip always sounds the same. */
  seed: number;
  /** Follow an object (true for Kineto-Shapes, whose clips hold one); false: motion energy only. */
  trackObject: boolean;
};

/** What a run of frames does, as the sound hears it. */
export type ActivityKind = 'movement' | 'spin' | 'growth' | 'shrink' | 'still';

/** What the sound marks, in seconds from the clip's start. */
export type SoundEvent =
  | { kind: 'impact'; seconds: number; strength: number; wall: boolean; x: number }
  | { kind: ActivityKind; fromSeconds: number; toSeconds: number };

export type Foley = { pcm: StereoPcm; cues: SoundCues; events: SoundEvent[] };

/** Models whose clips hold one trackable object (the detector knows their world); every other model gets motion energy. */
const OBJECT_MODELS = ['kineto-shapes'];

/** Whether the foley of model `modelId`'s clips should follow a tracked object (`FoleyOptions.trackObject`). */
export function tracksObjects(modelId: string): boolean {
  return OBJECT_MODELS.includes(modelId);
}

/** Motion below this level (1 = steady) is too little to list as movement. */
const LISTED_MOTION = 0.2;

/** The foley of RGBA `frames` of `width`×`height`. */
export function makeFoley(frames: Uint8ClampedArray[], width: number, height: number, opts: FoleyOptions): Foley {
  // Kineto-Shapes' frames are heard at its world's size: the tracking's thresholds and the motion energy's levels
  // were set there, and it costs what it did at 64 px.
  const drawn = { width, height, count: frames.length, rgba: frames };
  const seen = opts.trackObject ? atWorldSize(drawn) : drawn;
  const track = opts.trackObject ? trackObject(seen.rgba, seen.width, seen.height) : null;
  // An incoherent track (the object splits or jumps) would make impacts out of the jumps.
  const cues = track?.coherent ? cuesFromTrack(track, seen.width, seen.height, opts.fps) : cuesFromMotionEnergy(seen.rgba, seen.width, seen.height, opts.fps);
  return { pcm: renderCues(cues, opts.seed), cues, events: soundEvents(cues) };
}

const round = (v: number) => Math.round(v * 1000) / 1000;

/** The impacts, and the runs of frames that move, spin, grow, shrink or stay still. */
export function soundEvents(cues: SoundCues): SoundEvent[] {
  const { fps } = cues;
  const events: SoundEvent[] = cues.impacts.map((hit) => ({
    kind: 'impact', seconds: round(hit.frame / fps), strength: round(hit.strength), wall: hit.wall, x: round(hit.x),
  }));
  const active: Record<Exclude<ActivityKind, 'still'>, (i: number) => boolean> = {
    movement: (i) => cues.motion[i]! >= LISTED_MOTION,
    spin: (i) => cues.spin[i] !== 0,
    growth: (i) => cues.growth[i]! > 0,
    shrink: (i) => cues.growth[i]! < 0,
  };
  const kinds = Object.keys(active) as (keyof typeof active)[];
  const runs = (kind: ActivityKind, on: (i: number) => boolean) => {
    for (let i = 0; i < cues.frameCount; ) {
      if (!on(i)) { i++; continue; }
      let j = i;
      while (j + 1 < cues.frameCount && on(j + 1)) j++;
      events.push({ kind, fromSeconds: round(i / fps), toSeconds: round((j + 1) / fps) });
      i = j + 1;
    }
  };
  for (const kind of kinds) runs(kind, active[kind]);
  runs('still', (i) => kinds.every((k) => !active[k](i)));
  return events.sort((a, b) => ('seconds' in a ? a.seconds : a.fromSeconds) - ('seconds' in b ? b.seconds : b.fromSeconds));
}
