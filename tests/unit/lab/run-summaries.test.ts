/** The Lab slice's pure helpers: aligning runs by t, the view cache's budget, the JSON export. */
import { describe, expect, it } from 'vitest';
import type { LabRunSummary } from '../../../src/lab/lab-protocol';
import { positionNearest } from '../../../src/lab/load-planner';
import { runJson } from '../../../src/lab/run-json';
import { VIEW_CACHE_BYTES, viewBytes } from '../../../src/lab/view-cache';

describe('Lab summaries', () => {
  const summary = (timesteps: number[]): LabRunSummary => ({
    runId: 1, modelId: 'm', stopped: false, totalSteps: timesteps.length, stride: 1, recordBytes: 0, budgetBytes: 1, tokens: [], truncatedWords: 0,
    latentSpace: true, shape: [1, 4, 16, 16, 16], seconds: 1, viewSeconds: 0.1, sound: { problem: 'none' },
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
});
