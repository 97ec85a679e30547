/** Generates every evaluation clip with the engine and scores it with the detector. */
import { defaultParams } from '../engine/params';
import { generateFrames } from '../engine/pipelines/text-to-video';
import type { GenerateParams, PresetName } from '../engine/types';
import type { LoadedModel } from '../runtime/load-model';
import { analyseClip, type ClipAnalysis } from './detector';
import { type EvalCase, evalCases } from './prompts';

const TRANSLATIONS = new Set(['left', 'right', 'up', 'down', 'up-left', 'up-right', 'down-left', 'down-right']);

export type ClipResult = EvalCase & { seed: number; analysis: ClipAnalysis };
export type SplitScore = { split: 'held-out' | 'seen'; clips: number; colour: number; shape: number; direction: number; coherence: number };
export type EvalSummary = {
  settings: Pick<GenerateParams, 'steps' | 'scheduler' | 'guidanceScale' | 'preset'> & { seeds: number };
  splits: SplitScore[];
  clips: ClipResult[];
  seconds: number;
};

export type EvalOptions = {
  seeds: number;
  /** Speed preset (default: the model's default); `steps` and `guidanceScale` override its settings. */
  preset?: PresetName;
  steps?: number;
  guidanceScale?: number;
  heldOutOnly?: boolean;
  /** Keep only every n-th case (reduced runs in CI). */
  every?: number;
  onClip?: (index: number, total: number, c: EvalCase) => void;
};

function score(split: SplitScore['split'], rs: ClipResult[]): SplitScore {
  const frac = (xs: ClipResult[], ok: (r: ClipResult) => boolean) => (xs.length ? xs.filter(ok).length / xs.length : 0);
  return {
    split,
    clips: rs.length,
    colour: frac(rs, (r) => r.analysis.colour === r.colour),
    shape: frac(rs, (r) => r.analysis.shape === r.shape),
    direction: frac(rs.filter((r) => TRANSLATIONS.has(r.motion)), (r) => r.analysis.direction === r.motion),
    coherence: frac(rs, (r) => r.analysis.coherent),
  };
}

export async function runEval(model: LoadedModel, opts: EvalOptions): Promise<EvalSummary> {
  const t0 = performance.now();
  const cases = evalCases().filter((c, i) => (!opts.heldOutOnly || c.heldOut) && i % (opts.every ?? 1) === 0);
  const jobs = cases.flatMap((c) => Array.from({ length: opts.seeds }, (_, s) => ({ c, seed: 1000 + s })));
  const run = await model.forPreset(opts.preset);
  const base = defaultParams(run.manifest, '', 0, run.preset);
  const settings = { preset: base.preset, steps: opts.steps ?? base.steps, scheduler: base.scheduler, guidanceScale: opts.guidanceScale ?? base.guidanceScale, seeds: opts.seeds };
  const clips: ClipResult[] = [];
  for (const [i, { c, seed }] of jobs.entries()) {
    opts.onClip?.(i, jobs.length, c);
    const params = { ...base, prompt: c.prompt, seed, steps: settings.steps, guidanceScale: settings.guidanceScale };
    const { frames } = await generateFrames(run.manifest, run.models, params, { preview: 'none' });
    clips.push({ ...c, seed, analysis: analyseClip(frames.rgba, frames.width, frames.height) });
  }
  return {
    settings,
    splits: [score('held-out', clips.filter((r) => r.heldOut)), score('seen', clips.filter((r) => !r.heldOut))],
    clips,
    seconds: (performance.now() - t0) / 1000,
  };
}
