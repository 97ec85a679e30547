/**
 * The ceiling: how much slower onnxruntime-web's WASM is than onnxruntime-node on this CPU for a reference graph
 * that is nothing but large fp32 GEMMs (native uses AVX-512; WASM SIMD is 128-bit), next to the same ratio for one
 * call of the shipped denoiser, and what moves the denoiser's WASM time: the Asyncify build (browsers without JSPI)
 * or the WASM-only one instead of the app's JSPI build, the graph optimisation level, free-dimension overrides, fp32
 * weights without Cast nodes, relaxed SIMD. Both sides run 2 threads.
 *
 * WASM is timed after WASM_WARMUPS calls: V8 first runs onnxruntime on its baseline compiler and moves hot functions
 * to the optimising one only after they have run a while (about 15 denoiser calls on the JSPI build, 30–50 on the
 * Asyncify one), and the first calls were up to 4× slower. Native needs no such wait.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { DEFAULT_MODEL_DIR } from '../src/cli/node-runtime';
import { buildTestPage, launchBrowser, startStaticServer } from '../tests/browser/harness';
import { GEMM, gemmStack, widenHalfWeights } from './onnx-graphs';
import type { OrtBenchJob } from './pages/ort-bench';
import { type BenchRow, type BenchSection, median, ms } from './report';

const THREADS = 2;
const WARMUPS = 10;
const WASM_WARMUPS = 50;
const TIMED = 7;

type Feed = OrtBenchJob['feeds'][number];
type Graph = { file: string; feeds: Feed[] };

const gemmGraph: Graph = { file: 'gemm.onnx', feeds: [{ name: 'x', dtype: 'float32', dims: [GEMM.rows, GEMM.width] }] };
/** One denoiser call at the default clip's shape, batch 1 (a Fast step; a Quality step is batch 2). */
const denoiserFeeds: Feed[] = [
  { name: 'sample', dtype: 'float32', dims: [1, 4, 16, 16, 16] },
  { name: 'timestep', dtype: 'float32', dims: [1] },
  { name: 'encoder_hidden_states', dtype: 'float32', dims: [1, 16, 128] },
];

async function nativeMs(bytes: Uint8Array, feeds: Feed[], options: ort.InferenceSession.SessionOptions = {}): Promise<number> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: THREADS, graphOptimizationLevel: 'all', ...options });
  const inputs = Object.fromEntries(feeds.map((f) => {
    const n = f.dims.reduce((a, b) => a * b, 1);
    return [f.name, new ort.Tensor('float32', Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37)), f.dims)];
  }));
  const times: number[] = [];
  for (let i = 0; i < WARMUPS + TIMED; i++) {
    const t = performance.now();
    await session.run(inputs);
    if (i >= WARMUPS) times.push(performance.now() - t);
  }
  await session.release();
  return median(times);
}

type Variant = { label: string; graph: Graph; job?: Partial<OrtBenchJob> };

export const ceilingSection: BenchSection = {
  title: `Ceiling: reference GEMM stack (${GEMM.layers} × MatMul [${GEMM.rows}×${GEMM.width}]·[${GEMM.width}×${GEMM.width}], fp32) and one denoiser call, native vs Chromium WASM, ${THREADS} threads`,
  async run() {
    const outDir = await buildTestPage(path.resolve(import.meta.dirname, 'pages'), { ortBench: 'ort-bench.html' });
    const denoiser = await readFile(path.join(DEFAULT_MODEL_DIR, 'denoiser.onnx'));
    const files: Record<string, Uint8Array> = { 'gemm.onnx': gemmStack(), 'denoiser.onnx': denoiser, 'denoiser-fp32.onnx': widenHalfWeights(denoiser) };
    for (const [name, bytes] of Object.entries(files)) await writeFile(path.join(outDir, name), bytes);
    const server = await startStaticServer(outDir);
    const b = await launchBrowser();
    const fp16 = { file: 'denoiser.onnx', feeds: denoiserFeeds };
    const variants: Variant[] = [
      { label: 'reference GEMM stack', graph: gemmGraph },
      { label: 'denoiser, as the app runs it (JSPI build)', graph: fp16 },
      { label: '  … Asyncify build (browsers without JSPI)', graph: fp16, job: { build: 'asyncify' } },
      { label: '  … WASM-only onnxruntime-web build', graph: fp16, job: { build: 'wasm' } },
      { label: '  … fp32 weights (no Cast nodes)', graph: { file: 'denoiser-fp32.onnx', feeds: denoiserFeeds } },
      { label: '  … free-dimension overrides (batch 1, 16 frames)', graph: fp16, job: { options: { freeDimensionOverrides: { batch: 1, '4*frames4': 16 } } } },
      { label: '  … graph optimisation "extended"', graph: fp16, job: { options: { graphOptimizationLevel: 'extended' } } },
      { label: '  … graph optimisation "basic"', graph: fp16, job: { options: { graphOptimizationLevel: 'basic' } } },
      { label: '  … env.wasm.simd = "relaxed"', graph: fp16, job: { simd: 'relaxed' } },
    ];
    const rows: BenchRow[] = [];
    const metrics: Record<string, number> = {};
    try {
      for (const v of variants) {
        await b.page.goto(`${server.url}ort-bench.html`, { timeout: 120_000 });
        await b.page.waitForFunction(() => typeof window.ortBench === 'function');
        const job: OrtBenchJob = { build: 'jspi', modelUrl: `${server.url}${v.graph.file}`, feeds: v.graph.feeds, threads: THREADS, warmups: WASM_WARMUPS, runs: TIMED, ...v.job };
        const web = await b.page.evaluate((j) => window.ortBench(j), job).catch((e: Error) => e);
        await b.page.goto('about:blank'); // onnxruntime's WASM threads gone before native runs
        const native = await nativeMs(files[v.graph.file]!, v.graph.feeds, v.job?.options as ort.InferenceSession.SessionOptions | undefined);
        if (web instanceof Error) {
          rows.push([v.label, 'failed', web.message.split('\n')[0]]);
          continue;
        }
        const w = median(web.runsMs);
        rows.push([v.label, `${(w / native).toFixed(2)}×`, `WASM ${ms(w)} vs native ${ms(native)}; session ${ms(web.sessionMs)}`]);
        if (v.graph === gemmGraph) metrics.ceilingRatio = w / native;
        else if (v.job === undefined && v.graph === fp16) metrics.denoiserRatio = w / native;
      }
    } finally {
      await b.close();
      await server.close();
      await rm(outDir, { recursive: true, force: true });
    }
    return { rows, metrics };
  },
};
