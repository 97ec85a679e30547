/**
 * A storyboard's film, natively (onnxruntime-node), from the same board file the app opens (docs/STORYBOARD.md):
 *   npm run storyboard -- BOARD.json --out DIR [--preset fast|quality] [--model DIR] [--no-sound]
 * The board and its pictures are checked before the model is loaded, every problem named by its field; then the
 * shots are planned and made as the app makes them (films/film-plan.ts, film-run.ts) and the film assembled with its
 * crossfades (films/crossfade.ts). DIR gets frame-00000.png … (the whole film), film.json (each shot's place in it),
 * sound.wav, captions.vtt (when a shot has a caption) and the storyboard sheet as sheet.png and sheet.pdf; it appears
 * whole or not at all (clip-output.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { deflateSync } from 'node:zlib';
import { modelFrameSize } from '../engine/continuation';
import { KinetoError } from '../engine/errors';
import { parseManifest } from '../engine/manifest';
import type { Frames } from '../engine/types';
import { type Board, isImageStart, shotSeed } from '../films/board';
import { readBoardText } from '../films/board-file';
import { boardVtt } from '../films/captions-vtt';
import { assembleFilm } from '../films/crossfade';
import type { ShotResult } from '../films/film-engine';
import { filmProblems, planFilm } from '../films/film-plan';
import { makeShots, ShotFailure } from '../films/film-run';
import { filmSoundTrack } from '../films/film-sound';
import { type BoardProblem, problemText } from '../films/parse-board';
import { sheetOf } from '../films/sheet-layout';
import { sheetPdf } from '../films/sheet-pdf';
import { paintSheet } from '../films/sheet-png';
import { buildTimeline, type Timeline } from '../films/timeline';
import { encodeWav } from '../sound/wav';
import { openClipOutput } from './clip-output';
import { imageFrameFromBytes, readImageFrame } from './image-input';
import { DEFAULT_MODEL_DIR, diskSource, loadModelFromDisk } from './node-runtime';
import { pngBytes } from './png';
import { parsePreset } from './preset-arg';
import { nodeFilmEngine } from './storyboard-engine';

const HELP = `Usage: npm run storyboard -- BOARD.json --out DIR [--preset fast|quality] [--model DIR] [--no-sound]
  BOARD.json   a storyboard file (docs/STORYBOARD.md); pictures are paths relative to it, or data: URLs
  --out DIR    gets frame-00000.png … for the whole film, film.json, sound.wav, captions.vtt (when a shot has a
               caption) and the storyboard sheet: sheet.png and sheet.pdf
  --preset     the model's speed preset (default: its default, Fast when offered)
  --no-sound   skip sound.wav`;

/** The files a film folder holds besides its frames. */
const FILM_FILES = ['film.json', 'sound.wav', 'captions.vtt', 'sheet.png', 'sheet.pdf'];
const filmFrameName = (index: number) => `frame-${String(index).padStart(5, '0')}.png`;

/** A board that cannot be made: every problem by its field, on stderr, and nothing written. */
class BoardRefused extends Error {
  constructor(readonly file: string, readonly problems: BoardProblem[]) {
    super(`${file} cannot be made into a film:\n${problems.map((p) => `  ${problemText(p)}`).join('\n')}`);
  }
}

function readBoard(file: string): Board {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new KinetoError('bad-parameter', `${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}). Give the path of a storyboard file.`);
  }
  const parsed = readBoardText(text);
  if (!parsed.ok) throw new BoardRefused(file, parsed.problems);
  return parsed.board;
}

/** The bytes of a base64 `data:` URL (what the app writes), or null. */
function dataUrlBytes(url: string): Uint8Array | null {
  const m = /^data:[^,]*;base64,(.*)$/s.exec(url);
  return m ? new Uint8Array(Buffer.from(m[1]!, 'base64')) : null;
}

/** Each picture a shot starts from, read and letterboxed to the model's frame (a path is relative to the board). */
function readPictures(board: Board, boardFile: string, size: { width: number; height: number }): Map<number, Frames> {
  const pictures = new Map<number, Frames>();
  board.shots.forEach((shot, i) => {
    if (!isImageStart(shot.start)) return;
    const field = `shots[${i}].start.image`;
    const { image, name } = shot.start;
    let picture;
    if (image.startsWith('data:')) {
      const bytes = dataUrlBytes(image);
      if (!bytes) throw new BoardRefused(boardFile, [{ path: field, message: 'is a data: URL this cannot read: give base64 (data:image/png;base64,…)' }]);
      picture = imageFrameFromBytes(field, name ?? 'data: URL', bytes, size.width, size.height);
    } else picture = readImageFrame(field, path.resolve(path.dirname(boardFile), image), size.width, size.height);
    if (picture.changes.length) console.warn(`${field} ${picture.file}: ${picture.changes.join('; ')}.`);
    pictures.set(i, picture.frame);
  });
  return pictures;
}

