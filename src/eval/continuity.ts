/**
 * The continuity split of the evaluation (issue 17's targets), run through the engine's continuation operations as
 * the CLI and the app run them:
 *   long clip    13 s from text (generateClip): colour, shape and motion held per window; no jump at a seam
 *   new prompt   a clip, then continueClip under a prompt with another motion: the new motion, the same object, no jump
 *   from image   startFromImage from a ground-truth first frame: the object where the image has it, kept, moving as told
 *   in-between   inBetween two ground-truth keyframes: both come back (PSNR), the path between them runs one way
 * Each row says which method took the known frames: the denoiser's conditioning inputs (masked conditioning) or the
 * training-free fallback (replacement with reconstruction guidance). The judges see the world's size (the encoder's,
 * 64 px): frames a decoder draws larger are box-averaged down, and the ground truth is given at the model's size.
 */
import { type ClipHooks, type ClipResult, continueClip, encoderFrameSize, generateClip, inBetween, type KnownFrameMethod, modelFrameSize, startFromImage } from '../engine/continuation';
import { KinetoError } from '../engine/errors';
import { enlargeFrames } from '../engine/frames';
import type { Frames, GenerateParams } from '../engine/types';
import type { LoadedModel } from '../runtime/load-model';
import {
  holding, isMonotonePath, type Point, psnr, seamFrames, seamSteps, type SeamStep, windowSpans,
} from './continuity-score';
import { analyseClip, atWorldSize, type ClipAnalysis, objectCentres } from './detector';
import { LONG_CLIPS, type PromptParts, promptOf, SEAM_CHANGES } from './prompts';
import { type EvalOptions, type EvalSettings, evalRun, evalSeeds } from './run-eval';

/** A ground-truth clip (eval/ground-truth/, training/make_eval_fixtures.py): its words and frames. */
export type GroundTruthClip = { file: string; label: PromptParts; frames: Frames };

export const CONTINUITY_PARTS = ['long-clip', 'new-prompt', 'from-image', 'in-between'] as const;
export type ContinuityPart = (typeof CONTINUITY_PARTS)[number];

/** One measured row against its target (`value` ≥ `target`). */
export type ContinuityRow = {
  part: ContinuityPart;
  measure: string;
  value: number;
  target: number;
  unit: '%' | 'dB';
  /** What the value is counted over (windows, seams, clips, keyframes). */
  count: number;
  /** How the known frames were taken in this part's windows. */
  methods: KnownFrameMethod[];
};

/** What one generated case showed (kept in the JSON report). */
export type ContinuityCase = {
  part: ContinuityPart;
  prompt: string;
  /** What the clip (after the seam, for a new prompt) should show. */
  expected: PromptParts;
  seed: number;
  methods: KnownFrameMethod[];
  analyses: ClipAnalysis[];
  seams: SeamStep[];
  /** From image: the first frame's object's distance from the image's, in frame widths. In-between: the keyframes' PSNR. */
  firstOffset?: number;
  keyframePsnr?: [number, number];
  monotone?: boolean;
};

export type ContinuitySummary = { settings: EvalSettings; rows: ContinuityRow[]; cases: ContinuityCase[]; seconds: number };

export type ContinuityOptions = Pick<EvalOptions, 'seeds' | 'preset' | 'steps' | 'guidanceScale' | 'every'> & {
  /** Ground-truth clips: every one starts a clip from its first frame; the straight lines give the keyframes. */
  groundTruth: GroundTruthClip[];
  /** Length of the long clips (default 13 s). */
  longSeconds?: number;
  onCase?: (index: number, total: number, what: string) => void;
};

/** Issue 17's targets. */
export const CONTINUITY_TARGETS = {
  held: 0.95, motion: 0.9, noJump: 1, firstOffset: 0.04, keyframeDb: 30, monotone: 1,
} as const;
const STRAIGHT = new Set(['left', 'right', 'up', 'down', 'up-left', 'up-right', 'down-left', 'down-right']);
/** How far (in frame widths) an in-between's object may fall back along its path: the detector's jitter on a model's blob. */
const PATH_TOLERANCE = 1 / 64;

