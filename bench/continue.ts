/**
 * What a long clip costs (`npm run bench -- continue`): seconds of video made per second of compute for clips of
 * several lengths on the embedded model's Fast preset at its fps, natively (onnxruntime-node). A clip is a run of
 * windows (src/engine/continuation), each taking known frames from the one before, so the cost per second should
 * not grow with the length. Goal (issue 17): ≥ 4× real time on WASM for Fast at 8 fps; `npm run bench -- film`
 * measures the app in Chromium.
 */
import { loadModelFromDisk } from '../src/cli/node-runtime';
import { generateClip } from '../src/engine/continuation';
import { defaultParams } from '../src/engine/params';
import { PROMPT } from './clip';
import { type BenchRow, type BenchSection, median, RUNS, seconds } from './report';

/** Clip lengths, in seconds: one window, then several. */
const LENGTHS = [2, 8, 16];

export const continueSection: BenchSection = {
  title: 'Long clips: seconds of video made per second, natively (Fast, known frames from window to window)',
  async run() {
    const model = await loadModelFromDisk();
    try {
      const run = await model.forPreset('fast');
      const vaeEncoder = (await model.vaeEncoder()) ?? undefined;
      const models = { ...run.models, vaeEncoder };
      const base = defaultParams(run.manifest, PROMPT, 1, run.preset);
      const fps = base.fps;
      const make = (s: number) => generateClip(run.manifest, models, { params: { ...base, frames: s * fps } }, { onFrames: () => {} });
      await make(LENGTHS[1]!); // warm-up, windows with known frames included
      const rows: BenchRow[] = [];
      const perSecond: number[] = [];
      for (const s of LENGTHS) {
        const times: number[] = [];
        let windows = 0;
        for (let i = 0; i < RUNS; i++) {
          const t0 = performance.now();
          windows = (await make(s)).windows.length;
          times.push((performance.now() - t0) / 1000);
        }
        const t = median(times);
        perSecond.push(t / s);
        rows.push([`${s} s clip (${s * fps} frames, ${windows} windows), native`, seconds(t), `${(s / t).toFixed(1)}× real time`]);
      }
      // The first window makes all its frames; later ones re-make their known frames, so a one-window clip is cheaper
      // per second and the constancy that matters is between multi-window lengths.
      const ratio = perSecond.at(-1)! / perSecond.at(-2)!;
      rows.push([`cost per second of video, ${LENGTHS.at(-1)} s / ${LENGTHS.at(-2)} s clip`, `${ratio.toFixed(2)}×`, 'goal ≈ 1: the same per second at any length']);
      return { rows, metrics: { continueRealTimeNative: LENGTHS.at(-1)! / (perSecond.at(-1)! * LENGTHS.at(-1)!) } };
    } finally {
      await model.release();
    }
  },
};
