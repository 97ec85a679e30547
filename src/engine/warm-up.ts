/**
 * Background warm-up for the CPU (WASM) backend.
 *
 * V8 first runs WebAssembly on its baseline compiler (Liftoff) and moves a function to its optimising compiler
 * (TurboFan) only after the function has been hot for a while ("dynamic tiering"). So onnxruntime-web's kernels run
 * 2–4× slower for the first few dozen model calls after the page opens (docs/SPEED.md): the first Fast clip took
 * 3.4 s, and the same clip takes 0.7 s later. The page cannot ask V8 to optimise sooner. What it can do is make the
 * default clip a few times while the person is still typing, so their first clip runs on optimised code.
 *
 * The runs stop as soon as the person asks for anything (the worker checks between model calls), once a run is
 * no faster than the runs before it, or at a limit. A model whose one clip already takes seconds is left alone: its
 * kernels run long enough to be optimised during that person's first clip anyway.
 */
import { CancelledError } from './errors';

/**
 * Why the warm-up ended:
 * - `settled`: the runs stopped getting faster;
 * - `interrupted`: the person asked for something;
 * - `slow-model`: the first run took over `slowRunSeconds`;
 * - `limit`: `maxRuns` or `maxSeconds` were reached.
 */
export type WarmUpOutcome = 'settled' | 'interrupted' | 'slow-model' | 'limit';

/** What a warm-up did: the seconds of each finished run, in order, and why it ended. */
export type WarmUpReport = { runSeconds: number[]; outcome: WarmUpOutcome };

export type WarmUpLimits = {
  maxRuns: number;
  maxSeconds: number;
  slowRunSeconds: number;
  /** A run counts as faster when it takes under this fraction of the best run before it. */
  improvement: number;
};

/**
 * On this project's 2-core machine the Fast clip settled after 7–11 runs and 9–12 s (`npm run bench -- cold`). A
 * slower computer gets a shorter warm-up, not none: `slowRunSeconds` is there for large models (an SD-Turbo clip on
 * WASM takes minutes), far above a small model's first clip on a slow machine.
 */
export const WARM_UP_LIMITS: WarmUpLimits = { maxRuns: 16, maxSeconds: 15, slowRunSeconds: 10, improvement: 0.92 };

/**
 * Another run, or why not, given the seconds of the runs so far and the seconds spent in all. Settled means the
 * last two runs were both no faster than the best run before them.
 */
export function warmUpVerdict(runSeconds: readonly number[], elapsedSeconds: number, limits: WarmUpLimits = WARM_UP_LIMITS): 'again' | Exclude<WarmUpOutcome, 'interrupted'> {
  const n = runSeconds.length;
  if (n >= 1 && runSeconds[0]! > limits.slowRunSeconds) return 'slow-model';
  if (n >= 3) {
    const best = Math.min(...runSeconds.slice(0, n - 2));
    if (runSeconds.slice(n - 2).every((s) => s >= best * limits.improvement)) return 'settled';
  }
  if (n >= limits.maxRuns || elapsedSeconds >= limits.maxSeconds) return 'limit';
  return 'again';
}

export type WarmUpOptions = {
  /** True once the person has asked for something; `runOnce` should throw CancelledError between model calls then. */
  interrupted: () => boolean;
  /** Seconds on a monotonic clock. */
  now: () => number;
  limits?: WarmUpLimits;
};

/** Calls `runOnce` (one default clip, thrown away) until `warmUpVerdict` says stop or the person interrupts. */
export async function warmUp(runOnce: () => Promise<void>, opts: WarmUpOptions): Promise<WarmUpReport> {
  const runSeconds: number[] = [];
  const start = opts.now();
  for (;;) {
    if (opts.interrupted()) return { runSeconds, outcome: 'interrupted' };
    const t0 = opts.now();
    try {
      await runOnce();
    } catch (e) {
      if (e instanceof CancelledError) return { runSeconds, outcome: 'interrupted' };
      throw e;
    }
    const t1 = opts.now();
    runSeconds.push(t1 - t0);
    const verdict = warmUpVerdict(runSeconds, t1 - start, opts.limits);
    if (verdict !== 'again') return { runSeconds, outcome: verdict };
  }
}

const OUTCOME_TEXT: Record<WarmUpOutcome, string> = {
  settled: 'stopped once a clip was no faster',
  interrupted: 'stopped for your request',
  'slow-model': 'not needed: one clip of this model runs long enough to be optimised as it goes',
  limit: 'stopped at its limit',
};

/** One line for the Engine panel, e.g. "9 practice clips, 2.61 s → 0.33 s; stopped once a clip was no faster". */
export function describeWarmUp(r: WarmUpReport): string {
  const n = r.runSeconds.length;
  if (n === 0) return OUTCOME_TEXT[r.outcome];
  const s = (x: number) => `${x.toFixed(2)} s`;
  return `${n} practice clip${n === 1 ? '' : 's'}, ${s(r.runSeconds[0]!)} → ${s(r.runSeconds[n - 1]!)}; ${OUTCOME_TEXT[r.outcome]}`;
}
