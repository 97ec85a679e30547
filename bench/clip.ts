/**
 * Clip time of the embedded model at its default settings, per speed preset: natively (the CLI's engine on
 * onnxruntime-node) and in headless Chromium on WASM (the app as a person uses it), with the Fast / Quality ratio.
 */
import type { Page } from 'playwright-core';
import { loadModelFromDisk } from '../src/cli/node-runtime';
import { defaultParams } from '../src/engine/params';
import { generateFrames } from '../src/engine/pipelines/text-to-video';
import { offeredPresets, PRESET_LABELS } from '../src/engine/presets';
import type { PresetName } from '../src/engine/types';
import { openAppOnWasm } from './app-on-wasm';
import { type BenchSection, median, RUNS, seconds } from './report';

export const PROMPT = 'a red circle moving left on a black background';

export type Clip = { clipSeconds: number; modelSeconds: number; steps: number };
const summarise = (runs: Clip[]): Clip => ({ clipSeconds: median(runs.map((r) => r.clipSeconds)), modelSeconds: median(runs.map((r) => r.modelSeconds)), steps: runs[0]!.steps });
const outside = (c: Clip) => `${((1 - c.modelSeconds / c.clipSeconds) * 100).toFixed(1)} % outside model calls`;

/**
 * Median clip time natively for each preset (null: a model without presets), or for `only`; `dir`: another package
 * than the embedded one.
 */
export async function nativeClips(dir?: string, only?: PresetName): Promise<Map<PresetName | null, Clip>> {
  const model = await loadModelFromDisk(dir);
  const presets: (PresetName | null)[] = only ? [only] : offeredPresets(model.manifest);
  if (presets.length === 0) presets.push(null);
  const out = new Map<PresetName | null, Clip>();
  for (const preset of presets) {
    const run = await model.forPreset(preset ?? undefined);
    const params = defaultParams(run.manifest, PROMPT, 1, run.preset);
    await generateFrames(run.manifest, run.models, { ...params, steps: 2 }, { preview: 'none' }); // warm-up
    const runs: Clip[] = [];
    for (let i = 0; i < RUNS; i++) {
      const m0 = model.clock.seconds;
      const t0 = performance.now();
      await generateFrames(run.manifest, run.models, params, { preview: 'none' });
      runs.push({ clipSeconds: (performance.now() - t0) / 1000, modelSeconds: model.clock.seconds - m0, steps: params.steps });
    }
    out.set(preset, summarise(runs));
  }
  await model.release();
  return out;
}

/** Waits for the model on WASM in the app. */
export async function appReadyOnWasm(page: Page): Promise<void> {
  await page.waitForFunction(() => { const m = window.kineto?.getState().model; return m?.status === 'ready' && m.backendInfo.backend === 'wasm'; }, null, { timeout: 300_000 });
}

/** Presses Generate and waits for the run to end; the result's timings. */
export async function generateInApp(page: Page, logs: () => string) {
  await page.getByRole('button', { name: 'Generate' }).click();
  await page.waitForFunction(() => window.kineto!.getState().run.status === 'running', null, { timeout: 10_000 }).catch(() => {});
  await page.waitForFunction(() => window.kineto!.getState().run.status === 'idle', null, { timeout: 600_000 });
  const t = await page.evaluate(() => window.kineto!.getState().result?.facts.timings);
  if (!t) throw new Error(`no result\n${logs()}`);
  return t;
}

export type AppConfig = { preset: PresetName | null; preview: 'decode' | 'none' };
type AppClips = { clips: Clip[]; firstClip: Clip; encodeSeconds: number; threads: number };

/**
 * Generation time in the app on WASM (text → decoded frames, video encoding excluded), per configuration. The
 * configurations take turns: `warmupRounds` unmeasured rounds first (all but the very first clip, `firstClip`, which
 * also pays for V8 still compiling onnxruntime's hot functions with its optimising tier), then RUNS measured ones, so
 * no preset is measured on less optimised code than another. `root`: the folder served (another model package).
 */
