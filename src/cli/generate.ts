/**
 * Batch generation on the same engine as the app, natively (onnxruntime-node):
 *   npm run generate -- --prompt "a red circle moving left" --seed 1 --preset quality --steps 20 --out out/clip
 * Writes frame-000.png …, sound.wav (the clip's foley, unless --no-sound) and generation.json (settings, timings,
 * unknown words, the sound's events).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { KinetoError } from '../engine/errors';
import { defaultParams, validateParams } from '../engine/params';
import { runPipeline } from '../engine/pipelines';
import type { GenerateParams, SchedulerKind } from '../engine/types';
import { runClip, wantsClip } from './clip-command';
import { DEFAULT_MODEL_DIR, loadModelFromDisk } from './node-runtime';
import { writePng } from './png';
import { clipSound, SOUND_FILE } from './sound-file';
import { parsePreset } from './preset-arg';

const HELP = `Usage: npm run generate -- --prompt "…" [--negative "…"] [--seed N] [--preset fast|quality]
       [--steps N] [--guidance X] [--frames N] [--scheduler ddim|euler|euler-karras|dpm-solver++|lcm] [--model DIR] --out DIR
       [--preset]  the model's speed preset (default fast); --steps, --guidance and --scheduler override its settings
       [--motion DX,DY]   text2video-zero models: latent pixels per frame (default: the manifest's)
       [--no-sound]       skip sound.wav (the foley that follows the clip's motion)

Clips longer than one window, and known frames (src/cli/clip-command.ts):
       [--seconds N]        N seconds at the model's fps, made in windows (at most 60 s; or --frames beyond a window)
       [--from-image FILE]  the first frame is this PNG, JPEG or WebP (letterboxed to the model's size)
       [--continue DIR]     carry on from the last frames of a folder this command wrote; writes only the new frames
       [--to-image FILE]    the last frame is this image (with --from-image: the in-betweens of two keyframes)
       [--fps F]            the model's fps, or twice it: the frames between are made`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      prompt: { type: 'string' }, negative: { type: 'string' }, seed: { type: 'string' }, steps: { type: 'string' },
      guidance: { type: 'string' }, frames: { type: 'string' }, fps: { type: 'string' }, scheduler: { type: 'string' },
      model: { type: 'string' }, out: { type: 'string' }, motion: { type: 'string' }, preset: { type: 'string' }, help: { type: 'boolean' },
      'no-sound': { type: 'boolean' },
      seconds: { type: 'string' }, 'from-image': { type: 'string' }, continue: { type: 'string' }, 'to-image': { type: 'string' },
    },
  });
  if (values.help || !values.out || values.prompt === undefined) {
    console.log(HELP);
    process.exit(values.help ? 0 : 2);
  }
  const requested = parsePreset(values.preset);
  const t0 = performance.now();
  const model = await loadModelFromDisk(values.model ? path.resolve(values.model) : DEFAULT_MODEL_DIR);
  const run = await model.forPreset(requested);
  const loadSeconds = (performance.now() - t0) / 1000;
  if (run.notice) console.warn(run.notice);
  const num = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));
  const base = defaultParams(run.manifest, values.prompt, 0, run.preset);
  const params: GenerateParams = {
    ...base,
    negativePrompt: values.negative ?? base.negativePrompt,
    seed: num(values.seed, 0),
    steps: num(values.steps, base.steps),
    guidanceScale: num(values.guidance, base.guidanceScale),
    frames: num(values.frames, base.frames),
    fps: num(values.fps, base.fps),
    scheduler: (values.scheduler ?? base.scheduler) as SchedulerKind,
  };
  if (values.motion !== undefined) {
    const [dx, dy] = values.motion.split(',').map(Number);
    params.motion = { dx: dx ?? NaN, dy: dy ?? NaN };
  }
  const clipFlags = { ...values, out: values.out, sound: !values['no-sound'] };
  if (wantsClip(clipFlags, run.manifest.defaults.fps)) {
    await runClip(clipFlags, model, run, params, loadSeconds);
    await model.release();
    return;
  }
  const issues = validateParams(params, run.manifest);
  if (issues.length) throw new KinetoError('bad-parameter', issues.map((i) => i.message).join('\n'));

  const t1 = performance.now();
  const result = await runPipeline(run.manifest, run.models, params, {
    preview: 'none',
    onStep: ({ step, totalSteps }) => void process.stderr.write(`\rstep ${step}/${totalSteps}`),
  });
  const clipSeconds = (performance.now() - t1) / 1000;
  process.stderr.write('\n');
  mkdirSync(values.out, { recursive: true });
  const { frames } = result;
  frames.rgba.forEach((rgba, i) => writePng(path.join(values.out!, `frame-${String(i).padStart(3, '0')}.png`), rgba, frames.width, frames.height));
  let sound = null;
  if (!values['no-sound']) {
    const made = clipSound({ frames: frames.rgba, width: frames.width, height: frames.height, fps: params.fps, seed: params.seed, modelId: run.manifest.id });
    writeFileSync(path.join(values.out, SOUND_FILE), made.wav);
    sound = made.report;
  }
  const report = {
    model: model.manifest.id,
    params,
    unknownWords: result.unknownWords,
    frames: { count: frames.count, width: frames.width, height: frames.height },
    sound,
    timings: { loadSeconds, clipSeconds, modelSeconds: model.clock.seconds, outsideModelShare: 1 - model.clock.seconds / clipSeconds },
  };
  writeFileSync(path.join(values.out, 'generation.json'), JSON.stringify(report, null, 2) + '\n');
  if (result.unknownWords.length) console.warn(`Unknown words (ignored by the model): ${result.unknownWords.join(', ')}`);
  console.log(`${frames.count} frames${sound ? ' + sound.wav' : ''} → ${values.out} in ${clipSeconds.toFixed(2)} s (model ${model.clock.seconds.toFixed(2)} s)`);
  await model.release();
}

main().catch((e) => {
  console.error(e instanceof KinetoError ? `Error (${e.code}): ${e.message}` : e);
  process.exit(1);
});
