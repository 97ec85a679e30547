/**
 * The foley of Kineto-Shapes ground-truth clips (training/world.py renders), measured from the sound itself: onsets
 * found in the audio against the bounces, the stereo balance against where the object is, loudness (BS.1770) against
 * the calibration, and the true peak against the limit.
 */
import { describe, expect, it } from 'vitest';
import { makeFoley } from '../../../src/sound/foley';
import { integratedLoudness, rmsDb } from '../../../src/sound/loudness';
import { samplesForFrames } from '../../../src/sound/pcm';
import { truePeakDb } from '../../../src/sound/true-peak';
import { balancePerFrame, matched, onsetTimes, pearson, readLabels, readStrip } from '../../sound-measure';

type Label = { file: string; shape: string; motion: string; speed: string; x0: number; bounces?: number[] };
const WORLD = 'tests/fixtures/world';
const BOUNCING = 'tests/fixtures/world-sound';
const FPS = 8;
const SPEEDS: Record<string, number> = { slow: 1, fast: 2 }; // px per frame (world.py)
const STEADY = ['left', 'right', 'up', 'down', 'up-left', 'up-right', 'down-left', 'down-right', 'spinning', 'growing', 'shrinking'];

function foley(dir: string, l: Label, trackObject = true, seed = 1) {
  const { frames, size } = readStrip(`${dir}/${l.file}`);
  return makeFoley(frames, size, size, { fps: FPS, seed, trackObject });
}

const world = readLabels<Label>(WORLD).map((l) => ({ l, f: foley(WORLD, l) }));
const bouncing = readLabels<Label>(BOUNCING).map((l) => ({ l, f: foley(BOUNCING, l) }));
const loudness = (pcm: { left: Float32Array; right: Float32Array }) => integratedLoudness([pcm.left, pcm.right]);

