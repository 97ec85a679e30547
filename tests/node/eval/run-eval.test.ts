/**
 * A reduced evaluation of the shipped model (every held-out prompt, one seed) through the app's engine.
 * Fails when the model falls below floors set from this reduced run's measured numbers less one clip
 * (eval-floors.json); the full evaluation is in MODEL_CARD.md.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadModelFromDisk } from '../../../src/cli/node-runtime';
import { runEval } from '../../../src/eval/run-eval';
import type { LoadedModel } from '../../../src/runtime/load-model';
import floors from './eval-floors.json';

let model: LoadedModel;
beforeAll(async () => {
  model = await loadModelFromDisk();
});
afterAll(() => model.release());

it('the shipped model stays above its measured quality floors on held-out prompts', async () => {
  // The 30-step guided model (Quality preset), whose floors these are.
  const summary = await runEval(model, { seeds: 1, heldOutOnly: true, every: 1, preset: 'quality' });
  const held = summary.splits.find((s) => s.split === 'held-out')!;
  expect(held.clips).toBeGreaterThanOrEqual(16);
  expect(held.colour).toBeGreaterThanOrEqual(floors.colour);
  expect(held.direction).toBeGreaterThanOrEqual(floors.direction);
  expect(held.shape).toBeGreaterThanOrEqual(floors.shape);
  expect(held.coherence).toBeGreaterThanOrEqual(floors.coherence);
}, 300_000);

it('the Fast preset (distilled student) stays above its measured floors on held-out prompts', async () => {
  const summary = await runEval(model, { seeds: 1, heldOutOnly: true, every: 1, preset: 'fast' });
  expect(summary.settings.steps).toBe(4);
  const held = summary.splits.find((s) => s.split === 'held-out')!;
  expect(held.clips).toBeGreaterThanOrEqual(16);
  expect(held.colour).toBeGreaterThanOrEqual(floors.fast.colour);
  expect(held.direction).toBeGreaterThanOrEqual(floors.fast.direction);
  expect(held.shape).toBeGreaterThanOrEqual(floors.fast.shape);
  expect(held.coherence).toBeGreaterThanOrEqual(floors.fast.coherence);
}, 300_000);
