/**
 * A tiny continuity evaluation (one case of each part, one seed) through the engine's continuation operations on the
 * shipped model (its Fast preset continues with its conditioned student: masked conditioning; its manifest leaves
 * in-betweens to the fallback), and on the
 * conditioned fixture (random weights). It checks that every row is measured against its target and says
 * which method ran; whether the targets are met is the full evaluation's question (`npm run eval:model`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGroundTruth } from '../../../src/cli/ground-truth';
import { loadModelFromDisk } from '../../../src/cli/node-runtime';
import { CONTINUITY_PARTS, type ContinuitySummary, runContinuity } from '../../../src/eval/continuity';
import type { LoadedModel } from '../../../src/runtime/load-model';
import { loadConditionedModel } from '../../fixtures/conditioned-model';

const groundTruth = readGroundTruth();
/** Only the first case of every list. */
const ONE_EACH = 100;

/** Every part's rows measured, each by `method` (or `inBetween`'s for in-betweens); keyframes come back as given. */
function expectEveryRow(s: ContinuitySummary, method: string, inBetween = method) {
  expect(new Set(s.rows.map((r) => r.part))).toEqual(new Set(CONTINUITY_PARTS));
  for (const r of s.rows) {
    expect(r.methods, `${r.part}: ${r.measure}`).toEqual([r.part === 'in-between' ? inBetween : method]);
    expect(r.count, `${r.part}: ${r.measure}`).toBeGreaterThan(0);
    if (r.measure === 'keyframes back: lowest PSNR') expect(r.value).toBe(Infinity);
    else expect(Number.isFinite(r.value), `${r.part}: ${r.measure} = ${r.value}`).toBe(true);
    if (r.unit === '%') {
      expect(r.value).toBeGreaterThanOrEqual(0);
      expect(r.value).toBeLessThanOrEqual(1);
    }
    expect(r.target).toBeGreaterThan(0);
  }
  const measures = (part: string) => s.rows.filter((r) => r.part === part).map((r) => r.measure);
  expect(measures('long-clip')).toEqual(['colour held (windows)', 'shape held (windows)', 'motion as prompted (windows)', 'seams without a jump']);
  expect(measures('in-between')).toEqual(['seams without a jump', 'keyframes back: lowest PSNR', 'path between keyframes monotone']);
  expect(measures('from-image')).toContain("first frame's object within 4 % of the image's");
}

describe('the continuity evaluation', () => {
  let model: LoadedModel;
  beforeAll(async () => {
    model = await loadModelFromDisk();
  }, 120_000);
  afterAll(() => model.release());

  it('measures every part on the shipped model, by masked conditioning but in-betweens: 13 s in 9 windows, 8 seams, keyframes and first frames', async () => {
    const s = await runContinuity(model, { seeds: 1, preset: 'fast', every: ONE_EACH, groundTruth });
    expectEveryRow(s, 'masked-conditioning', 'replacement');
    const long = s.cases.find((c) => c.part === 'long-clip')!;
    expect(long.analyses).toHaveLength(9);
    expect(long.seams.map((x) => x.frame)).toEqual([16, 28, 40, 52, 64, 76, 88, 100]);
    // The new prompt's seam (frame 16 of first clip + continuation) and the continuation's own window seam.
    expect(s.cases.find((c) => c.part === 'new-prompt')!.seams.map((x) => x.frame)).toEqual([16, 28]);
    // From an image, and between keyframes: where the given frames meet the frames made counts as a seam.
    const start = s.cases.find((c) => c.part === 'from-image')!;
    expect(start.firstOffset).toBe(0);
    expect(start.seams.map((x) => x.frame)).toEqual([1]);
    const between = s.cases.find((c) => c.part === 'in-between')!;
    expect(between.seams.map((x) => x.frame)).toEqual([1, 15]);
  }, 300_000);
});

describe('the continuity evaluation on a model with conditioning inputs', () => {
  let model: LoadedModel;
  beforeAll(async () => {
    model = await loadConditionedModel();
  }, 120_000);
  afterAll(() => model.release());

  it('reports masked conditioning for every part and computes every row (random weights: no target is expected)', async () => {
    const s = await runContinuity(model, { seeds: 1, steps: 3, every: ONE_EACH, groundTruth, longSeconds: 4 });
    expectEveryRow(s, 'masked-conditioning');
    expect(s.cases.find((c) => c.part === 'long-clip')!.analyses).toHaveLength(3);
  }, 300_000);
});