describe('foley of ground-truth clips', () => {
  it('sounds a blow within one frame of ≥ 90 % of the bounces the detector finds, and of the true wall contacts', () => {
    const found: boolean[] = [];
    const truth: boolean[] = [];
    let stray = 0;
    let onsets = 0;
    for (const { l, f } of bouncing) {
      const heard = onsetTimes(f.pcm);
      const detected = f.cues.impacts.map((i) => i.frame / FPS);
      found.push(...matched(detected, heard, 1 / FPS));
      truth.push(...matched(l.bounces!.filter((t) => t >= 1 && t <= 14).map((t) => t / FPS), heard, 1 / FPS));
      onsets += heard.length;
      stray += heard.filter((o) => !detected.some((t) => Math.abs(o - t) <= 1 / FPS)).length;
    }
    expect(found.length).toBeGreaterThanOrEqual(16);
    expect(found.filter(Boolean).length / found.length).toBeGreaterThanOrEqual(0.9);
    expect(truth.filter(Boolean).length / truth.length).toBeGreaterThanOrEqual(0.9);
    // And the blows are the impacts: few onsets anywhere else.
    expect(stray / onsets).toBeLessThanOrEqual(0.1);
  });

  it('hears no blow in clips where nothing strikes anything', () => {
    for (const { l, f } of world) expect(onsetTimes(f.pcm), l.file).toEqual([]);
  });

  it('pans with the object: left/right balance per frame correlates with its true x (r ≥ 0.8)', () => {
    const sideways = world.filter(({ l }) => l.motion === 'right' || l.motion === 'left');
    expect(sideways.length).toBeGreaterThanOrEqual(4);
    for (const { l, f } of sideways) {
      const x = Array.from({ length: 16 }, (_, t) => l.x0 + (l.motion === 'right' ? 1 : -1) * SPEEDS[l.speed]! * t);
      const r = pearson(balancePerFrame(f.pcm, FPS, 16), x);
      expect(r, `${l.file} (${l.motion})`).toBeGreaterThanOrEqual(0.8);
    }
  });

  it('measures -16 ± 2 LUFS for every clip with steady motion, and never exceeds -1 dBTP', () => {
    const steady = world.filter(({ l }) => STEADY.includes(l.motion));
    expect(steady.length).toBeGreaterThanOrEqual(20);
    for (const { l, f } of steady) expect(Math.abs(loudness(f.pcm) + 16), `${l.file} ${l.motion} ${l.speed}: ${loudness(f.pcm).toFixed(1)} LUFS`).toBeLessThanOrEqual(2);
    for (const { l, f } of [...world, ...bouncing]) expect(truePeakDb([f.pcm.left, f.pcm.right]), l.file).toBeLessThanOrEqual(-1);
  });

  it('keeps still clips at least 20 dB quieter (RMS) than the quietest steady one', () => {
    const rms = (f: (typeof world)[number]['f']) => rmsDb([f.pcm.left, f.pcm.right]);
    const steadyQuietest = Math.min(...world.filter(({ l }) => STEADY.includes(l.motion)).map(({ f }) => rms(f)));
    const still = world.filter(({ l }) => l.motion === 'still');
    expect(still.length).toBeGreaterThanOrEqual(3);
    for (const { l, f } of still) expect(steadyQuietest - rms(f), l.file).toBeGreaterThanOrEqual(20);
  });

  it('lasts exactly as long as the video and sounds the same for the same seed, different for another', () => {
    const { l, f } = world[0]!;
    expect(f.pcm.left.length).toBe(samplesForFrames(16, FPS));
    expect(f.pcm.right.length).toBe(f.pcm.left.length);
    expect(foley(WORLD, l).pcm).toEqual(f.pcm);
    const other = foley(WORLD, l, true, 2).pcm;
    expect(other.left).not.toEqual(f.pcm.left);
    // Another seed is other noise, not another level.
    expect(Math.abs(loudness(other) - loudness(f.pcm))).toBeLessThan(0.5);
  });

  it('lists the events: impacts at their time, runs of movement, spin, growth or stillness', () => {
    const bounce = bouncing[0]!;
    const impacts = bounce.f.events.filter((e) => e.kind === 'impact');
    expect(impacts.map((e) => e.seconds)).toEqual(bounce.f.cues.impacts.map((i) => Math.round((i.frame / FPS) * 1000) / 1000));
    const still = world.find(({ l }) => l.motion === 'still')!;
    expect(still.f.events).toEqual([{ kind: 'still', fromSeconds: 0, toSeconds: 2 }]);
    const spinning = world.find(({ l }) => l.motion === 'spinning')!;
    expect(spinning.f.events).toEqual([{ kind: 'spin', fromSeconds: 0, toSeconds: 2 }]);
    const growing = world.find(({ l }) => l.motion === 'growing')!;
    expect(growing.f.events.map((e) => e.kind)).toContain('growth');
  });
});

describe('foley from motion energy (any model)', () => {
  const energy = readLabels<Label>(WORLD).map((l) => ({ l, f: foley(WORLD, l, false) }));

  it('rises and falls with what moves: still clips stay 20 dB under moving ones, moving ones near the calibration', () => {
    const moving = energy.filter(({ l }) => l.motion !== 'still');
    const quietestMoving = Math.min(...moving.map(({ f }) => rmsDb([f.pcm.left, f.pcm.right])));
    for (const { l, f } of energy.filter(({ l }) => l.motion === 'still')) expect(quietestMoving - rmsDb([f.pcm.left, f.pcm.right]), l.file).toBeGreaterThanOrEqual(20);
    const levels = moving.map(({ f }) => loudness(f.pcm)).sort((a, b) => a - b);
    expect(Math.abs(levels[levels.length >> 1]! + 16)).toBeLessThanOrEqual(2);
    expect(energy.every(({ f }) => f.cues.source === 'motion' && f.cues.impacts.length === 0)).toBe(true);
  });

  it('pans with where the picture changes (r ≥ 0.8 against the object’s true x)', () => {
    for (const { l, f } of energy.filter(({ l }) => l.motion === 'right' || l.motion === 'left')) {
      const x = Array.from({ length: 16 }, (_, t) => l.x0 + (l.motion === 'right' ? 1 : -1) * SPEEDS[l.speed]! * t);
      expect(pearson(balancePerFrame(f.pcm, FPS, 16), x), l.file).toBeGreaterThanOrEqual(0.8);
    }
  });
});
