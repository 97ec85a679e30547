import { defaultPreset, presetSettings } from './presets';
import type { GenerateParams, ModelManifest, PresetName } from './types';
import { SCHEDULER_KINDS } from './types';

/** A parameter the user set outside its range, with the sentence to show beside the control. */
export type ParamIssue = { field: keyof GenerateParams; message: string };

/** Ranges enforced by the UI, the worker and the CLI alike: out of range is refused, never clamped. */
export const LIMITS = {
  steps: { min: 1, max: 100 },
  guidanceScale: { min: 1, max: 20 },
  fps: { min: 1, max: 60 },
  outputSize: { min: 32, max: 1024 },
  seed: { min: 0, max: 2 ** 32 - 1 },
  promptChars: 500,
  /** Text2Video-Zero motion per frame, latent pixels along each axis. */
  motion: { min: -16, max: 16 },
} as const;

/** Frame counts the model accepts: multiples of `framesMultipleOf` up to the latent's frame count. */
export function frameLimits(m: ModelManifest): { min: number; max: number; multipleOf: number } {
  return { min: m.latent.framesMultipleOf, max: m.latent.frames, multipleOf: m.latent.framesMultipleOf };
}

function range(field: keyof GenerateParams, label: string, v: number, min: number, max: number, integer: boolean): ParamIssue[] {
  if (!Number.isFinite(v)) return [{ field, message: `${label} must be a number.` }];
  if (integer && !Number.isInteger(v)) return [{ field, message: `${label} must be a whole number.` }];
  if (v < min || v > max) return [{ field, message: `${label} must be between ${min} and ${max} (got ${v}).` }];
  return [];
}

export function validateParams(p: GenerateParams, m: ModelManifest): ParamIssue[] {
  const issues: ParamIssue[] = [];
  if (p.prompt.trim() === '') issues.push({ field: 'prompt', message: 'Type a prompt describing the clip.' });
  if (p.prompt.length > LIMITS.promptChars)
    issues.push({ field: 'prompt', message: `The prompt is ${p.prompt.length} characters; the limit is ${LIMITS.promptChars}.` });
  issues.push(...range('seed', 'Seed', p.seed, LIMITS.seed.min, LIMITS.seed.max, true));
  issues.push(...range('steps', 'Steps', p.steps, LIMITS.steps.min, LIMITS.steps.max, true));
  issues.push(...range('guidanceScale', 'Guidance', p.guidanceScale, LIMITS.guidanceScale.min, LIMITS.guidanceScale.max, false));
  issues.push(...range('fps', 'Frames per second', p.fps, LIMITS.fps.min, LIMITS.fps.max, true));
  issues.push(...range('outputSize', 'Output size', p.outputSize, LIMITS.outputSize.min, LIMITS.outputSize.max, true));
  const f = frameLimits(m);
  const frameIssue = range('frames', 'Frames', p.frames, f.min, f.max, true);
  if (frameIssue.length === 0 && p.frames % f.multipleOf !== 0)
    frameIssue.push({ field: 'frames', message: `Frames must be a multiple of ${f.multipleOf} for this model (got ${p.frames}).` });
  issues.push(...frameIssue);
  if (!(SCHEDULER_KINDS as readonly string[]).includes(p.scheduler))
    issues.push({ field: 'scheduler', message: `Unknown scheduler "${p.scheduler}"; choose one of ${SCHEDULER_KINDS.join(', ')}.` });
  const zero = m.text2videoZero;
  if (zero && Number.isInteger(p.steps) && p.steps < zero.warpAfterSteps)
    issues.push({ field: 'steps', message: `This model moves the first frame after ${zero.warpAfterSteps} steps, so it needs at least ${zero.warpAfterSteps} steps (got ${p.steps}).` });
  if (p.motion !== undefined) {
    const { min, max } = LIMITS.motion;
    if (!zero) issues.push({ field: 'motion', message: 'Motion applies only to text2video-zero models.' });
    else if (![p.motion.dx, p.motion.dy].every((v) => Number.isFinite(v) && v >= min && v <= max))
      issues.push({ field: 'motion', message: `Motion must be between ${min} and ${max} latent pixels per frame on each axis (got ${p.motion.dx}, ${p.motion.dy}).` });
  }
  return issues;
}

/**
 * The model's defaults as full parameters, with a prompt and seed: the sampler settings of `preset` (default: the
 * model's default preset, Fast when offered; see engine/presets.ts), the rest from `defaults`.
 */
export function defaultParams(m: ModelManifest, prompt = '', seed = 0, preset: PresetName | null = defaultPreset(m)): GenerateParams {
  const d = m.defaults;
  const params: GenerateParams = {
    prompt,
    negativePrompt: d.negativePrompt,
    seed,
    ...presetSettings(m, preset),
    frames: d.frames,
    fps: d.fps,
    outputSize: d.outputSize,
  };
  if (preset) params.preset = preset;
  return params;
}
