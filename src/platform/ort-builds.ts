/**
 * Which onnxruntime-web build a browser runs. Both run the CPU (WASM) and WebGPU backends; they differ in how the
 * WebGPU backend's C++ code waits for the GPU:
 * - `jspi`: JavaScript Promise Integration (`WebAssembly.Suspending`, Chromium 137+). A 16.8 MB module with no
 *   instrumentation: V8 moved its hot functions from the baseline compiler (Liftoff) to the optimising one
 *   (TurboFan) after about 15 calls of the fp32 denoiser, and a reload could find them optimised in V8's code cache.
 * - `asyncify`: Binaryen's Asyncify rewrite, for browsers without JSPI. A 26.8 MB module whose every function
 *   can unwind the stack; in Chromium it stayed on slower baseline code for 30–50 calls and came back baseline
 *   after a reload (docs/SPEED.md).
 * Pure and import-free, so the service worker (to precache only the build its browser will load) and the page's
 * Engine panel read it without touching onnxruntime, which only the engine worker loads (`runtime/load-ort.ts`).
 */
export const ORT_BUILDS = ['jspi', 'asyncify'] as const;
export type OrtBuild = (typeof ORT_BUILDS)[number];

export const ORT_BUILD_LABELS: Record<OrtBuild, string> = {
  jspi: 'JSPI (the smaller build, optimised sooner)',
  asyncify: 'Asyncify (this browser has no JSPI; its first clips stay slow longer)',
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
