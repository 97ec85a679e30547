/**
 * The generate CLI's clip mode (`--seconds`, `--from-image`, `--continue`, `--to-image`, `--fps` at twice the model's):
 * every flag and input checked before the first frame is written, then the engine's `generateClip`
 * (src/engine/continuation/) streaming frames into a folder that appears whole or not at all (clip-output.ts), the
 * whole clip's sound.wav, and a generation.json listing each window: what it knew, which method ran, its seed and its
 * timings.
 */
import path from 'node:path';
import { KinetoError } from '../engine/errors';
import {
  type ClipRequest, DEFAULT_RECONSTRUCTION_GUIDANCE, generateClip, guidanceFor, MAX_CLIP_SECONDS, modelFrameSize, type WindowReport,
} from '../engine/continuation';
import { validateParams } from '../engine/params';
import type { GenerateParams } from '../engine/types';
import type { LoadedModel, PresetRun } from '../runtime/load-model';
import { frameName, openClipOutput } from './clip-output';
import { readLastFrames } from './continue-dir';
import { type ImageFrame, readImageFrame } from './image-input';
import { clipSound, SOUND_FILE } from './sound-file';

/** The flags of clip mode, as `parseArgs` gives them. */
export type ClipFlags = { seconds?: string; 'from-image'?: string; continue?: string; 'to-image'?: string; fps?: string; frames?: string; out: string; sound: boolean };

/** Whether the run is a clip (windows, known frames, doubled rate) rather than one plain window. */
export function wantsClip(flags: ClipFlags, modelFps: number): boolean {
  return [flags.seconds, flags['from-image'], flags.continue, flags['to-image']].some((v) => v !== undefined)
    || (flags.fps !== undefined && Number(flags.fps) !== modelFps);
}

const bad = (message: string): never => {
  throw new KinetoError('bad-parameter', message);
};

/** Checks the flags against each other and the model; returns the frames and whether the rate is doubled. */
function clipShape(flags: ClipFlags, params: GenerateParams, modelFps: number): { frames: number; double: boolean; notes: string[] } {
  const notes: string[] = [];
  if (flags.seconds !== undefined && flags.frames !== undefined) bad('Give --seconds or --frames, not both.');
  if (flags['from-image'] !== undefined && flags.continue !== undefined)
    bad('Give --from-image or --continue, not both: a clip starts from an image or from another clip.');
  if (flags.continue !== undefined && path.resolve(flags.continue) === path.resolve(flags.out))
    bad(`--out must be another folder than --continue (${flags.continue}): the new frames are numbered from 000.`);
  const fps = flags.fps === undefined ? modelFps : Number(flags.fps);
  if (fps !== modelFps && fps !== 2 * modelFps)
    bad(`--fps must be ${modelFps} (the model's) or ${2 * modelFps} (twice: the frames between are made); got ${flags.fps}.`);
  let frames = params.frames;
  if (flags.seconds !== undefined) {
    const s = Number(flags.seconds);
    if (!Number.isFinite(s) || s <= 0) bad(`--seconds must be a number of seconds above 0 (got "${flags.seconds}").`);
    if (s > MAX_CLIP_SECONDS) bad(`--seconds ${flags.seconds} is beyond the limit of ${MAX_CLIP_SECONDS} s (${MAX_CLIP_SECONDS * modelFps} frames at ${modelFps} fps). Make a longer clip in parts: --continue the folder of the last one.`);
    frames = Math.max(1, Math.round(s * modelFps));
    if (frames !== s * modelFps) notes.push(`${s} s at ${modelFps} fps is ${frames} frames.`);
  } else if (!Number.isInteger(frames) || frames < 1) bad(`--frames must be a whole number above 0 (got "${flags.frames}").`);
  else if (frames > MAX_CLIP_SECONDS * modelFps) bad(`--frames ${frames} is beyond the limit of ${MAX_CLIP_SECONDS * modelFps} frames (${MAX_CLIP_SECONDS} s at ${modelFps} fps).`);
  return { frames, double: fps === 2 * modelFps, notes };
}

const imageInfo = (i: ImageFrame) => ({ file: i.file, format: i.format, width: i.width, height: i.height, changes: i.changes });