export async function appClips(configs: AppConfig[], { root = 'dist', warmupRounds = 1 } = {}): Promise<AppClips> {
  const { browser: b, close } = await openAppOnWasm(root);
  try {
    const { page } = b;
    await page.getByLabel('Prompt', { exact: true }).fill(PROMPT);
    await page.getByLabel('Seed', { exact: true }).fill('1');
    const runs: Clip[][] = configs.map(() => []);
    const encode: number[] = [];
    let firstClip: Clip | null = null;
    for (let round = 0; round < warmupRounds + RUNS; round++) {
      for (const [i, c] of configs.entries()) {
        if (c.preset) await page.getByLabel('Speed', { exact: true }).selectOption(c.preset);
        await page.getByLabel('Preview', { exact: true }).selectOption(c.preview);
        const steps = Number(await page.getByLabel('Steps', { exact: true }).inputValue());
        const t = await generateInApp(page, b.logs);
        const clip = { clipSeconds: t.totalSeconds - t.encodeSeconds, modelSeconds: t.modelSeconds, steps };
        firstClip ??= clip;
        if (round < warmupRounds) continue; // warm-up (and a preset's denoiser loaded on first use)
        runs[i]!.push(clip);
        encode.push(t.encodeSeconds);
      }
    }
    const threads = await page.evaluate(() => { const m = window.kineto!.getState().model; return m.status === 'ready' ? m.backendInfo.threads : 0; });
    return { clips: runs.map(summarise), firstClip: firstClip!, encodeSeconds: median(encode), threads };
  } finally {
    await close();
  }
}

export const clipSection: BenchSection = {
  title: 'Clip time, native vs Chromium WASM, per speed preset (default settings otherwise)',
  async run() {
    const native = await nativeClips();
    const presets = [...native.keys()];
    const label = (p: PresetName | null) => (p ? `${PRESET_LABELS[p]}` : 'defaults');
    // Previews on (the app's default) for the first preset, off for every preset (the fair comparison with native).
    const configs: AppConfig[] = [{ preset: presets[0]!, preview: 'decode' }, ...presets.map((preset) => ({ preset, preview: 'none' as const }))];
    const app = await appClips(configs);
    const off = new Map(presets.map((p, i) => [p, app.clips[i + 1]!]));
    const rows: [string, string, string?][] = [];
    for (const p of presets) {
      const n = native.get(p)!;
      const w = off.get(p)!;
      rows.push([`${label(p)} (${n.steps} steps), native`, seconds(n.clipSeconds), outside(n)]);
      rows.push([`${label(p)}, Chromium WASM ${app.threads} threads, previews off`, seconds(w.clipSeconds), outside(w)]);
      rows.push([`${label(p)}, browser / native`, `${(w.clipSeconds / n.clipSeconds).toFixed(2)}×`]);
    }
    rows.push([`${label(presets[0]!)}, Chromium WASM, previews on`, seconds(app.clips[0]!.clipSeconds), outside(app.clips[0]!)]);
    rows.push([`${label(presets[0]!)}, Chromium WASM, previews on, first clip after the model loads`, seconds(app.firstClip.clipSeconds), 'V8 still optimising onnxruntime']);
    const metrics: Record<string, number> = { clipRatio: off.get(presets[0]!)!.clipSeconds / native.get(presets[0]!)!.clipSeconds };
    if (native.has('fast') && native.has('quality')) {
      const nr = native.get('quality')!.clipSeconds / native.get('fast')!.clipSeconds;
      const wr = off.get('quality')!.clipSeconds / off.get('fast')!.clipSeconds;
      rows.push(['Quality / Fast, native', `${nr.toFixed(1)}×`, 'goal ≥ 8×']);
      rows.push(['Quality / Fast, Chromium WASM', `${wr.toFixed(1)}×`, 'goal ≥ 8×']);
    }
    rows.push(['video encode + mux in the app (→ 256² MP4)', seconds(app.encodeSeconds, 3)]);
    return { rows, metrics };
  },
};
