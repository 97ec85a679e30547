/**
 * The Lab's pure parts: the recording budget, the Schedule chart against the samplers' own timesteps and ᾱ, the
 * forward process against its formula, the false-colour helpers and the lesson link.
 */
import { describe, expect, it } from 'vitest';
import { planRecording, StepRecorder } from '../../src/engine/recording';
import { Rng } from '../../src/engine/rng';
import { createScheduler } from '../../src/engine/schedulers';
import { alphasCumprod } from '../../src/engine/schedulers/schedule';
import { SCHEDULER_KINDS, type SchedulerConfig } from '../../src/engine/types';
import { forwardSample, noiseTo } from '../../src/lab/forward';
import { channelTiles, differenceHeat, frameOf, grid } from '../../src/lab/images';
import { lessonHash, parseLessonHash, type LessonSettings } from '../../src/lab/lesson-link';
import { scheduleChart } from '../../src/lab/schedule-chart';
import type { LabRunSummary } from '../../src/lab/lab-protocol';
import { positionNearest } from '../../src/lab/load-planner';
import { runJson } from '../../src/lab/run-json';
import { VIEW_CACHE_BYTES, viewBytes } from '../../src/lab/view-cache';
import { pipelineStages } from '../../src/lab/pipeline-stages';
import { parseManifest } from '../../src/engine/manifest';
import { readFileSync } from 'node:fs';

const config: SchedulerConfig = {
  numTrainTimesteps: 1000, betaSchedule: 'squaredcos_cap_v2', betaStart: 0.0001, betaEnd: 0.02, predictionType: 'v_prediction',
  timestepSpacing: 'trailing', stepsOffset: 0, setAlphaToOne: true,
};
/** Kineto-Shapes latents: 4 channels × 16 frames × 16 × 16. */
const SHAPES_VALUES = 4 * 16 * 16 * 16;

describe('recording budget', () => {
  it('keeps all 30 guided steps of Kineto-Shapes under 64 MiB', () => {
    const plan = planRecording(30, SHAPES_VALUES, true);
    expect(plan.stride).toBe(1);
    expect(plan.indices).toHaveLength(30);
    expect(plan.bytesPerStep).toBe(SHAPES_VALUES * 4 * 5);
    expect(plan.totalBytes).toBeLessThan(64 * 1024 * 1024);
  });

  it('keeps every k-th step (and the last) when the run would not fit', () => {
    const perStep = SHAPES_VALUES * 4 * 3;
    const plan = planRecording(30, SHAPES_VALUES, false, perStep * 10);
    expect(plan.stride).toBe(4); // 0,4,…,28 and 29 = 9 steps; stride 3 would be 11
    expect(plan.indices).toEqual([0, 4, 8, 12, 16, 20, 24, 28, 29]);
    expect(plan.totalBytes).toBeLessThanOrEqual(perStep * 10);
    expect(planRecording(30, SHAPES_VALUES, false, perStep - 1).stride).toBe(0);
  });

  it('refuses steps out of plan, out of order or of the wrong size', () => {
    const r = new StepRecorder(4, 8, false, 8 * 4 * 3 * 2); // room for 2 steps: stride 3 → [0, 3]
    expect(r.plan.indices).toEqual([0, 3]);
    const rec = (index: number, n = 8) => ({ index, timestep: 0, alpha: 1, sigma: 0, xt: new Float32Array(n), eps: new Float32Array(n), x0: new Float32Array(n), branches: null });
    expect(r.wants(1)).toBe(false);
    expect(() => r.add(rec(1))).toThrow(/not in the recording plan/);
    expect(() => r.add(rec(0, 7))).toThrow(/8 values/);
    r.add(rec(3));
    expect(() => r.add(rec(0))).toThrow(/in order/);
    expect(r.bytes).toBe(8 * 4 * 3);
  });
});

describe('Schedule chart data', () => {
  for (const kind of SCHEDULER_KINDS) {
    it(`${kind}: one marker per step at the sampler's own timesteps and noise levels`, () => {
      const steps = kind === 'lcm' ? 4 : 12;
      const chart = scheduleChart(config, kind, steps);
      const s = createScheduler(kind, config, steps);
      expect(chart.markers.map((m) => m.t)).toEqual(s.timesteps);
      chart.markers.forEach((m, i) => {
        expect(m.signal).toBe(s.levels[i]!.alpha);
        expect(m.noise).toBe(s.levels[i]!.sigma);
        expect(m.logSnr).toBeCloseTo(Math.log(m.signal ** 2 / m.noise ** 2), 10);
      });
    });
  }

  it('draws the curve from the training ᾱ', () => {
    const ac = alphasCumprod(config);
    const chart = scheduleChart(config, 'ddim', 10);
    expect(chart.curve[0]!.t).toBe(0);
    expect(chart.curve.at(-1)!.t).toBe(999);
    for (const p of chart.curve) {
      expect(p.signal).toBe(Math.sqrt(ac[p.t]!));
      expect(p.noise).toBe(Math.sqrt(1 - ac[p.t]!));
      expect(p.signal ** 2 + p.noise ** 2).toBeCloseTo(1, 12);
    }
    // DDIM's markers sit on the training curve (integer timesteps).
    const m = chart.markers[3]!;
    expect(m.signal).toBe(Math.sqrt(ac[m.t]!));
  });
});

