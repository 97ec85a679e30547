/**
 * `npm run bench`: the embedded model at its default settings, natively (the CLI's engine on onnxruntime-node)
 * and in headless Chromium on WASM (the app as a person uses it, previews on), plus MP4 encode throughput.
 * Prints numbers and ratios; the goals are in the issue (browser ≤ 2× native, ≤ 5 % outside model calls,
 * ≥ 200 frames/s encode + mux at 256²). Needs a built app (`npm run bench` builds it first).
 */
import { defaultParams } from '../src/engine/params';
import { generateFrames } from '../src/engine/pipeline';
import { loadModelFromDisk } from '../src/cli/node-runtime';
import { openAppOnWasm } from './app-on-wasm';
import { measureEncodeThroughput } from './encode-throughput';
import { libraryBench } from './library';
import { labBench } from './lab';

const PROMPT = 'a red circle moving left on a black background';
const RUNS = 3;

type Clip = { clipSeconds: number; modelSeconds: number };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const summarise = (runs: Clip[]): Clip => ({ clipSeconds: median(runs.map((r) => r.clipSeconds)), modelSeconds: median(runs.map((r) => r.modelSeconds)) });

async function native(): Promise<Clip & { steps: number; frames: number }> {
  const model = await loadModelFromDisk();
  const params = defaultParams(model.manifest, PROMPT, 1);
  await generateFrames(model.manifest, model.models, { ...params, steps: 2 }); // warm-up
  const runs: Clip[] = [];
  for (let i = 0; i < RUNS; i++) {
    const m0 = model.clock.seconds;
    const t0 = performance.now();
    await generateFrames(model.manifest, model.models, params, { preview: 'none' });
    runs.push({ clipSeconds: (performance.now() - t0) / 1000, modelSeconds: model.clock.seconds - m0 });
  }
  await model.release();
  return { ...summarise(runs), steps: params.steps, frames: params.frames };
}

/** Generation time in the app (text → decoded frames) with the given preview, excluding video encoding, and encode time. */
async function browserWasm(preview: 'decode' | 'none'): Promise<Clip & { encodeSeconds: number; threads: number }> {
  const { browser: b, close } = await openAppOnWasm();
  try {
    const { page } = b;
    await page.getByLabel('Prompt', { exact: true }).fill(PROMPT);
    await page.getByLabel('Seed', { exact: true }).fill('1');
    await page.getByLabel('Preview', { exact: true }).selectOption(preview);
    const runs: (Clip & { encodeSeconds: number })[] = [];
    for (let i = 0; i <= RUNS; i++) {
      await page.getByRole('button', { name: 'Generate' }).click();
      await page.waitForFunction(() => window.kineto!.getState().run.status === 'running', null, { timeout: 10_000 }).catch(() => {});
      await page.waitForFunction(() => window.kineto!.getState().run.status === 'idle', null, { timeout: 600_000 });
      const t = await page.evaluate(() => window.kineto!.getState().result?.timings);
      if (!t) throw new Error(`no result\n${b.logs()}`);
      if (i > 0) runs.push({ clipSeconds: t.totalSeconds - t.encodeSeconds, modelSeconds: t.modelSeconds, encodeSeconds: t.encodeSeconds });
    }
    const threads = await page.evaluate(() => { const m = window.kineto!.getState().model; return m.status === 'ready' ? m.backendInfo.threads : 0; });
    return { ...summarise(runs), encodeSeconds: median(runs.map((r) => r.encodeSeconds)), threads };
  } finally {
    await close();
  }
}

const n = await native();
const w = await browserWasm('decode');
const off = await browserWasm('none');
const enc = await measureEncodeThroughput();
const outside = (c: Clip) => (1 - c.modelSeconds / c.clipSeconds) * 100;
const rows = [
  ['clip (native, onnxruntime-node CPU)', `${n.clipSeconds.toFixed(2)} s`, `${outside(n).toFixed(1)} % outside model calls`],
  [`clip (Chromium, WASM ${w.threads} threads, previews on)`, `${w.clipSeconds.toFixed(2)} s`, `${outside(w).toFixed(1)} % outside model calls`],
  ['browser / native', `${(w.clipSeconds / n.clipSeconds).toFixed(2)}×`, 'goal ≤ 2×'],
  [`clip (Chromium, WASM, previews off)`, `${off.clipSeconds.toFixed(2)} s`, `${outside(off).toFixed(1)} % outside model calls`],
  ['browser (previews off) / native', `${(off.clipSeconds / n.clipSeconds).toFixed(2)}×`, 'goal ≤ 2×'],
  ['video encode + mux in the app (16 frames → 256² MP4)', `${w.encodeSeconds.toFixed(3)} s`, ''],
  [`encode + mux throughput, 256² ${enc.codec}`, `${enc.framesPerSecond.toFixed(0)} frames/s`, 'goal ≥ 200'],
  ['  … with 64² → 256² bicubic upscale', `${enc.withResizeFramesPerSecond.toFixed(0)} frames/s`, ''],
];
console.log(`Kineto bench — Kineto-Shapes defaults: ${n.steps} DDIM steps, ${n.frames} frames, CFG on; median of ${RUNS} runs after a warm-up`);
for (const [a, b, c] of rows) console.log(`${a!.padEnd(56)} ${b!.padStart(14)}   ${c}`);

await labBench();

await libraryBench();
