/**
 * The sound a Lab run sends with its summary (src/lab/lab-sound.ts), on onnxruntime-node with the shipped model: the
 * sound Create gives the same clip (the pipeline's frames through makeFoley), its level rising at the impacts, and
 * why a stopped run has none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelFromDisk } from '../../../src/cli/node-runtime';
import { defaultParams } from '../../../src/engine/params';
import { generateFrames } from '../../../src/engine/pipelines/text-to-video';
import type { LabSound } from '../../../src/lab/lab-sound';
import { handleLab, type LabContext } from '../../../src/lab/lab-worker';
import type { LoadedModel } from '../../../src/runtime/load-model';
import { makeFoley } from '../../../src/sound/foley';
import { levelCurve } from '../../../src/sound/level-curve';

let fast: LoadedModel;
beforeAll(async () => {
  const all = await loadModelFromDisk();
  fast = { ...all, ...(await all.forPreset('fast')) };
}, 120_000);
afterAll(() => fast?.release());

function context(signal = new AbortController().signal, onStep: LabContext['onStep'] = async () => {}): LabContext {
  return { manifest: fast.manifest, models: fast.models, signal, onStage: () => {}, onStep, withEncoder: async () => fast.models };
}

describe('the sound of a Lab run', () => {
  it('is the sound Create gives the same clip, and its level rises at each impact', async () => {
    const params = defaultParams(fast.manifest, 'a large red circle bouncing on a black background', 1, 'fast');
    const { summary } = await handleLab({ type: 'lab-run', params }, context());
    if ('problem' in summary.sound) throw new Error(summary.sound.problem);
    const sound: LabSound = summary.sound;

    const { frames } = await generateFrames(fast.manifest, fast.models, params, { preview: 'none' });
    const create = makeFoley(frames.rgba, frames.width, frames.height, { fps: params.fps, seed: params.seed, trackObject: true });
    expect(sound.events).toEqual(create.events);
    expect(sound.level).toEqual(levelCurve(create.pcm));
    expect(sound).toMatchObject({ durationSeconds: params.frames / params.fps, follows: 'object', shape: 'circle' });
    expect(sound.level.db).toHaveLength(Math.round(sound.durationSeconds / sound.level.hopSeconds) + 1);
    expect(sound.loudnessLufs).toBeGreaterThan(-30);
    expect(sound.loudnessLufs).toBeLessThan(-6);

    // A bouncing clip: the object moves throughout and strikes; each strike is heard as a rise of the level within
    // one frame of it, against the level just before it.
    expect(sound.events.filter((e) => e.kind === 'movement').reduce((s, e) => s + ('toSeconds' in e ? e.toSeconds - e.fromSeconds : 0), 0)).toBeGreaterThan(1.5);
    const impacts = sound.events.flatMap((e) => (e.kind === 'impact' ? [e.seconds] : []));
    expect(impacts.length).toBeGreaterThan(0);
    const { db, hopSeconds } = sound.level;
    const at = (from: number, to: number) => db.filter((_, i) => i * hopSeconds >= from && i * hopSeconds <= to);
    for (const t of impacts) {
      const before = Math.max(...at(t - 1 / params.fps, t - sound.level.windowSeconds));
      const after = Math.max(...at(t, t + 1 / params.fps));
      expect(after - before, `impact at ${t} s`).toBeGreaterThanOrEqual(2);
    }
  }, 120_000);

  it('says why a run stopped before its last step has none', async () => {
    const stop = new AbortController();
    const params = defaultParams(fast.manifest, 'a small blue square moving up on a white background', 2, 'fast');
    const { summary } = await handleLab({ type: 'lab-run', params }, context(stop.signal, async () => stop.abort()));
    expect(summary.stopped).toBe(true);
    expect(summary.sound).toEqual({ problem: 'The run stopped before the clip was finished, so it has no sound.' });
  }, 120_000);
});
