/**
 * A bench page: times `session.run` of an ONNX file on onnxruntime-web's WASM backend, with the build and session
 * options the bench asks for (JSPI or Asyncify, the builds the app picks between, or the WASM-only one; optimisation
 * level, free-dimension overrides, relaxed SIMD). One configuration per page load: onnxruntime initialises once.
 */
import type * as Ort from 'onnxruntime-common';
import type { OrtBuild } from '../../src/platform/ort-builds';
import { loadOrt } from '../../src/runtime/load-ort';

export type OrtBenchJob = {
  build: OrtBuild | 'wasm';
  modelUrl: string;
  feeds: { name: string; dtype: 'float32'; dims: number[] }[];
  threads: number;
  simd?: 'relaxed';
  options?: Pick<Ort.InferenceSession.SessionOptions, 'graphOptimizationLevel' | 'freeDimensionOverrides'>;
  warmups: number;
  runs: number;
};
export type OrtBenchResult = { runsMs: number[]; sessionMs: number };

declare global {
  interface Window {
    ortBench(job: OrtBenchJob): Promise<OrtBenchResult>;
  }
}

window.ortBench = async (job) => {
  const ort: typeof Ort = job.build === 'wasm' ? await import('onnxruntime-web/wasm') : await loadOrt(job.build);
  ort.env.wasm.numThreads = job.threads;
  if (job.simd) ort.env.wasm.simd = job.simd;
  const bytes = new Uint8Array(await (await fetch(job.modelUrl)).arrayBuffer());
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all', ...job.options });
  const sessionMs = performance.now() - t0;
  const feeds = Object.fromEntries(job.feeds.map((f) => {
    const n = f.dims.reduce((a, b) => a * b, 1);
    return [f.name, new ort.Tensor('float32', Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37)), f.dims)];
  }));
  const runsMs: number[] = [];
  for (let i = 0; i < job.warmups + job.runs; i++) {
    const t = performance.now();
    await session.run(feeds);
    if (i >= job.warmups) runsMs.push(performance.now() - t);
  }
  await session.release();
  return { runsMs, sessionMs };
};