describe('forward process q(x_t | x_0)', () => {
  it('equals √ᾱ_t·x0 + √(1−ᾱ_t)·ε with the seeded ε', () => {
    const ac = alphasCumprod(config);
    const x0 = new Rng(1).gaussian(64);
    for (const t of [0, 250, 999]) {
      const { xt, alpha, sigma } = forwardSample(config, x0, t, 7);
      const eps = new Rng(7).gaussian(64);
      expect(alpha).toBe(Math.sqrt(ac[t]!));
      expect(sigma).toBe(Math.sqrt(1 - ac[t]!));
      xt.forEach((v, i) => expect(v).toBeCloseTo(Math.sqrt(ac[t]!) * x0[i]! + Math.sqrt(1 - ac[t]!) * eps[i]!, 6));
    }
    // t = 999 is nearly pure noise: correlation with x0 close to 0, with ε close to 1.
    const { xt } = forwardSample(config, x0, 999, 7);
    const eps = new Rng(7).gaussian(64);
    const corr = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i]!, 0) / Math.sqrt(a.reduce((s, v) => s + v * v, 0) * b.reduce((s, v) => s + v * v, 0));
    expect(corr(xt, eps)).toBeGreaterThan(0.99);
    expect(() => noiseTo(x0, 1, 0, new Float32Array(3))).toThrow(/Noise has 3/);
    expect(() => forwardSample(config, x0, 1.5, 0)).toThrow(/whole number/);
  });
});

describe('Lab images', () => {
  it('slices a frame, tiles channels in false colour, heats a difference and builds grids', () => {
    // [1, C=2, F=3, H=1, W=2]: value = 10·c + f (+0.5 for x = 1)
    const data = Float32Array.from({ length: 12 }, (_, i) => {
      const c = Math.floor(i / 6); const f = Math.floor((i % 6) / 2); const x = i % 2;
      return 10 * c + f + 0.5 * x;
    });
    const f1 = frameOf(data, [1, 2, 3, 1, 2], 1);
    expect(Array.from(f1.data)).toEqual([1, 1.5, 11, 11.5]);
    expect(() => frameOf(data, [1, 2, 3, 1, 2], 3)).toThrow(/outside/);
    const tiles = channelTiles(Float32Array.from([-2, 0, 2, 1]), 2, 1, 2);
    expect(tiles.width).toBe(5);
    expect(Array.from(tiles.rgba.subarray(0, 8))).toEqual([0, 0, 255, 255, 255, 255, 255, 255]); // −max blue, 0 white
    expect(Array.from(tiles.rgba.subarray(12, 16))).toEqual([255, 0, 0, 255]); // +max red (after the gap)
    const heat = differenceHeat(Float32Array.from([0, 1]), Float32Array.from([0, 0]), 1, 1, 2, 1);
    expect(heat.rgba[0]).toBe(0);
    expect(heat.rgba[4]).toBe(255);
    const g = grid([new Uint8ClampedArray(4).fill(9), new Uint8ClampedArray(4).fill(7), new Uint8ClampedArray(4).fill(5)], 1, 1, 2);
    expect([g.width, g.height]).toEqual([2, 2]);
    expect(Array.from(g.rgba.subarray(8, 12))).toEqual([5, 5, 5, 5]);
    expect(Array.from(g.rgba.subarray(12, 16))).toEqual([0, 0, 0, 255]);
  });
});

