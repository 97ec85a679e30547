/**
 * What the denoising loop can record for the Lab: per step the timestep, the noise level, what the model saw (x_t),
 * the noise it predicted (ε̂), its estimate of the clean clip (x̂0) and, with guidance, each branch's x̂0. Pure and
 * bounded: a `StepRecorder` is given a byte budget and, when all steps would not fit, keeps every k-th step (and
 * always the last) — the caller shows `stride` so that nobody mistakes a thinned record for the whole run.
 *
 * Memory: each kept step holds 3 tensors (x_t, ε̂, x̂0), 5 with guidance, of C·F·H·W float32 values. Kineto-Shapes
 * (4×16×16×16 latents) is 64 KiB per tensor, 320 KiB per guided step, 9.4 MiB for 30 steps: well under the
 * 64 MiB default budget, so every step is kept.
 */

/** One recorded step. Tensors are [1, C, F, H, W] flat, in the model's (latent) space; never mutated after. */
export type StepRecord = {
  /** 0-based step index in the scheduler's order. */
  index: number;
  /** The model timestep (fractional for Euler). */
  timestep: number;
  /** VP coefficients of x_t: α = √ᾱ_t, σ = √(1−ᾱ_t), so x_t = α·x0 + σ·ε. */
  alpha: number;
  sigma: number;
  /** The model input (VP x_t). */
  xt: Float32Array;
  /** ε̂ after guidance. */
  eps: Float32Array;
  /** x̂0 after guidance (the scheduler's own estimate). */
  x0: Float32Array;
  /** x̂0 of each guidance branch: without the prompt (the negative prompt) and with it; null without guidance. */
  branches: { uncond: Float32Array; cond: Float32Array } | null;
};

/** The recording hook the pipeline calls: it asks before computing the extras of a step. */
export type StepRecordSink = {
  wants(stepIndex: number): boolean;
  add(record: StepRecord): void;
};

/** The Lab's stated bound on one run's record. */
export const DEFAULT_RECORD_BUDGET_BYTES = 64 * 1024 * 1024;

export type RecordPlan = {
  /** Every `stride`-th step is kept (1 = all), plus the last. 0 when not even one step fits the budget. */
  stride: number;
  /** The step indices that will be kept, ascending. */
  indices: number[];
  bytesPerStep: number;
  totalBytes: number;
};

/** Which steps fit the budget: the smallest stride whose kept steps (every stride-th and the last) fit. */
export function planRecording(steps: number, valuesPerTensor: number, guided: boolean, budgetBytes = DEFAULT_RECORD_BUDGET_BYTES): RecordPlan {
  const bytesPerStep = valuesPerTensor * 4 * (guided ? 5 : 3);
  for (let stride = 1; stride <= steps; stride++) {
    const indices = keptIndices(steps, stride);
    if (indices.length * bytesPerStep <= budgetBytes) return { stride, indices, bytesPerStep, totalBytes: indices.length * bytesPerStep };
  }
  return { stride: 0, indices: [], bytesPerStep, totalBytes: 0 };
}

function keptIndices(steps: number, stride: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < steps; i++) if (i % stride === 0 || i === steps - 1) out.push(i);
  return out;
}

/** Keeps the planned steps, in step order; refuses anything out of plan, order or size (a loop bug, not data). */
export class StepRecorder implements StepRecordSink {
  readonly plan: RecordPlan;
  readonly records: StepRecord[] = [];
  private readonly kept: Set<number>;
  private readonly valuesPerTensor: number;

  constructor(steps: number, valuesPerTensor: number, guided: boolean, budgetBytes = DEFAULT_RECORD_BUDGET_BYTES) {
    this.plan = planRecording(steps, valuesPerTensor, guided, budgetBytes);
    this.kept = new Set(this.plan.indices);
    this.valuesPerTensor = valuesPerTensor;
  }

  wants(stepIndex: number): boolean {
    return this.kept.has(stepIndex);
  }

  add(r: StepRecord): void {
    if (!this.kept.has(r.index)) throw new RangeError(`Step ${r.index} is not in the recording plan.`);
    const last = this.records[this.records.length - 1];
    if (last && r.index <= last.index) throw new RangeError(`Steps must be recorded in order: ${r.index} after ${last.index}.`);
    const tensors = [r.xt, r.eps, r.x0, ...(r.branches ? [r.branches.uncond, r.branches.cond] : [])];
    if (tensors.some((t) => t.length !== this.valuesPerTensor))
      throw new RangeError(`Recorded tensors must hold ${this.valuesPerTensor} values.`);
    this.records.push(r);
  }

  /** Bytes held by the kept tensors. */
  get bytes(): number {
    let n = 0;
    for (const r of this.records) n += (r.xt.length + r.eps.length + r.x0.length + (r.branches ? r.branches.uncond.length + r.branches.cond.length : 0)) * 4;
    return n;
  }
}
