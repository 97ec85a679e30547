/** The Conditioning view's model: a continuation's plan → one row per window, with given/made cells, mask and words. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/engine/manifest';
import {
  conditioningFrames, conditioningPlan, conditioningRows, plannedMethods, secondsProblem, type StripStart,
} from '../../../src/lab/conditioning';

/** The shipped manifest as Kineto-Shapes 1 declared it: no denoiser takes known frames (the fallback's case). */
const plain = (() => {
  const m = JSON.parse(readFileSync('public/models/kineto-shapes/manifest.json', 'utf8'));
  m.components.denoiser.inputs = m.components.denoiser.inputs.filter((t: { name: string }) => !t.name.startsWith('cond_'));
  delete m.presets.fast.known_frames_denoiser;
  delete m.conditioning;
  return m;
})();
const manifest = parseManifest(plain);
/** The same model with a denoiser trained on three of the masks (its conditioning inputs declared). */
const conditioned = (() => {
  const m = structuredClone(plain);
  m.components.denoiser.inputs.push(
    { name: 'cond_latents', dtype: 'float32', shape: ['batch', 4, '4*frames4', 16, 16] },
    { name: 'cond_mask', dtype: 'float32', shape: ['batch', 1, '4*frames4', 16, 16] },
  );
  m.conditioning = { masks: ['text_to_video', 'image_to_video', 'continue'], continue_max_known: 8 };
  return parseManifest(m);
})();

const rowsOf = (m: typeof manifest, s: StripStart, seconds: number) => {
  const plan = conditioningPlan(m.latent, conditioningFrames(seconds, m.defaults.fps), s);
  return conditioningRows(plan, plannedMethods(m, plan), s, m.name);
};
const roles = (cells: { role: string }[]) => cells.map((c) => c.role[0]).join('');

describe('Conditioning view model', () => {
  it('a 4-second clip from text: a window made from the prompt, then windows given the last 4 frames of the one before', () => {
    const rows = rowsOf(manifest, { start: 'text', givenFrames: 0 }, 4);
    expect(rows.map((r) => r.heading)).toEqual(['Window 1 of 3: 0 given, 16 made', 'Window 2 of 3: 4 given, 12 made', 'Window 3 of 3: 4 given, 4 made']);
    expect(rows.map((r) => roles(r.cells))).toEqual(['m'.repeat(16), `gggg${'m'.repeat(12)}`, 'ggggmmmm']);
    expect(rows[1]!.cells.map((c) => c.mask)).toEqual([1, 1, 1, 1, ...new Array(12).fill(0)]);
    // Strip frames: window 2 is given frames 12–15 (made by window 1) and makes 16–27.
    expect(rows[1]!.cells.map((c) => c.frame)).toEqual([12, 13, 14, 15, ...Array.from({ length: 12 }, (_, i) => 16 + i)]);
    expect(rows[2]!.cells.map((c) => c.frame)).toEqual([24, 25, 26, 27, 28, 29, 30, 31]);
    expect(rows.map((r) => r.method)).toEqual(['none', 'replacement', 'replacement']);
    expect(rows[0]!.sentences[0]).toBe('Nothing was given: the model made all 16 frames (frames 1–16) from the prompt alone, as in an ordinary clip.');
    expect(rows[1]!.sentences[0]).toBe('The model was given frames 13–16 (made by window 1) and made 12 new frames (frames 17–28).');
    expect(rows[1]!.how).toMatch(/^How: Kineto-Shapes has no conditioning inputs for this mask, so Kineto used the training-free fallback/);
    expect(rows[0]!.how).toBeNull();
    expect(rows[1]!.methodLabel).toBe('Training-free fallback');
    expect(rows[1]!.cells[0]!.label).toBe('Frame 13, given: made by window 1. Mask 1.');
    expect(rows[1]!.cells[4]!.label).toBe('Frame 17, made. Mask 0.');
  });

  it('from an image: window 1 is given the picture as frame 1; a model trained on the masks reads them itself', () => {
    const rows = rowsOf(conditioned, { start: 'image', givenFrames: 0 }, 2);
    expect(rows).toHaveLength(1);
    expect(roles(rows[0]!.cells)).toBe(`g${'m'.repeat(15)}`);
    expect(rows[0]!.cells[0]).toMatchObject({ frame: 0, mask: 1 });
    expect(rows[0]).toMatchObject({ method: 'masked-conditioning', mask: 'image_to_video', methodLabel: "The model's conditioning inputs" });
    expect(rows[0]!.sentences).toEqual(['The model was given the picture (frame 1) and made 15 new frames (frames 2–16).']);
    expect(rows[0]!.how).toBe('How: Kineto-Shapes has conditioning inputs and was trained on this mask (“image_to_video”), so it reads the given frames and the mask at every step.');
  });

  it('after a clip: its frames lead the strip, and a window past the end makes extra frames that are dropped', () => {
    // 16 frames continued by 1 s (8 frames): one window of 4 given + 8 made, rounded up to 12 — no extra.
    const one = rowsOf(manifest, { start: 'clip', givenFrames: 16 }, 1);
    expect(roles(one[0]!.cells)).toBe(`gggg${'m'.repeat(8)}`);
    expect(one[0]!.cells.map((c) => c.frame)).toEqual([12, 13, 14, 15, ...Array.from({ length: 8 }, (_, i) => 16 + i)]);
    expect(one[0]!.sentences[0]).toBe('The model was given frames 13–16 (from the clip it continues) and made 8 new frames (frames 17–24).');
    const plan = conditioningPlan(manifest.latent, 18, { start: 'text', givenFrames: 0 });
    const rows = conditioningRows(plan, plannedMethods(manifest, plan), { start: 'text', givenFrames: 0 }, manifest.name);
    // 18 frames: 16, then 4 given + 2 made, rounded up to 8: 2 extra frames dropped.
    expect(roles(rows[1]!.cells)).toBe('ggggmmee');
    expect(rows[1]!.cells.slice(6).map((c) => [c.frame, c.mask])).toEqual([[null, 0], [null, 0]]);
    expect(rows[1]!.heading).toBe('Window 2 of 2: 4 given, 2 made, 2 dropped');
    expect(rows[1]!.sentences[1]).toBe('It also made 2 frames past the end of the clip, which were dropped: a window is made in whole blocks of frames.');
  });

  it('after a run: the windows it reports, with their method (a stopped run: those it made)', () => {
    const s: StripStart = { start: 'text', givenFrames: 0 };
    const plan = conditioningPlan(manifest.latent, 32, s);
    const rows = conditioningRows(plan, [{ method: 'none', mask: 'text_to_video' }, { method: 'masked-conditioning', mask: 'continue' }], s, 'M');
    expect(rows.map((r) => [r.heading, r.method, r.how?.slice(0, 40)])).toEqual([
      ['Window 1 of 3: 0 given, 16 made', 'none', undefined],
      ['Window 2 of 3: 4 given, 12 made', 'masked-conditioning', 'How: M has conditioning inputs and was t'],
    ]);
  });

  it('names seconds outside 1–8', () => {
    expect(secondsProblem(4)).toBeNull();
    expect(secondsProblem(0)).toBe('Seconds must be between 1 and 8 (got 0).');
    expect(secondsProblem(Number.NaN)).toBe('Seconds must be between 1 and 8 (got nothing).');
  });
});
