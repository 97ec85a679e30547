/**
 * The Lab's step views kept on the page, so that a Step move shows its view without asking the worker. Bounded by
 * bytes; the least recently used view is dropped first.
 */
import type { LabStepView } from './lab-protocol';

/**
 * Bytes of view images kept on the page: 64 MiB at most. A view is a few small images: ≈271 KB for Kineto-Shapes
 * with guidance (x_t, x̂0 and both branches at 128×128, two channel strips, a 16×16 heat map), so a run's 30 steps at
 * one frame are ≈8.1 MB and the cache holds ≈7 such (run, frame) sets. Decoded images of larger models are capped
 * at 160 px a side by the worker: with 4×64×64 latents a view is ≈560 KB, a 30-step set ≈16.8 MB, and a run plus
 * Compare guidance's three still fit.
 */
export const VIEW_CACHE_BYTES = 64 * 2 ** 20;

/** The bytes of a view's images. */
export function viewBytes(v: LabStepView): number {
  const g = v.guidance;
  return v.xt.rgba.byteLength + v.xtChannels.rgba.byteLength + v.eps.rgba.byteLength + v.x0.rgba.byteLength +
    (g ? g.uncond.rgba.byteLength + g.cond.rgba.byteLength + g.difference.rgba.byteLength : 0);
}

/** Views by run, step and frame; at most `capacityBytes` of images. */
export class ViewCache {
  /** In least-recently-used order: a Map iterates in insertion order, and a use re-inserts. */
  private readonly views = new Map<string, LabStepView>();
  private bytes = 0;
  private readonly capacityBytes: number;

  constructor(capacityBytes = VIEW_CACHE_BYTES) {
    this.capacityBytes = capacityBytes;
  }

  /** Keeps `v` (in place of a view of the same run, step and frame), then drops the least recently used over the bound. */
  remember(v: LabStepView): void {
    const key = keyOf(v.runId, v.step, v.frame);
    const old = this.views.get(key);
    if (old) {
      this.views.delete(key);
      this.bytes -= viewBytes(old);
    }
    this.views.set(key, v);
    this.bytes += viewBytes(v);
    for (const [k, x] of this.views) {
      if (this.bytes <= this.capacityBytes) break;
      this.views.delete(k);
      this.bytes -= viewBytes(x);
    }
  }

  /** The view kept for this run, step and frame (now the most recently used), or undefined. */
  get(runId: number, step: number, frame: number): LabStepView | undefined {
    const key = keyOf(runId, step, frame);
    const v = this.views.get(key);
    if (v) {
      this.views.delete(key);
      this.views.set(key, v);
    }
    return v;
  }

  /** Whether a view is kept, without counting as a use. */
  has(runId: number, step: number, frame: number): boolean {
    return this.views.has(keyOf(runId, step, frame));
  }

  /** Bytes of the images kept. */
  get sizeBytes(): number {
    return this.bytes;
  }
}

function keyOf(runId: number, step: number, frame: number): string {
  return `${runId}:${step}:${frame}`;
}
