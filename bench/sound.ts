/**
 * What Sound costs (`npm run bench -- sound`). In headless Chromium on WASM, the embedded model's Fast clip (its
 * default settings) with Sound on and off, as MP4 (AAC; the default) and as WebM (Opus), taking turns after warm-up
 * rounds (the first also loads the WASM AAC encoder); each clip timed by the worker's `totalSeconds` (prompt → file
 * and poster). Goal: sound adds ≤ 10 % to the default MP4.
 * Natively, makeFoley on the same clip's frames, median of several runs after a warm-up.
 */
import { loadModelFromDisk } from '../src/cli/node-runtime';
import { defaultParams } from '../src/engine/params';
import { generateFrames } from '../src/engine/pipelines/text-to-video';
import { makeFoley, tracksObjects } from '../src/sound/foley';
import { openAppOnWasm } from './app-on-wasm';
import { generateInApp, PROMPT } from './clip';
import { type BenchRow, type BenchSection, median, ms, seconds } from './report';

/** Measured rounds; more than the usual 3, as a 10 % effect on a sub-second clip needs them. */
const ROUNDS = 21;
const WARM_UP_ROUNDS = 2;
/** Native makeFoley runs timed after one warm-up. */
const FOLEY_RUNS = 10;

/** MP4 (AAC, the default) with Sound on and off, and WebM (Opus, WebCodecs here) on and off, in this order each round. */
const CONFIGS = [
  { container: 'mp4', sound: true },
  { container: 'mp4', sound: false },
  { container: 'webm', sound: true },
  { container: 'webm', sound: false },
] as const;
type Config = (typeof CONFIGS)[number];

type Timed = { total: number[]; encode: number[] };
type AppSound = { runs: Timed[]; foleyInWorker: number[]; codecs: Record<Config['container'], string>; threads: number };

async function appWithAndWithoutSound(): Promise<AppSound> {
  const { browser: b, close } = await openAppOnWasm();
  try {
    const { page } = b;
    await page.getByLabel('Prompt', { exact: true }).fill(PROMPT);
    await page.getByLabel('Seed', { exact: true }).fill('1');
    await page.getByLabel('Speed', { exact: true }).selectOption('fast');
    const sound = page.getByRole('checkbox', { name: 'Sound', exact: true });
    const out: AppSound = { runs: CONFIGS.map(() => ({ total: [], encode: [] })), foleyInWorker: [], codecs: { mp4: '', webm: '' }, threads: 0 };
    for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
      for (const [i, c] of CONFIGS.entries()) {
        await sound.setChecked(c.sound);
        await page.getByLabel('Format', { exact: true }).selectOption(c.container);
        const t = await generateInApp(page, b.logs);
        const facts = await page.evaluate(() => window.kineto!.getState().result!.facts);
        if (c.sound && !facts.sound) throw new Error(`no sound with Sound on: ${facts.soundSkipped}\n${b.logs()}`);
        if (round < WARM_UP_ROUNDS) continue;
        out.runs[i]!.total.push(t.totalSeconds);
        out.runs[i]!.encode.push(t.encodeSeconds);
        if (facts.sound) {
          out.foleyInWorker.push(facts.sound.seconds);
          out.codecs[c.container] = `${facts.sound.codec}, ${facts.sound.encoder}`;
        }
      }
    }
    out.threads = await page.evaluate(() => { const m = window.kineto!.getState().model; return m.status === 'ready' ? m.backendInfo.threads : 0; });
    return out;
  } finally {
    await close();
  }
}

/** makeFoley's own time natively on the Fast clip's frames, and the clip's size. */
async function nativeFoley(): Promise<{ seconds: number; frames: number; side: number }> {
  const loaded = await loadModelFromDisk();
  try {
    const run = await loaded.forPreset('fast');
    const params = defaultParams(run.manifest, PROMPT, 1, run.preset);
    const { frames } = await generateFrames(run.manifest, run.models, params, { preview: 'none' });
    const foley = () => makeFoley(frames.rgba, frames.width, frames.height, { fps: params.fps, seed: params.seed, trackObject: tracksObjects(run.manifest.id) });
    foley(); // warm-up
    const times: number[] = [];
    for (let i = 0; i < FOLEY_RUNS; i++) {
      const t0 = performance.now();
      foley();
      times.push((performance.now() - t0) / 1000);
    }
    return { seconds: median(times), frames: frames.count, side: frames.width };
  } finally {
    await loaded.release();
  }
}

export const soundSection: BenchSection = {
  title: `Sound on vs off: the Fast clip in Chromium WASM, ${ROUNDS} rounds in turns after ${WARM_UP_ROUNDS} warm-up rounds`,
  async run() {
    const native = await nativeFoley();
    const app = await appWithAndWithoutSound();
    const rows: BenchRow[] = [];
    const metrics: Record<string, number> = {};
    for (const container of ['mp4', 'webm'] as const) {
      const [on, off] = [true, false].map((sound) => app.runs[CONFIGS.findIndex((c) => c.container === container && c.sound === sound)]!);
      const ratio = median(on!.total) / median(off!.total);
      const name = container.toUpperCase();
      rows.push([`${name}, Sound off, Chromium WASM ${app.threads} threads`, seconds(median(off!.total), 3), `encode ${seconds(median(off!.encode), 3)}`]);
      rows.push([`${name}, Sound on (${app.codecs[container]})`, seconds(median(on!.total), 3), `encode ${seconds(median(on!.encode), 3)}`]);
      rows.push([`${name}, Sound on / off`, `${ratio.toFixed(3)}×`, `+${((ratio - 1) * 100).toFixed(1)} %${container === 'mp4' ? ', goal ≤ 10 %' : ''}`]);
      // The same from the part after the model alone (foley + encoding), steadier than two noisy totals' ratio; and
      // paired, round by round (on and off ran back to back), which cancels the host's slower and faster minutes.
      const added = median(on!.encode) - median(off!.encode);
      const paired = median(on!.encode.map((t, r) => t - off!.encode[r]!));
      rows.push([`${name}, sound's own time (foley + its encoding)`, seconds(added, 3), `+${((added / median(off!.total)) * 100).toFixed(1)} % of the clip`]);
      rows.push([`${name}, sound's own time, median of the rounds' differences`, seconds(paired, 3), `+${((paired / median(off!.total)) * 100).toFixed(1)} % of the clip`]);
      metrics[`soundRatio${name}`] = ratio;
    }
    rows.push(['makeFoley in the app’s sound worker (median)', ms(median(app.foleyInWorker) * 1000)]);
    rows.push([`makeFoley natively (${native.frames} frames of ${native.side}², median of ${FOLEY_RUNS})`, ms(native.seconds * 1000)]);
    return { rows, metrics };
  },
};