const one = (f: Frames, i: number): Frames => ({ width: f.width, height: f.height, count: 1, rgba: [f.rgba[i]!] });
const distance = (a: Point | null, b: Point | null) => (a && b ? Math.hypot(a.x - b.x, a.y - b.y) : Infinity);

/** Runs a clip, keeping what it streams (the engine keeps nothing): as made, and as the judges see them. */
async function collect(run: (hooks: ClipHooks) => Promise<ClipResult>): Promise<{ frames: Uint8ClampedArray[]; seen: Uint8ClampedArray[]; result: ClipResult }> {
  const frames: Uint8ClampedArray[] = [];
  const seen: Uint8ClampedArray[] = [];
  const result = await run({ onFrames: (f, first) => atWorldSize(f).rgba.forEach((rgba, i) => {
    frames[first + i] = f.rgba[i]!;
    seen[first + i] = rgba;
  }) });
  return { frames, seen, result };
}

const methodsOf = (...results: ClipResult[]) => [...new Set(results.flatMap((r) => r.windows.map((w) => w.method)).filter((m) => m !== 'none'))];

export async function runContinuity(model: LoadedModel, opts: ContinuityOptions): Promise<ContinuitySummary> {
  const t0 = performance.now();
  const { run, base, settings } = await evalRun(model, opts);
  const { manifest } = run;
  const encoder = await model.vaeEncoder();
  if (!encoder) throw new KinetoError('bad-parameter', `${manifest.name} ships no VAE encoder: it cannot continue frames, so the continuity split cannot run (--no-continuity skips it).`);
  const models = { ...run.models, vaeEncoder: encoder };
  const { width, height } = encoderFrameSize(manifest);
  const made = modelFrameSize(manifest);
  const enlarge = made.width / width;
  for (const g of opts.groundTruth)
    if (g.frames.width !== width || g.frames.height !== height)
      throw new KinetoError('bad-parameter', `Ground-truth clip ${g.file} is ${g.frames.width}×${g.frames.height}; ${manifest.name}'s world is ${width}×${height} (its encoder's size).`);
  const given = (g: GroundTruthClip, i: number) => enlargeFrames(one(g.frames, i), enlarge);
  const every = (_: unknown, i: number) => i % (opts.every ?? 1) === 0;
  const params = (p: PromptParts, seed: number, frames: number): GenerateParams => ({ ...base, prompt: promptOf(p), seed, frames });
  const windowFrames = manifest.latent.frames;

  type Job = { what: string; part: ContinuityPart; go: () => Promise<ContinuityCase> };
  const jobs: Job[] = [];
  for (const seed of evalSeeds(opts.seeds)) {
    for (const p of LONG_CLIPS.filter(every))
      jobs.push({ what: `long ${promptOf(p)}`, part: 'long-clip', go: async () => {
        const frames = Math.round((opts.longSeconds ?? 13) * base.fps);
        const { seen: out, result } = await collect((h) => generateClip(manifest, models, { params: params(p, seed, frames) }, h));
        const analyses = windowSpans(result.windows).map(([a, b]) => analyseClip(out.slice(a, b + 1), width, height));
        const seams = seamSteps(objectCentres(out, width, height), seamFrames(result.windows), width);
        return { part: 'long-clip', prompt: promptOf(p), expected: p, seed, methods: methodsOf(result), analyses, seams };
      } });
    for (const { before, after } of SEAM_CHANGES.filter(every))
      jobs.push({ what: `seam ${before.motion} → ${promptOf(after)}`, part: 'new-prompt', go: async () => {
        const first = await collect((h) => generateClip(manifest, models, { params: params(before, seed, windowFrames) }, h));
        const previous: Frames = { ...made, count: first.frames.length, rgba: first.frames };
        // The continuation's own seed: the first clip's noise drew the old motion.
        const next = await collect((h) => continueClip(manifest, models, params(after, seed + 1, windowFrames), previous, h));
        const all = [...first.seen, ...next.seen];
        const seamsAt = [first.frames.length, ...seamFrames(next.result.windows).map((s) => s + first.frames.length)];
        const seams = seamSteps(objectCentres(all, width, height), seamsAt, width);
        return { part: 'new-prompt', prompt: promptOf(after), expected: after, seed, methods: methodsOf(next.result), analyses: [analyseClip(next.seen, width, height)], seams };
      } });
    for (const g of opts.groundTruth.filter(every))
      jobs.push({ what: `from ${g.file}`, part: 'from-image', go: async () => {
        const { seen: out, result } = await collect((h) => startFromImage(manifest, models, params(g.label, seed, windowFrames), given(g, 0), h));
        const c = objectCentres([g.frames.rgba[0]!, ...out], width, height);
        // Frame 0 is the image as given (engine/continuation/clip.ts), so the step from it to the first frame the
        // model made counts as a seam too.
        return {
          part: 'from-image', prompt: promptOf(g.label), expected: g.label, seed, methods: methodsOf(result), analyses: [analyseClip(out, width, height)],
          seams: seamSteps(c.slice(1), [1, ...seamFrames(result.windows)], width), firstOffset: distance(c[0]!, c[1]!) / width,
        };
      } });
    for (const g of opts.groundTruth.filter((x) => STRAIGHT.has(x.label.motion)).filter(every))
      jobs.push({ what: `between ${g.file}`, part: 'in-between', go: async () => {
        const last = g.frames.count - 1;
        const { seen: out, result } = await collect((h) => inBetween(manifest, models, params(g.label, seed, g.frames.count), given(g, 0), given(g, last), h));
        const c = objectCentres(out, width, height);
        return {
          // Where the given keyframes meet the frames the model made: no jump.
          part: 'in-between', prompt: promptOf(g.label), expected: g.label, seed, methods: methodsOf(result), analyses: [analyseClip(out, width, height)],
          seams: seamSteps(c, [1, last], width),
          keyframePsnr: [psnr(out[0]!, g.frames.rgba[0]!), psnr(out.at(-1)!, g.frames.rgba[last]!)],
          monotone: isMonotonePath(c, PATH_TOLERANCE * width),
        };
      } });
  }
  const cases: ContinuityCase[] = [];
  for (const [i, job] of jobs.entries()) {
    opts.onCase?.(i, jobs.length, job.what);
    cases.push(await job.go());
  }
  return { settings, rows: continuityRows(cases), cases, seconds: (performance.now() - t0) / 1000 };
}

