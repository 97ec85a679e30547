/**
 * Encode throughput of src/video in headless Chromium: 64 synthetic frames → MP4 (resize + WebCodecs + mediabunny
 * mux) inside a worker, as the app runs it. Run directly with `npx tsx bench/encode-throughput.ts`.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildTestPage, launchBrowser, startStaticServer } from '../tests/browser/harness';
import type { EncodeJob } from '../tests/browser/pages/encode-job';
import type { BenchSection } from './report';

/** Encode + mux throughput in frames per second (median of the timed runs). */
export type EncodeThroughput = {
  /** 256² frames in, 256² out: no resize, encoder + muxer only. */
  framesPerSecond: number;
  /** 64² frames upscaled to 256² (bicubic) before encoding, as the app does with model output. */
  withResizeFramesPerSecond: number;
  frames: number;
  codec: string;
};

const FRAMES = 64;
const OUTPUT = 256;
/** Timed runs after one warm-up run (the first pays for encoder start-up and JIT). */
const RUNS = 5;

/** Builds and serves the encoder test page, then measures frames/s of encode + mux at 256², without and with resize. */
export async function measureEncodeThroughput(): Promise<EncodeThroughput> {
  const outDir = await buildTestPage(path.resolve(import.meta.dirname, '../tests/browser/pages'), { video: 'video.html' });
  const server = await startStaticServer(outDir);
  const browser = await launchBrowser();
  try {
    await browser.page.goto(`${server.url}video.html`);
    await browser.page.waitForFunction(() => typeof window.kinetoEncode === 'function');
    const run = async (size: number) => {
      const job: EncodeJob & { inWorker: boolean; returnBytes: boolean } = {
        frames: FRAMES, size, outputWidth: OUTPUT, outputHeight: OUTPUT, fps: 8, container: 'mp4', repeat: RUNS + 1, inWorker: true, returnBytes: false,
      };
      const result = await browser.page.evaluate((j) => window.kinetoEncode(j), job);
      if (!result.ok) throw new Error(`encode failed: ${result.message}\n${browser.logs()}`);
      const timed = result.runsMs.slice(1).sort((a, b) => a - b);
      const median = timed[Math.floor(timed.length / 2)]!;
      return { framesPerSecond: (FRAMES * 1000) / median, codec: result.codec };
    };
    const plain = await run(OUTPUT);
    const resized = await run(64);
    return { framesPerSecond: plain.framesPerSecond, withResizeFramesPerSecond: resized.framesPerSecond, frames: FRAMES, codec: plain.codec };
  } finally {
    await browser.close();
    await server.close();
    await rm(outDir, { recursive: true, force: true });
  }
}

export const encodeSection: BenchSection = {
  title: `MP4 encode + mux throughput in Chromium (${FRAMES} frames, ${OUTPUT}²)`,
  async run() {
    const r = await measureEncodeThroughput();
    return {
      rows: [
        [`encode + mux, ${r.codec}`, `${r.framesPerSecond.toFixed(0)} frames/s`, 'goal ≥ 200'],
        ['  … with 64² → 256² bicubic upscale', `${r.withResizeFramesPerSecond.toFixed(0)} frames/s`],
      ],
    };
  },
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await measureEncodeThroughput();
  console.log(`encode ${r.frames} frames ${OUTPUT}² → ${r.codec} MP4: ${r.framesPerSecond.toFixed(0)} frames/s`);
  console.log(`  with 64² → ${OUTPUT}² bicubic resize: ${r.withResizeFramesPerSecond.toFixed(0)} frames/s`);
}
