/**
 * What the Storyboard asks of the engine to make a film: one shot at a time, in the board's order. The store's
 * `generateFilm` drives a `FilmEngine`; the app's is wired to the worker (continue a clip, start from an image), a
 * test's is a fake that answers in memory. Shots are made in turn, never at once: the worker runs one model.
 */
import type { Frames } from '../engine/types';
import type { VideoContainer } from '../engine/clip-facts';
import type { ShotStart } from './board';
import type { Timeline } from './timeline';

/** One shot to make: everything that decides its frames. */
export type ShotRequest = {
  /** The shot's place in the board (0: the first), for progress and messages. */
  index: number;
  prompt: string;
  seed: number;
  /** Frames to make: its frames on the timeline plus its crossfade lead-in (timeline.ts). */
  frames: number;
  /** The film's frame rate: the model's. */
  fps: number;
  /** `continue`: from the last frames of the shot before (given as `previous`); an image: a data: URL in the app. */
  start: ShotStart;
};

/** A made shot: exactly `request.frames` RGBA frames. */
export type ShotResult = { frames: Frames };

export type MakeShotOptions = {
  /** Aborted by Stop: the engine stops between steps and rejects. */
  signal: AbortSignal;
  /** How far the shot is, 0–1 (the progress bar shows it). */
  progress(fraction: number): void;
};

export type FilmEngine = {
  /**
   * Makes one shot. `previous` is the shot before's result when the shot continues it (the engine keeps as many of
   * its last frames as its model conditions on), else undefined.
   */
  makeShot(request: ShotRequest, previous: ShotResult | undefined, options: MakeShotOptions): Promise<ShotResult>;
  /** The film from its shots: crossfaded, with each shot's sound joined, encoded as a video. */
  encodeFilm(film: FilmToEncode, options: MakeShotOptions): Promise<EncodedFilm>;
  /** Where made shots are kept across reloads. */
  kept: ShotKeeper;
};

/** Made shots kept by key (film-plan.ts) beyond the tab's memory; never rejects (what it cannot keep, it does not). */
export type ShotKeeper = {
  save(key: string, result: ShotResult): Promise<void>;
  load(key: string): Promise<ShotResult | null>;
  keys(): Promise<string[]>;
  /** Lets every shot go but those of `keys`. */
  keepOnly(keys: readonly string[]): Promise<void>;
};


/** A film to encode from its shots' made frames (lead-ins included), in the board's order. */
export type FilmToEncode = {
  shots: Frames[];
  timeline: Timeline;
  /** Each shot's seed: its sound's noise is drawn from it. */
  seeds: number[];
  /** Each shot's caption drawn into its frames (the board's `burnCaptions`), or null: a WebVTT file only. */
  burnCaptions: (string | null)[] | null;
};

/** An encoded film with its sound, and a poster of its middle frame for the Library (null: none could be made). */
export type EncodedFilm = { video: Blob; container: VideoContainer; mimeType: string; width: number; height: number; audio: boolean; poster: Blob | null };