/** film.json: the film's frame rate and where each shot is in its frames (numbered from 0, last included). */
function filmReport(board: Board, timeline: Timeline, film: Frames, modelId: string) {
  return {
    title: board.title,
    fps: timeline.fps,
    frames: timeline.frames,
    width: film.width,
    height: film.height,
    model: modelId,
    shots: board.shots.map((shot, i) => {
      const span = timeline.shots[i]!;
      const start = isImageStart(shot.start) ? { image: shot.start.image.startsWith('data:') ? (shot.start.name ?? 'data: URL') : shot.start.image } : shot.start;
      return {
        prompt: shot.prompt,
        seconds: shot.seconds,
        start,
        seed: shotSeed(board, i),
        firstFrame: span.first,
        lastFrame: span.last,
        transition: shot.transition,
        ...(shot.caption ? { caption: shot.caption } : {}),
      };
    }),
  };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, model: { type: 'string' }, preset: { type: 'string' }, 'no-sound': { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (values.help || positionals.length !== 1 || !values.out) {
    console.log(HELP);
    process.exit(values.help ? 0 : 2);
  }
  const t0 = performance.now();
  const boardFile = positionals[0]!;
  const out = values.out;
  const preset = parsePreset(values.preset);
  const modelDir = values.model ? path.resolve(values.model) : DEFAULT_MODEL_DIR;

  // Everything is checked before the model is loaded: the board, its timeline at the model's fps, its pictures.
  const board = readBoard(boardFile);
  const manifest = parseManifest(await diskSource(modelDir).readJson('manifest.json'));
  const fps = manifest.defaults.fps;
  const problems = filmProblems(board, fps, true);
  if (problems.length > 0) throw new BoardRefused(boardFile, problems);
  const pictures = readPictures(board, boardFile, modelFrameSize(manifest));

  const model = await loadModelFromDisk(modelDir);
  const run = await model.forPreset(preset);
  if (run.notice) console.warn(run.notice);
  const plan = planFilm(board, fps);
  const timeline = buildTimeline(board, fps);
  const results = new Map<string, ShotResult>();
  let shotStart = 0;
  try {
    await makeShots(plan, plan.map((_, i) => i), nodeFilmEngine(model, run, pictures), results, {
      signal: new AbortController().signal,
      started: (index, _done, total) => {
        shotStart = performance.now();
        const start = board.shots[index]!.start;
        const how = start === 'continue' ? `continues shot ${index}` : isImageStart(start) ? 'from a picture' : 'cut';
        console.error(`Shot ${index + 1} of ${total}: ${plan[index]!.request.frames} frames (${how})…`);
      },
      progress: () => {},
      made: (index) => console.error(`Shot ${index + 1} made in ${((performance.now() - shotStart) / 1000).toFixed(2)} s.`),
    });
  } finally {
    await model.release();
  }
  const shots = plan.map((p) => results.get(p.key)!.frames);

  const film = assembleFilm(timeline, shots);
  const output = openClipOutput(out, filmFrameName, FILM_FILES);
  try {
    film.rgba.forEach((rgba, i) => output.writeFrame(i, rgba, film.width, film.height));
    output.writeFile('film.json', `${JSON.stringify(filmReport(board, timeline, film, manifest.id), null, 2)}\n`);
    const written = [];
    if (!values['no-sound']) {
      output.writeFile('sound.wav', encodeWav(filmSoundTrack(shots, timeline, plan.map((p) => p.request.seed), manifest.id)));
      written.push('sound.wav');
    }
    if (board.shots.some((s) => s.caption?.trim())) {
      output.writeFile('captions.vtt', boardVtt(board, timeline));
      written.push('captions.vtt');
    }
    const sheet = sheetOf(board, timeline, shots);
    const raster = paintSheet(sheet);
    output.writeFile('sheet.png', pngBytes(raster.rgba, raster.width, raster.height));
    output.writeFile('sheet.pdf', await sheetPdf(sheet, async (data) => new Uint8Array(deflateSync(data))));
    output.finish();
    console.log(`${timeline.frames} frames at ${fps} fps (${board.shots.length} shots), film.json, ${[...written, 'sheet.png', 'sheet.pdf'].join(', ')} → ${out} in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  } catch (e) {
    output.abort();
    throw e;
  }
}

main().catch((e) => {
  if (e instanceof BoardRefused) console.error(e.message);
  else if (e instanceof ShotFailure) console.error(`Shot ${e.index + 1} could not be made: ${e.message}`);
  else console.error(e instanceof KinetoError ? `Error (${e.code}): ${e.message}` : e);
  process.exit(1);
});