/** Clip mode of `npm run generate`: `params` holds the other flags (prompt, seed, sampler), already parsed. */
export async function runClip(flags: ClipFlags, model: LoadedModel, run: PresetRun, params: GenerateParams, loadSeconds: number): Promise<void> {
  const { manifest } = run;
  const modelFps = manifest.defaults.fps;
  const shape = clipShape(flags, params, modelFps);
  const clipParams = { ...params, frames: shape.frames, fps: modelFps };
  const issues = validateParams({ ...clipParams, frames: manifest.latent.frames }, manifest);
  if (issues.length) bad(issues.map((i) => i.message).join('\n'));

  // Every input is read and checked before anything is made.
  const { width, height } = modelFrameSize(manifest);
  const from = flags['from-image'] === undefined ? null : readImageFrame('--from-image', flags['from-image'], width, height);
  const to = flags['to-image'] === undefined ? null : readImageFrame('--to-image', flags['to-image'], width, height);
  const previous = flags.continue === undefined ? null : readLastFrames(flags.continue, manifest.latent.frames - 1, width, height, manifest.name);
  for (const [flag, image] of [['--from-image', from], ['--to-image', to]] as const)
    if (image?.changes.length) console.warn(`${flag} ${image.file}: ${image.changes.join('; ')}.`);
  for (const note of shape.notes) console.warn(note);

  const request: ClipRequest = { params: clipParams, doubleFrameRate: shape.double };
  if (from) request.start = { kind: 'image', image: from.frame };
  if (previous) request.start = { kind: 'clip', frames: previous.frames };
  if (to) request.end = to.frame;
  const models = from || to || previous ? { ...run.models, vaeEncoder: (await model.vaeEncoder()) ?? undefined } : run.models;

  const output = openClipOutput(flags.out, frameName, [SOUND_FILE]);
  // The sound follows the whole clip's motion, so its frames are kept until the end (60 s of 64² frames: 8 MB).
  const made: Uint8ClampedArray[] = [];
  const t0 = performance.now();
  const modelSeconds0 = model.clock.seconds;
  let result;
  try {
    result = await generateClip(manifest, models, request, {
      onFrames: (f, first) => f.rgba.forEach((rgba, i) => {
        output.writeFrame(first + i, rgba, f.width, f.height);
        if (flags.sound) made[first + i] = rgba;
      }),
      onProgress: (p) => void process.stderr.write(`\rwindow ${p.window + 1}/${p.windows} step ${p.step}/${p.totalSteps}   `),
    });
  } catch (e) {
    output.abort();
    throw e;
  }
  const clipSeconds = (performance.now() - t0) / 1000;
  process.stderr.write('\n');
  let sound = null;
  if (flags.sound) {
    const { wav, report } = clipSound({ frames: made, width, height, fps: result.fps, seed: clipParams.seed, modelId: manifest.id });
    output.writeFile(SOUND_FILE, wav);
    sound = report;
  }
  const source = (w: WindowReport) => w.known.map((k) => ({
    ...k,
    ...(k.from === 'start' && previous ? { file: previous.files[k.index] } : {}),
    ...(k.from === 'start' && from ? { file: from.file } : {}),
    ...(k.from === 'end' && to ? { file: to.file } : {}),
  }));
  const methods = [...new Set(result.windows.map((w) => w.method))];
  const report = {
    model: model.manifest.id,
    params: clipParams,
    unknownWords: result.unknownWords,
    frames: { count: result.frames, width, height, fps: result.fps },
    clip: {
      seconds: result.frames / result.fps,
      limitSeconds: MAX_CLIP_SECONDS,
      windowFrames: manifest.latent.frames,
      doubledFrameRate: shape.double,
      continuedFrom: previous ? { folder: flags.continue, frames: previous.total, known: [...new Set(result.windows.flatMap((w) => w.known.filter((k) => k.from === 'start').map((k) => previous.files[k.index]!)))] } : null,
      fromImage: from && imageInfo(from),
      toImage: to && imageInfo(to),
      methods,
      // Each method's reconstruction guidance, for the methods that ran.
      reconstructionGuidance: Object.fromEntries(methods.filter((m) => m !== 'none').map((m) => [m, guidanceFor(m, DEFAULT_RECONSTRUCTION_GUIDANCE)])),
      keptLatentFrames: result.keptLatentFrames,
    },
    windows: result.windows.map((w) => ({ ...w, known: source(w) })),
    sound,
    timings: { loadSeconds, clipSeconds, modelSeconds: model.clock.seconds - modelSeconds0, secondsPerWindow: clipSeconds / result.windows.length },
  };
  output.writeFile('generation.json', JSON.stringify(report, null, 2) + '\n');
  output.finish();
  if (result.unknownWords.length) console.warn(`Unknown words (ignored by the model): ${result.unknownWords.join(', ')}`);
  const how = methods.filter((m) => m !== 'none').map((m) => (m === 'replacement'
    ? `replacement with reconstruction guidance (the denoiser of ${manifest.name} has no known-frame inputs for these windows)`
    : 'masked conditioning (the denoiser reads the known frames) with gentle reconstruction guidance'));
  if (how.length) console.log(`Known frames: ${how.join('; ')}.`);
  console.log(`${result.frames} frames at ${result.fps} fps in ${result.windows.length} windows${sound ? ' + sound.wav' : ''} → ${flags.out} in ${clipSeconds.toFixed(2)} s`);
}
