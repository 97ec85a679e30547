/**
 * The made film as the page offers it: the video (crossfaded, with sound, captions drawn in when the board says so)
 * and always a WebVTT file of the captions beside it, each an object URL with its file name; and what the Library
 * keeps of it (library/film-record.ts).
 */
import type { ClipModel, VideoContainer } from '../engine/clip-facts';
import { type Board } from './board';
import { boardDocument, boardSlug } from './board-file';
import { boardVtt } from './captions-vtt';
import type { FilmEngine, MakeShotOptions, ShotResult } from './film-engine';
import type { ShotPlan } from './film-plan';
import { buildTimeline, type Timeline } from './timeline';

/** A made film as the Library keeps it: the file and its poster, and the board and timeline it was made from. */
export type KeptFilm = {
  video: Blob;
  poster: Blob | null;
  container: VideoContainer;
  mimeType: string;
  /** Encoded size in pixels. */
  width: number;
  height: number;
  /** The board as its file holds it, as it was when the film was made (later edits are not the film's). */
  board: Board;
  /** Where each shot sits in this video. */
  timeline: Timeline;
  model: ClipModel;
};

export type FilmOutput = {
  url: string;
  fileName: string;
  /** Whether the video has a sound track (the browser may lack an audio encoder). */
  audio: boolean;
  vttUrl: string;
  vttFileName: string;
  kept: KeptFilm;
};

/** Encodes the film of `board` from its shots' results (every shot of `plan` made) with `model`. */
export async function encodeBoardFilm(board: Board, fps: number, plan: readonly ShotPlan[], results: ReadonlyMap<string, ShotResult>,
  engine: FilmEngine, options: MakeShotOptions, model: ClipModel): Promise<FilmOutput> {
  const timeline = buildTimeline(board, fps);
  const encoded = await engine.encodeFilm({
    shots: plan.map((p) => results.get(p.key)!.frames),
    timeline,
    seeds: plan.map((p) => p.request.seed),
    burnCaptions: board.burnCaptions ? board.shots.map((s) => s.caption?.trim() || null) : null,
  }, options);
  const slug = boardSlug(board, 'film');
  const vtt = new Blob([boardVtt(board, timeline)], { type: 'text/vtt' });
  return {
    url: URL.createObjectURL(encoded.video),
    fileName: `${slug}.${encoded.container}`,
    audio: encoded.audio,
    vttUrl: URL.createObjectURL(vtt),
    vttFileName: `${slug}.vtt`,
    kept: {
      video: encoded.video, poster: encoded.poster, container: encoded.container, mimeType: encoded.mimeType, width: encoded.width, height: encoded.height,
      board: boardDocument(board), timeline, model,
    },
  };
}

/** Lets an output's object URLs go. */
export function releaseFilmOutput(output: FilmOutput | null): void {
  if (!output) return;
  URL.revokeObjectURL(output.url);
  URL.revokeObjectURL(output.vttUrl);
}
