/**
 * Which execution backend runs a model when the person leaves Backend on Auto. Pure rules; the worker supplies the
 * facts (adapter, what this browser remembers, measured step times) and does the timing itself.
 *
 * - A hand-picked backend always wins, and is remembered per model so that the model is never timed.
 * - A software WebGPU adapter (SwiftShader, llvmpipe, WARP…) is never chosen automatically: it runs on the CPU,
 *   70–90× slower than WASM on our machines. Picking WebGPU by hand still reaches it (tests, curiosity).
 * - When a hardware adapter and WASM can both run the model, one denoiser call is timed on each and the faster
 *   one kept, remembered per model in this browser.
 */
import { weightBytes } from './requirements';
import type { ModelManifest } from './types';

export const BACKENDS = ['webgpu', 'wasm'] as const;
export type Backend = (typeof BACKENDS)[number];
/** What the Backend control says: a backend, or `auto` (these rules). */
export type BackendChoice = Backend | 'auto';

/** The WebGPU adapter as `GPUAdapterInfo` describes it. */
export type AdapterFacts = { vendor: string; architecture: string; description: string; isFallbackAdapter: boolean };

/** One backend's timing: milliseconds of one denoiser call (one denoising step), or why it could not run. */
export type BackendTiming = { backend: Backend; msPerStep: number } | { backend: Backend; error: string };

/** What this browser remembers about a model's backend (kept by the page, keyed by model id). */
export type BackendMemory =
  | { kind: 'manual'; backend: Backend }
  | { kind: 'measured'; backend: Backend; timings: BackendTiming[] };

/** Why the backend in use was chosen, for the Engine panel. */
export type BackendSelection = {
  how: 'manual' | 'remembered-manual' | 'measured' | 'remembered-measured' | 'rule';
  backend: Backend;
  /** One line, e.g. "WebGPU 41 ms/step, WASM 12 ms/step → WASM". */
  summary: string;
  timings: BackendTiming[];
};

/** The next move for a load: use a backend, or time one denoiser call on each candidate first. */
export type BackendPlan = { kind: 'use'; selection: BackendSelection } | { kind: 'probe'; candidates: Backend[] };

/** Words by which software rasterisers name themselves in `GPUAdapterInfo` (lower case). */
const SOFTWARE_ADAPTER_NAMES = ['swiftshader', 'llvmpipe', 'lavapipe', 'softpipe', 'microsoft basic render', 'warp', 'software'];

/** The reason an adapter is a software one ("SwiftShader"), or null for a hardware adapter. */
export function softwareAdapter(a: AdapterFacts): string | null {
  const text = `${a.vendor} ${a.architecture} ${a.description}`.toLowerCase();
  const name = SOFTWARE_ADAPTER_NAMES.find((n) => new RegExp(`\\b${n}\\b`).test(text));
  if (name) return name === 'swiftshader' ? 'SwiftShader' : name === 'warp' ? 'WARP' : name.replace(/\b\w/g, (c) => c.toUpperCase());
  return a.isFallbackAdapter ? 'a fallback adapter' : null;
}

export const BACKEND_LABELS: Record<Backend, string> = { webgpu: 'WebGPU', wasm: 'WASM' };

const formatMs = (ms: number) => `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms/step`;

/** "WebGPU 41 ms/step, WASM 12 ms/step → WASM"; a failed backend reads "WebGPU failed". */
export function describeTimings(timings: readonly BackendTiming[], backend: Backend): string {
  const parts = timings.map((t) => `${BACKEND_LABELS[t.backend]} ${'msPerStep' in t ? formatMs(t.msPerStep) : 'failed'}`);
  return `${parts.join(', ')} → ${BACKEND_LABELS[backend]}`;
}

/** The facts `planBackend` decides on. */
export type BackendFacts = {
  choice: BackendChoice;
  /** The WebGPU adapter, null without WebGPU. */
  adapter: AdapterFacts | null;
  /** What this browser remembers for this model, if anything. */
  remembered: BackendMemory | null;
  /**
   * Whether the model is cheap to load on both backends and time there: it runs on WASM (needs no WebGPU), is small,
   * and has the same files on both. When not, a hardware adapter gets it without a timing.
   */
  timeBoth: boolean;
  /** Automation: also time a software adapter (it is still never chosen without a measurement). */
  probeSoftwareAdapters?: boolean;
};

/** Models up to this many bytes of weights are loaded on both backends to be timed (the embedded one is ≈ 9–18 MB). */
export const TIME_BOTH_MAX_BYTES = 64 * 1024 * 1024;

/** Whether `m` is cheap to time on both backends: small, runs on WASM, and the same files on both (no variants). */
export function canTimeBoth(m: ModelManifest): boolean {
  return !m.requirements?.webgpu && !m.variants && weightBytes(m) <= TIME_BOTH_MAX_BYTES;
}

/** Where to run, or which backends to time first. */
export function planBackend(f: BackendFacts): BackendPlan {
  const use = (how: BackendSelection['how'], backend: Backend, summary: string, timings: BackendTiming[] = []): BackendPlan =>
    ({ kind: 'use', selection: { how, backend, summary, timings } });
  if (f.choice !== 'auto') return use('manual', f.choice, `${BACKEND_LABELS[f.choice]}, chosen by hand`);
  const r = f.remembered;
  if (r?.kind === 'manual' && (r.backend === 'wasm' || f.adapter)) return use('remembered-manual', r.backend, `${BACKEND_LABELS[r.backend]}, chosen by hand for this model`);
  if (!f.adapter) return use('rule', 'wasm', 'WASM: this browser has no WebGPU');
  const software = softwareAdapter(f.adapter);
  if (software && !f.probeSoftwareAdapters) return use('rule', 'wasm', `WASM: the WebGPU adapter is ${software}, a software renderer, never picked automatically`);
  if (!f.timeBoth) return use('rule', 'webgpu', 'WebGPU: a hardware adapter, and this model is too large to time on both backends');
  if (r?.kind === 'measured' && r.timings.some((t) => 'msPerStep' in t)) return use('remembered-measured', r.backend, describeTimings(r.timings, r.backend), r.timings);
  return { kind: 'probe', candidates: ['webgpu', 'wasm'] };
}

/**
 * The faster of the measured backends. A backend that failed is skipped; with none measured, WASM (it runs
 * everywhere). Ties go to WASM, which needs no GPU memory.
 */
export function pickMeasured(timings: readonly BackendTiming[]): BackendSelection {
  const ok = timings.filter((t): t is Extract<BackendTiming, { msPerStep: number }> => 'msPerStep' in t);
  const best = ok.reduce<(typeof ok)[number] | null>((a, t) => (a === null || t.msPerStep < a.msPerStep || (t.msPerStep === a.msPerStep && t.backend === 'wasm') ? t : a), null);
  const backend = best?.backend ?? 'wasm';
  return { how: 'measured', backend, summary: describeTimings(timings, backend), timings: [...timings] };
}

/** What to remember for this model after a load, or null to leave memory as it is. */
export function memoryAfterLoad(selection: BackendSelection): BackendMemory | null {
  switch (selection.how) {
    case 'manual':
      return { kind: 'manual', backend: selection.backend };
    case 'measured':
      return selection.timings.some((t) => 'msPerStep' in t) ? { kind: 'measured', backend: selection.backend, timings: selection.timings } : null;
    default:
      return null;
  }
}