describe('lesson link', () => {
  const defaults: LessonSettings = { prompt: 'a red circle', negativePrompt: '', seed: 1, steps: 30, guidanceScale: 3, scheduler: 'ddim', frames: 16, view: 'step', step: 30 };

  it('round-trips every setting', () => {
    const s: LessonSettings = { prompt: 'a blue star moving up & away', negativePrompt: 'noise', seed: 4242, steps: 8, guidanceScale: 7.5, scheduler: 'euler-karras', frames: 8, view: 'guidance', step: 3 };
    const parsed = parseLessonHash(lessonHash(s), defaults, 16);
    expect(parsed).toEqual({ settings: s, isLesson: true, problems: [] });
  });

  it('names bad and missing values and uses the defaults in their place', () => {
    const parsed = parseLessonHash('#/lab?prompt=a%20cat&seed=-4&steps=12&guidance=abc&scheduler=magic&view=step&step=99', defaults, 16);
    expect(parsed.settings).toEqual({ ...defaults, prompt: 'a cat', steps: 12, step: 12 });
    expect(parsed.problems).toEqual([
      'The link\'s seed "-4" is not valid; using 1.',
      'The link\'s guidance "abc" is not valid; using 3.',
      'The link\'s scheduler "magic" is not valid; using ddim.',
      'The link\'s step "99" is not valid; using 12.',
    ]);
    expect(parseLessonHash('#/lab?view=forward', defaults, 16).problems).toContain('The link has no seed; using 1.');
    expect(parseLessonHash('#/lab', defaults, 16)).toEqual({ settings: defaults, isLesson: false, problems: [] });
  });
});

describe('Lab summaries', () => {
  const summary = (timesteps: number[]): LabRunSummary => ({
    runId: 1, modelId: 'm', stopped: false, totalSteps: timesteps.length, stride: 1, recordBytes: 0, budgetBytes: 1, tokens: [], truncatedWords: 0,
    latentSpace: true, shape: [1, 4, 16, 16, 16], seconds: 1, viewSeconds: 0.1,
    params: { prompt: 'p', negativePrompt: '', seed: 1, steps: timesteps.length, guidanceScale: 3, frames: 16, fps: 8, scheduler: 'ddim', outputSize: 256 },
    recorded: timesteps.map((timestep, index) => ({ index, timestep, alpha: Math.cos(timestep / 1000), sigma: Math.sin(timestep / 1000 + 0.01) })),
  });

  it('aligns a run with other step counts by t', () => {
    const b = summary([999, 666, 333]);
    expect(positionNearest(b, 999)).toBe(0);
    expect(positionNearest(b, 800)).toBe(1);
    expect(positionNearest(b, 100)).toBe(2);
  });

  it('bounds the page\'s view cache: a guided 30-step run at one frame fits many times, even at the 160 px cap', () => {
    const img = (w: number, h: number) => ({ width: w, height: h, rgba: new Uint8ClampedArray(w * h * 4) });
    const view = (side: number, latent: number) => ({
      runId: 1, step: 0, frame: 0, timestep: 999, alpha: 0.1, sigma: 0.99, xt: img(side, side), x0: img(side, side),
      xtChannels: img(4 * latent + 3, latent), eps: img(4 * latent + 3, latent),
      guidance: { uncond: img(side, side), cond: img(side, side), difference: img(latent, latent), peak: 1 },
    });
    const shapes = viewBytes(view(64, 16)); // Kineto-Shapes
    expect(shapes).toBe(4 * 64 * 64 * 4 + 2 * 67 * 16 * 4 + 16 * 16 * 4);
    expect(Math.floor(VIEW_CACHE_BYTES / (30 * shapes))).toBeGreaterThanOrEqual(25);
    // A large model (images capped at 160 px, 64×64 latents): the run and Compare guidance's three still fit.
    expect(Math.floor(VIEW_CACHE_BYTES / (30 * viewBytes(view(160, 64))))).toBeGreaterThanOrEqual(4);
  });

  it('exports settings and per-step scalars as JSON', () => {
    const j = runJson(summary([999, 499]));
    expect(j.steps.map((s) => [s.step, s.timestep])).toEqual([[1, 999], [2, 499]]);
    expect(j.steps[0]!.logSnr).toBeCloseTo(2 * Math.log(Math.cos(0.999) / Math.sin(1.009)), 12);
    expect(j.settings.seed).toBe(1);
  });

  it('describes the pipeline stages with the loaded model\'s shapes', () => {
    const m = parseManifest(JSON.parse(readFileSync('public/models/kineto-shapes/manifest.json', 'utf8')));
    const stages = pipelineStages(m, { steps: 30, frames: 16, guidanceScale: 3, fps: 8, outputSize: 256 });
    expect(stages.map((s) => s.shape)).toEqual(['text', '[2, 16]', '[2, 16, 128]', '[2, 4, 16, 16, 16]', '[16, 3, 64, 64]', '16 frames, 256×256']);
    const pixel = { ...m, components: { text_encoder: m.components.text_encoder, denoiser: m.components.denoiser } };
    expect(pipelineStages(pixel, { steps: 4, frames: 8, guidanceScale: 1, fps: 8, outputSize: 64 })[4]!.note).toMatch(/denoises pixels/);
  });
});
