/**
 * The recording hook on the repo's model: one record per step in step order, tensors of the latent size, the
 * guided x̂0 equal to the guidance combination of the branch x̂0s, ε̂ consistent with x_t = α·x̂0 + σ·ε̂, the run
 * unchanged by recording, and a cancelled run keeping the steps it recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelFromDisk } from '../../../src/cli/node-runtime';
import { CancelledError } from '../../../src/engine/errors';
import { defaultParams } from '../../../src/engine/params';
import { generateFrames } from '../../../src/engine/pipelines/text-to-video';
import { StepRecorder } from '../../../src/engine/recording';
import { createScheduler } from '../../../src/engine/schedulers';
import type { LoadedModel } from '../../../src/runtime/load-model';

let model: LoadedModel;
beforeAll(async () => {
  model = await loadModelFromDisk();
});
afterAll(() => model.release());

const params = (over = {}) => ({ ...defaultParams(model.manifest, 'a red circle moving left on a black background', 3), steps: 4, frames: 4, ...over });

describe('recording hook', () => {
  it('records every step in order with x_t, ε̂, x̂0 and both branches, without changing the run', async () => {
    const p = params({ guidanceScale: 3 });
    const { channels, height, width } = model.manifest.latent;
    const values = channels * p.frames * height * width;
    const recorder = new StepRecorder(p.steps, values, true);
    const plain = await generateFrames(model.manifest, model.models, p, { preview: 'none' });
    const recorded = await generateFrames(model.manifest, model.models, p, { preview: 'none', recorder });
    expect(recorded.latents.data).toEqual(plain.latents.data);
    const s = createScheduler(p.scheduler, model.manifest.scheduler, p.steps);
    expect(recorder.records.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(recorder.records.map((r) => r.timestep)).toEqual(s.timesteps);
    expect(recorder.bytes).toBe(values * 4 * 5 * p.steps);
    for (const r of recorder.records) {
      expect(r.sigma).toBe(s.levels[r.index]!.sigma);
      for (const t of [r.xt, r.eps, r.x0, r.branches!.uncond, r.branches!.cond]) expect(t.length).toBe(values);
      // Guidance is linear, so the guided x̂0 is the same combination of the branch x̂0s; and x_t = α·x̂0 + σ·ε̂.
      let guidanceErr = 0;
      let identityErr = 0;
      for (let i = 0; i < values; i++) {
        const u = r.branches!.uncond[i]!;
        guidanceErr = Math.max(guidanceErr, Math.abs(r.x0[i]! - (u + 3 * (r.branches!.cond[i]! - u))));
        identityErr = Math.max(identityErr, Math.abs(r.xt[i]! - (r.alpha * r.x0[i]! + r.sigma * r.eps[i]!)));
      }
      expect(guidanceErr).toBeLessThan(1e-3);
      expect(identityErr).toBeLessThan(1e-3);
    }
    // The first x_t is the seeded noise, the last x̂0 the final latents (DDIM, ᾱ_prev = 1 at the last step).
    const last = recorder.records.at(-1)!.x0;
    let diff = 0;
    for (let i = 0; i < values; i++) diff = Math.max(diff, Math.abs(last[i]! - recorded.latents.data[i]!));
    expect(diff).toBeLessThan(1e-4);
  });

  it('records no branches without guidance, and keeps the recorded steps when cancelled', async () => {
    const p = params({ guidanceScale: 1, steps: 6 });
    const values = model.manifest.latent.channels * p.frames * model.manifest.latent.height * model.manifest.latent.width;
    const recorder = new StepRecorder(p.steps, values, false);
    let steps = 0;
    const run = generateFrames(model.manifest, model.models, p, { preview: 'none', recorder, onStep: () => void steps++, isCancelled: () => steps >= 3 });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(recorder.records.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(recorder.records.every((r) => r.branches === null)).toBe(true);
  });
});
