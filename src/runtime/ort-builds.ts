/**
 * Which onnxruntime-web build a browser runs. Both run the CPU (WASM) and WebGPU backends; they differ in how the
 * WebGPU backend's C++ code waits for the GPU:
 * - `jspi`: JavaScript Promise Integration (`WebAssembly.Suspending`, Chromium 137+). A 16.8 MB module with no
 *   instrumentation: V8 moves its hot functions from the baseline compiler (Liftoff) to the optimising one (TurboFan)
 *   after about 15 denoiser calls, and its code cache keeps them optimised across page loads.
 * - `asyncify`: Binaryen's Asyncify rewrite, for browsers without JSPI. A 26.8 MB module whose every function
 *   can unwind the stack; in Chromium it stayed on slower baseline code for 30–50 calls and came back baseline
 *   after a reload (docs/SPEED.md).
 * Pure and import-free: the service worker uses it to precache only the build its browser will load.
 */
export const ORT_BUILDS = ['jspi', 'asyncify'] as const;
export type OrtBuild = (typeof ORT_BUILDS)[number];

export const ORT_BUILD_LABELS: Record<OrtBuild, string> = {
  jspi: 'JSPI (optimised code from about the 15th model call, kept across visits)',
  asyncify: 'Asyncify (this browser has no JSPI; slower for the first few clips)',
};

/** The build for a JavaScript engine's `WebAssembly` namespace: JSPI wherever it exists. */
export function ortBuildFor(wasm: object): OrtBuild {
  return 'Suspending' in wasm && typeof (wasm as { Suspending?: unknown }).Suspending === 'function' ? 'jspi' : 'asyncify';
}

/** Each build's WASM file as the app's bundle names it (`assets/ort-wasm-simd-threaded.jspi-<hash>.wasm`). */
const WASM_FILE: Record<OrtBuild, RegExp> = {
  jspi: /ort-wasm-simd-threaded\.jspi[-.][^/]*\.wasm$/,
  asyncify: /ort-wasm-simd-threaded\.asyncify[-.][^/]*\.wasm$/,
};

/** Whether `url` is the WASM file of a build other than `build` (one this browser never loads). */
export function isOtherBuildsWasm(url: string, build: OrtBuild): boolean {
  return ORT_BUILDS.some((b) => b !== build && WASM_FILE[b].test(url));
}
