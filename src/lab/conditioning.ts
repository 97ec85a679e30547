/**
 * The Conditioning view's model (pure): a continued clip's windows as rows, so that a class sees how a model of
 * fixed length "continues" a video. For every position of a window: whether the model was given that frame or made
 * it, the mask value there (1 given, 0 made), which frame of the strip it is, and words for it; for every window,
 * sentences saying what it was given, what it made, and how (the model's conditioning inputs or the training-free
 * fallback). The plan comes from the continuation engine (windows.ts), before a run or from the run's reply.
 */
import { chooseMethod, type KnownFrameMethod } from '../engine/continuation/window-condition';
import { type ClipStart, type DenoiserWindow, type KnownSource, planModelClip, type WindowPlan } from '../engine/continuation/windows';
import type { ConditioningMask, ModelManifest } from '../engine/types';

export const CONDITIONING_STARTS = ['text', 'image', 'clip'] as const;
/** How the Lab's continuation starts: from the prompt alone, from the Lab run's first frame, or after its frames. */
export type ConditioningStart = (typeof CONDITIONING_STARTS)[number];

export const CONDITIONING_START_LABELS: Record<ConditioningStart, string> = {
  text: 'The prompt alone',
  image: "An image: the run's first frame",
  clip: "The run's clip, continued",
};

/** Seconds the Lab continues for: long enough for two or more windows, short enough for a lesson. */
export const CONDITIONING_SECONDS = { min: 1, max: 8, default: 4 } as const;

/** How a window takes its known frames: the method and the mask its pattern is (planned, or reported once run). */
export type WindowMethod = { method: KnownFrameMethod; mask: ConditioningMask | null };

/** What the strip shows before the new frames: the frames of the clip continued (start `clip`), else none. */
export type StripStart = { start: ConditioningStart; givenFrames: number };

export type ConditioningCell = {
  position: number;
  /** `extra`: made past the clip's end (a window is a whole number of blocks of frames) and dropped. */
  role: 'given' | 'made' | 'extra';
  mask: 0 | 1;
  /** The strip frame (from 0) shown in this cell; null for an extra one. */
  frame: number | null;
  /** The cell in words, for screen readers ("Frame 13, given: made by window 1. Mask 1."). */
  label: string;
};

export type ConditioningRow = {
  index: number;
  heading: string;
  cells: ConditioningCell[];
  method: KnownFrameMethod;
  methodLabel: string;
  mask: ConditioningMask | null;
  /** What the window was given and made, in plain words. */
  sentences: string[];
  /** How it took the given frames (null when nothing was given). */
  how: string | null;
};

export const METHOD_LABELS: Record<KnownFrameMethod, string> = {
  'masked-conditioning': "The model's conditioning inputs",
  replacement: 'Training-free fallback',
  none: 'Nothing given: text only',
};

/** The engine's start for `start` (`givenFrames`: the frames of the clip continued). */
export function clipStartOf(start: ConditioningStart, givenFrames: number): ClipStart {
  return start === 'clip' ? { kind: 'clip', frames: givenFrames } : start === 'image' ? { kind: 'image' } : { kind: 'text' };
}

/** Frames made for `seconds` at `fps` (an image start counts the image among them, as the engine does). */
export function conditioningFrames(seconds: number, fps: number): number {
  return Math.round(seconds * fps);
}

/** Why `seconds` cannot be continued, or null. */
export function secondsProblem(seconds: number): string | null {
  const { min, max } = CONDITIONING_SECONDS;
  return Number.isFinite(seconds) && seconds >= min && seconds <= max ? null : `Seconds must be between ${min} and ${max} (got ${Number.isNaN(seconds) ? 'nothing' : seconds}).`;
}

/** The windows of a continuation of `frames` new frames on a denoiser of `latent`: what the engine runs. */
export function conditioningPlan(latent: DenoiserWindow, frames: number, s: StripStart): WindowPlan[] {
  return planModelClip(latent, frames, clipStartOf(s.start, s.givenFrames));
}

/** How each window of `plan` will take its known frames on `manifest`'s denoiser (before it runs). */
export function plannedMethods(manifest: ModelManifest, plan: readonly WindowPlan[]): WindowMethod[] {
  return plan.map((p) => {
    const known = Array.from({ length: p.frames }, (_, i) => p.known.some((k) => k.position === i));
    return chooseMethod(manifest, known);
  });
}