/** The rows of the table, from the cases (each part's rows only where the part ran). */
export function continuityRows(cases: ContinuityCase[]): ContinuityRow[] {
  const T = CONTINUITY_TARGETS;
  const rows: ContinuityRow[] = [];
  const share = (xs: boolean[]) => (xs.length ? xs.filter(Boolean).length / xs.length : 0);
  for (const part of CONTINUITY_PARTS) {
    const mine = cases.filter((c) => c.part === part);
    if (!mine.length) continue;
    const methods = [...new Set(mine.flatMap((c) => c.methods))];
    const row = (measure: string, value: number, target: number, count: number, unit: ContinuityRow['unit'] = '%') =>
      rows.push({ part, measure, value, target, unit, count, methods });
    if (part !== 'in-between') {
      // Pooled over every window (long clips) or clip (the others) of the part.
      const held = mine.map((c) => ({ h: holding(c.analyses, c.expected), n: c.analyses.length }));
      const n = held.reduce((a, x) => a + x.n, 0);
      const pooled = (key: 'colour' | 'shape' | 'motion') => held.reduce((a, x) => a + x.h[key] * x.n, 0) / n;
      const per = part === 'long-clip' ? 'windows' : 'clips';
      row(`colour held (${per})`, pooled('colour'), T.held, n);
      row(`shape held (${per})`, pooled('shape'), T.held, n);
      row(`motion as prompted (${per})`, pooled('motion'), T.motion, n);
    }
    const seams = mine.flatMap((c) => c.seams);
    if (seams.length) row('seams without a jump', share(seams.map((s) => !s.jump)), T.noJump, seams.length);
    if (part === 'from-image')
      row(`first frame's object within ${T.firstOffset * 100} % of the image's`, share(mine.map((c) => c.firstOffset! <= T.firstOffset)), 1, mine.length);
    if (part === 'in-between') {
      const db = mine.flatMap((c) => c.keyframePsnr!);
      row('keyframes back: lowest PSNR', Math.min(...db), T.keyframeDb, db.length, 'dB');
      row('path between keyframes monotone', share(mine.map((c) => c.monotone!)), T.monotone, mine.length);
    }
  }
  return rows;
}
