/**
 * Batch generation on the same engine as the app, natively (onnxruntime-node):
 *   npm run generate -- --prompt "a red circle moving left" --seed 1 --steps 20 --frames 16 --out out/clip
 * Writes frame-000.png … and generation.json (settings, timings, unknown words).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { KinetoError } from '../engine/errors';
import { defaultParams, validateParams } from '../engine/params';
import { runPipeline } from '../engine/run-pipeline';
import type { GenerateParams, SchedulerKind } from '../engine/types';
import { DEFAULT_MODEL_DIR, loadModelFromDisk } from './node-runtime';
import { writePng } from './png';

const HELP = `Usage: npm run generate -- --prompt "…" [--negative "…"] [--seed N] [--steps N] [--guidance X]
       [--frames N] [--scheduler ddim|euler|euler-karras|dpm-solver++|lcm] [--model DIR] --out DIR
       [--motion DX,DY]   text2video-zero models: latent pixels per frame (default: the manifest's)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      prompt: { type: 'string' }, negative: { type: 'string' }, seed: { type: 'string' }, steps: { type: 'string' },
      guidance: { type: 'string' }, frames: { type: 'string' }, fps: { type: 'string' }, scheduler: { type: 'string' },
      model: { type: 'string' }, out: { type: 'string' }, motion: { type: 'string' }, help: { type: 'boolean' },
    },
  });
  if (values.help || !values.out || values.prompt === undefined) {
    console.log(HELP);
    process.exit(values.help ? 0 : 2);
  }
  const t0 = performance.now();
  const model = await loadModelFromDisk(values.model ? path.resolve(values.model) : DEFAULT_MODEL_DIR);
  const loadSeconds = (performance.now() - t0) / 1000;
  const num = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));
  const base = defaultParams(model.manifest, values.prompt, 0);
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
  const issues = validateParams(params, model.manifest);
  if (issues.length) throw new KinetoError('bad-parameter', issues.map((i) => i.message).join('\n'));

  const t1 = performance.now();
  const result = await runPipeline(model.manifest, model.models, params, {
    preview: 'none',
    onStep: ({ step, totalSteps }) => void process.stderr.write(`\rstep ${step}/${totalSteps}`),
  });
  const clipSeconds = (performance.now() - t1) / 1000;
  process.stderr.write('\n');
  mkdirSync(values.out, { recursive: true });
  const { frames } = result;
  frames.rgba.forEach((rgba, i) => writePng(path.join(values.out!, `frame-${String(i).padStart(3, '0')}.png`), rgba, frames.width, frames.height));
  const report = {
    model: model.manifest.id,
    params,
    unknownWords: result.unknownWords,
    frames: { count: frames.count, width: frames.width, height: frames.height },
    timings: { loadSeconds, clipSeconds, modelSeconds: model.clock.seconds, outsideModelShare: 1 - model.clock.seconds / clipSeconds },
  };
  writeFileSync(path.join(values.out, 'generation.json'), JSON.stringify(report, null, 2) + '\n');
  if (result.unknownWords.length) console.warn(`Unknown words (ignored by the model): ${result.unknownWords.join(', ')}`);
  console.log(`${frames.count} frames → ${values.out} in ${clipSeconds.toFixed(2)} s (model ${model.clock.seconds.toFixed(2)} s)`);
  await model.release();
}

main().catch((e) => {
  console.error(e instanceof KinetoError ? `Error (${e.code}): ${e.message}` : e);
  process.exit(1);
});
