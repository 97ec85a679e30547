/**
 * The made film as the page offers it: the video (crossfaded, with sound, captions drawn in when the board says so)
 * and always a WebVTT file of the captions beside it, each an object URL with its file name.
 */
import { type Board } from './board';
import { boardSlug } from './board-file';
import { boardVtt } from './captions-vtt';
import type { FilmEngine, MakeShotOptions, ShotResult } from './film-engine';
import type { ShotPlan } from './film-plan';
import { buildTimeline } from './timeline';

export type FilmOutput = {
  url: string;
  fileName: string;
  /** Whether the video has a sound track (the browser may lack an audio encoder). */
  audio: boolean;
  vttUrl: string;
  vttFileName: string;
};

/** Encodes the film of `board` from its shots' results (every shot of `plan` made). */
export async function encodeBoardFilm(board: Board, fps: number, plan: readonly ShotPlan[], results: ReadonlyMap<string, ShotResult>,
  engine: FilmEngine, options: MakeShotOptions): Promise<FilmOutput> {
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
  };
}

/** Lets an output's object URLs go. */
export function releaseFilmOutput(output: FilmOutput | null): void {
  if (!output) return;
  URL.revokeObjectURL(output.url);
  URL.revokeObjectURL(output.vttUrl);
}