/** 1-based frame words: "frame 4" or "frames 13–16". */
function span(frames: number[]): string {
  if (frames.length === 0) return 'no frames';
  const a = Math.min(...frames) + 1;
  const b = Math.max(...frames) + 1;
  return a === b ? `frame ${a}` : `frames ${a}–${b}`;
}

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Where a known frame came from, in words. */
function sourceWords(k: KnownSource, s: StripStart, window: number): string {
  if (k.from === 'previous-window') return `made by window ${window}`;
  if (k.from === 'end') return 'the end picture';
  return s.start === 'clip' ? 'from the clip it continues' : 'the picture';
}

/**
 * The rows of `plan`'s first `methods.length` windows (a stopped run reports fewer): `methods[i]` says how window i
 * took its frames (planned or reported); `modelName` names the model in the sentences. Strip frames: the clip
 * continued (start `clip`) first, then the new frames.
 */
export function conditioningRows(plan: readonly WindowPlan[], methods: readonly WindowMethod[], s: StripStart, modelName: string): ConditioningRow[] {
  const offset = s.start === 'clip' ? s.givenFrames : 0;
  const lastFrame = offset + Math.max(0, ...plan.flatMap((p) => p.outputs.map((o) => o.frame)));
  const stripFrameOf = (k: KnownSource, w: number): number | null => {
    if (k.from === 'start') return k.index; // a frame of the clip continued, or the image (output frame 0)
    if (k.from === 'end') return lastFrame;
    const made = plan[w - 1]?.outputs.find((o) => o.position === k.index);
    return made ? made.frame + offset : null;
  };
  return plan.slice(0, methods.length).map((p, w) => {
    const { method, mask } = methods[w]!;
    const cells: ConditioningCell[] = Array.from({ length: p.frames }, (_, position) => {
      const known = p.known.find((k) => k.position === position);
      const out = p.outputs.find((o) => o.position === position);
      if (known) {
        const frame = stripFrameOf(known, w);
        return { position, role: 'given', mask: 1, frame, label: `Frame ${frame === null ? '?' : frame + 1}, given: ${sourceWords(known, s, w)}. Mask 1.` };
      }
      if (out) return { position, role: 'made', mask: 0, frame: out.frame + offset, label: `Frame ${out.frame + offset + 1}, made. Mask 0.` };
      return { position, role: 'extra', mask: 0, frame: null, label: 'Made past the end of the clip and dropped. Mask 0.' };
    });
    const given = cells.filter((c) => c.role === 'given');
    const made = cells.filter((c) => c.role === 'made');
    const extra = cells.filter((c) => c.role === 'extra');
    const madeFrames = span(made.map((c) => c.frame!));
    const sentences: string[] = [];
    if (given.length === 0) sentences.push(`Nothing was given: the model made all ${count(made.length, 'frame')} (${madeFrames}) from the prompt alone, as in an ordinary clip.`);
    else {
      const groups = new Map<string, number[]>(); // the given frames by where they came from
      for (const k of p.known) {
        const from = sourceWords(k, s, w);
        const frame = stripFrameOf(k, w);
        groups.set(from, [...(groups.get(from) ?? []), ...(frame === null ? [] : [frame])]);
      }
      const what = [...groups].map(([from, frames]) => (from.startsWith('the ') ? `${from} (${span(frames)})` : `${span(frames)} (${from})`));
      sentences.push(`The model was given ${what.join(' and ')} and made ${count(made.length, 'new frame')} (${madeFrames}).`);
    }
    if (extra.length > 0) sentences.push(`It also made ${count(extra.length, 'frame')} past the end of the clip, which were dropped: a window is made in whole blocks of frames.`);
    const how = method === 'masked-conditioning'
      ? `How: ${modelName} has conditioning inputs and was trained on this mask${mask ? ` (“${mask}”)` : ''}, so it reads the given frames and the mask at every step.`
      : method === 'replacement'
        ? `How: ${modelName} has no conditioning inputs for this mask, so Kineto used the training-free fallback: at every step the given frames are put back, noised to that step's level, and the made frames beside them are nudged to agree with them.`
        : null;
    const parts = [`${given.length} given`, `${made.length} made`];
    if (extra.length > 0) parts.push(`${extra.length} dropped`);
    return {
      index: p.index, heading: `Window ${w + 1} of ${plan.length}: ${parts.join(', ')}`, cells, method, methodLabel: METHOD_LABELS[method], mask, sentences, how,
    };
  });
}
