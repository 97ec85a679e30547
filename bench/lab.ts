/**
 * The Lab's part of `npm run bench` (called from bench.ts): what recording costs, and how fast the Step slider
 * updates the view. Goals from the Lab issue: recording ≤ 15 % of the clip time on the embedded model, Step-slider
 * update ≤ 16 ms at p95.
 * - Recording: the clip (text → frames, previews off) natively on onnxruntime-node at the model's defaults (30 DDIM
 *   steps, 16 frames, guidance on), with and without the recorder; median of 3 runs each after a warm-up.
 * - Step slider: in Chromium on WASM, a recorded run at the defaults; each move is timed from the `lab-step` mark
 *   (set when the slider's action runs) to the `lab-drawn:lab-x0` mark (the x̂0 canvas redrawn): a first pass over
 *   every step started the moment the run is shown (the run's reply brings the views of all its steps at the
 *   selected frame, made in the worker with one batched VAE call: that time is part of the run's and printed on its
 *   own), and a second pass (views visited before). Then the Frame slider: a move to a frame not seen yet, timed to
 *   its x̂0 drawn (that step's view made alone), and a Step pass started right after it (the frame's other steps come
 *   in one batched reply meanwhile; moves that arrive before it wait for it).
 */
import { loadModelFromDisk } from '../src/cli/node-runtime';
import { defaultParams } from '../src/engine/params';
import { generateFrames } from '../src/engine/pipelines/text-to-video';
import { StepRecorder } from '../src/engine/recording';
import { openAppOnWasm } from './app-on-wasm';

const PROMPT = 'a red circle moving left on a black background';
const RUNS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

async function recordingCost(): Promise<{ plain: number; recorded: number; bytes: number; steps: number; frames: number }> {
  const loaded = await loadModelFromDisk();
  const model = { ...(await loaded.forPreset('quality')), release: () => loaded.release() };
  const params = defaultParams(model.manifest, PROMPT, 1, 'quality');
  const { channels, height, width } = model.manifest.latent;
  const values = channels * params.frames * height * width;
  await generateFrames(model.manifest, model.models, { ...params, steps: 2 }, { preview: 'none' }); // warm-up
  const plain: number[] = [];
  const recorded: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    let t0 = performance.now();
    await generateFrames(model.manifest, model.models, params, { preview: 'none' });
    plain.push((performance.now() - t0) / 1000);
    const recorder = new StepRecorder(params.steps, values, params.guidanceScale > 1);
    t0 = performance.now();
    await generateFrames(model.manifest, model.models, params, { preview: 'none', recorder });
    recorded.push((performance.now() - t0) / 1000);
    bytes = recorder.bytes;
  }
  await model.release();
  return { plain: median(plain), recorded: median(recorded), bytes, steps: params.steps, frames: params.frames };
}

async function stepSlider(): Promise<{ first: number[]; cached: number[]; runSeconds: number; viewSeconds: number; frameMoves: number[]; afterFrame: number[] }> {
  const { browser: b, close } = await openAppOnWasm();
  try {
    const { page } = b;
    await page.getByRole('link', { name: 'Lab', exact: true }).click();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(() => window.kineto!.getState().lab.run !== null && window.kineto!.getState().lab.status === 'idle', null, { timeout: 600_000 });
    const { seconds: runSeconds, viewSeconds } = await page.evaluate(() => window.kineto!.getState().lab.run!);
    const pass = () => page.evaluate(async () => {
      const store = window.kineto!;
      const n = store.getState().lab.run!.recorded.length;
      const out: number[] = [];
      for (let p = n - 2; p >= 0; p--) {
        performance.clearMarks();
        const drawn = new Promise<number>((resolve) => {
          const obs = new PerformanceObserver((list) => {
            const m = list.getEntriesByName('lab-drawn:lab-x0')[0];
            if (m && store.getState().lab.stepView?.step === store.getState().lab.run!.recorded[p]!.index) {
              obs.disconnect();
              resolve(m.startTime);
            }
          });
          obs.observe({ type: 'mark' });
        });
        store.getState().setLabPosition(p);
        const start = performance.getEntriesByName('lab-step')[0]!.startTime;
        out.push((await drawn) - start);
      }
      store.getState().setLabPosition(n - 1);
      await new Promise((r) => setTimeout(r, 200));
      return out;
    });
    const first = await pass();
    const cached = await pass();
    const frameMoves: number[] = [];
    const afterFrame: number[] = [];
    for (const f of [5, 10]) {
      frameMoves.push(await page.evaluate(async (f) => {
        const store = window.kineto!;
        performance.clearMarks();
        const drawn = new Promise<number>((resolve) => {
          const obs = new PerformanceObserver((list) => {
            const m = list.getEntriesByName('lab-drawn:lab-x0')[0];
            if (m && store.getState().lab.stepView?.frame === f) {
              obs.disconnect();
              resolve(m.startTime);
            }
          });
          obs.observe({ type: 'mark' });
        });
        const start = performance.now();
        store.getState().setLabFrame(f);
        return (await drawn) - start;
      }, f));
      afterFrame.push(...(await pass()));
    }
    return { first, cached, runSeconds, viewSeconds, frameMoves, afterFrame };
  } finally {
    await close();
  }
}

/** Prints the Lab's rows in bench.ts's format. */
export async function labBench(): Promise<void> {
  const r = await recordingCost();
  const s = await stepSlider();
  const rows = [
    ['Lab: clip without recording (native)', `${r.plain.toFixed(2)} s`, ''],
    ['Lab: clip with recording (native)', `${r.recorded.toFixed(2)} s`, `${(((r.recorded - r.plain) / r.plain) * 100).toFixed(1)} % of the clip, goal ≤ 15 %`],
    ['Lab: record size', `${(r.bytes / 2 ** 20).toFixed(1)} MiB`, 'bound 64 MiB'],
    ['Lab: recorded run in Chromium (WASM)', `${s.runSeconds.toFixed(2)} s`, 'until shown, including its step views'],
    ['Lab: of which views of all steps (one batched VAE call)', `${s.viewSeconds.toFixed(2)} s`, `${((s.viewSeconds / s.runSeconds) * 100).toFixed(1)} % of the run`],
    [`Lab: Step slider → x̂0 redrawn, first visit (${s.first.length} moves)`, `${quantile(s.first, 0.95).toFixed(1)} ms`, `p95 (p50 ${median(s.first).toFixed(1)} ms), goal ≤ 16 ms`],
    [`Lab: Step slider → x̂0 redrawn, cached (${s.cached.length} moves)`, `${quantile(s.cached, 0.95).toFixed(1)} ms`, `p95 (p50 ${median(s.cached).toFixed(1)} ms), goal ≤ 16 ms`],
    [`Lab: Frame slider → x̂0 redrawn, new frame (${s.frameMoves.length} moves)`, `${Math.max(...s.frameMoves).toFixed(1)} ms`, `max (${s.frameMoves.map((x) => x.toFixed(1)).join(', ')} ms)`],
    [`Lab: Step slider right after a new frame (${s.afterFrame.length} moves)`, `${quantile(s.afterFrame, 0.95).toFixed(1)} ms`, `p95 (p50 ${median(s.afterFrame).toFixed(1)}, max ${Math.max(...s.afterFrame).toFixed(1)} ms)`],
  ];
  console.log(`Kineto Lab bench — ${r.steps} DDIM steps, ${r.frames} frames, CFG on; recording: median of ${RUNS} runs`);
  for (const [a, b, c] of rows) console.log(`${a!.padEnd(60)} ${b!.padStart(14)}   ${c}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await labBench();
