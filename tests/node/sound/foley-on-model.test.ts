/**
 * Foley of clips the shipped model makes (Kineto-Shapes, Fast preset, onnxruntime-node): the same measurements as
 * tests/unit/foley.test.ts, now on the model's own blobs and trajectories rather than clean renders.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelFromDisk } from '../../../src/cli/node-runtime';
import { analyseClip, atWorldSize, trackObject } from '../../../src/eval/detector';
import { defaultParams } from '../../../src/engine/params';
import { generateFrames } from '../../../src/engine/pipelines/text-to-video';
import type { LoadedModel, PresetRun } from '../../../src/runtime/load-model';
import { type Foley, makeFoley } from '../../../src/sound/foley';
import { integratedLoudness, rmsDb } from '../../../src/sound/loudness';
import { truePeakDb } from '../../../src/sound/true-peak';
import { balancePerFrame, matched, onsetTimes, pearson } from '../../sound-measure';

const SEEDS = [1, 2, 3];
let model: LoadedModel;
let fast: PresetRun;
beforeAll(async () => {
  model = await loadModelFromDisk();
  fast = await model.forPreset('fast');
}, 120_000);
afterAll(() => model.release());

/** `frames` at the world's 64 px (the model draws 128: box-averaged down), as the detector judges them. */
type Clip = { prompt: string; seed: number; frames: Uint8ClampedArray[]; fps: number; foley: Foley };

async function clips(prompts: string[]): Promise<Clip[]> {
  const out: Clip[] = [];
  for (const prompt of prompts) {
    for (const seed of SEEDS) {
      const params = defaultParams(fast.manifest, prompt, seed, fast.preset);
      const { frames } = await generateFrames(fast.manifest, fast.models, params, { preview: 'none' });
      const foley = makeFoley(frames.rgba, frames.width, frames.height, { fps: params.fps, seed, trackObject: true });
      out.push({ prompt, seed, frames: atWorldSize(frames).rgba, fps: params.fps, foley });
    }
  }
  return out;
}

const loudness = (f: Foley) => integratedLoudness([f.pcm.left, f.pcm.right]);
const label = (c: Clip) => `"${c.prompt}" seed ${c.seed}`;

describe('foley of the shipped model’s clips', () => {
  it('sounds a blow within one frame of ≥ 90 % of the bounces the detector finds', async () => {
    const bouncing = await clips([
      'a large red circle bouncing on a black background',
      'a small blue square bouncing back and forth on a white background',
      'a large green triangle bouncing on a gray gradient background',
      'a small yellow star bouncing on a teal gradient background',
    ]);
    const found: boolean[] = [];
    for (const c of bouncing) {
      // The clip ends 2 s in: a bounce in its last frame has no time to be heard.
      const detected = c.foley.cues.impacts.map((i) => i.frame / c.fps).filter((t) => t < (c.frames.length - 1) / c.fps);
      found.push(...matched(detected, onsetTimes(c.foley.pcm), 1 / c.fps));
      expect(truePeakDb([c.foley.pcm.left, c.foley.pcm.right]), label(c)).toBeLessThanOrEqual(-1);
    }
    // The model bounces in most of these clips; the detector must find enough bounces for the rate to mean something.
    expect(found.length).toBeGreaterThanOrEqual(8);
    expect(found.filter(Boolean).length / found.length).toBeGreaterThanOrEqual(0.9);
  }, 120_000);

  it('pans a left→right clip with the object: balance per frame correlates with its x (r ≥ 0.8)', async () => {
    const sideways = await clips(['a small orange circle moving right on a teal gradient background', 'a large red square moving left on a black background']);
    for (const c of sideways) {
      const track = trackObject(c.frames, 64, 64)!;
      const x = track.samples.map((s) => s?.cx ?? NaN);
      expect(x.every(Number.isFinite), label(c)).toBe(true);
      expect(pearson(balancePerFrame(c.foley.pcm, c.fps, c.frames.length), x), label(c)).toBeGreaterThanOrEqual(0.8);
    }
  }, 120_000);

  it('puts steady motion at -16 ± 2 LUFS and a resting object at least 20 dB (RMS) below it', async () => {
    // The clips the detector follows: one where the model drew no object has only its texture to hear.
    const steady = (await clips([
      'a small orange circle moving right on a teal gradient background',
      'a large purple star moving down on a white background',
      'a small green triangle moving up on a black background',
    ])).filter((c) => analyseClip(c.frames, 64, 64).coherent);
    expect(steady.length).toBeGreaterThanOrEqual(6);
    for (const c of steady) expect(Math.abs(loudness(c.foley) + 16), `${label(c)}: ${loudness(c.foley).toFixed(1)} LUFS`).toBeLessThanOrEqual(2);
    const rms = (c: Clip) => rmsDb([c.foley.pcm.left, c.foley.pcm.right]);
    const quietestSteady = Math.min(...steady.map(rms));
    // The model does not always hold a resting object still: the clips the detector calls still are the still ones.
    const resting = await clips(['a large purple square resting on a black background', 'a small red circle resting on a white background']);
    const still = resting.filter((c) => analyseClip(c.frames, 64, 64).direction === 'still');
    expect(still.length).toBeGreaterThanOrEqual(3);
    for (const c of still) expect(quietestSteady - rms(c), `${label(c)}: ${rms(c).toFixed(1)} dBFS`).toBeGreaterThanOrEqual(20);
  }, 120_000);
});

describe('npm run generate', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'kineto-cli-sound-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const generate = (dir: string, ...extra: string[]) =>
    execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/generate.ts', '--prompt', 'a large red circle bouncing on a black background', '--seed', '2', '--out', dir, ...extra], { encoding: 'utf8', stdio: 'pipe' });

  it('writes sound.wav beside the frames and lists the sound’s events in generation.json', () => {
    const dir = path.join(out, 'with');
    generate(dir);
    const probe = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,channels,sample_rate:format=duration', '-of', 'json', path.join(dir, 'sound.wav')], { encoding: 'utf8' });
    const { streams, format } = JSON.parse(probe) as { streams: { codec_name: string; channels: number; sample_rate: string }[]; format: { duration: string } };
    expect(streams[0]).toMatchObject({ codec_name: 'pcm_s16le', channels: 2, sample_rate: '48000' });
    expect(Number(format.duration)).toBeCloseTo(2, 3); // 16 frames at 8 fps
    const report = JSON.parse(readFileSync(path.join(dir, 'generation.json'), 'utf8'));
    expect(report.sound).toMatchObject({ file: 'sound.wav', follows: 'object' });
    expect(report.sound.truePeakDb).toBeLessThanOrEqual(-1);
    expect(report.sound.events.some((e: { kind: string }) => e.kind === 'impact')).toBe(true);
  }, 60_000);

  it('skips the sound with --no-sound', () => {
    const dir = path.join(out, 'without');
    generate(dir, '--no-sound');
    expect(existsSync(path.join(dir, 'frame-015.png'))).toBe(true);
    expect(existsSync(path.join(dir, 'sound.wav'))).toBe(false);
    expect(JSON.parse(readFileSync(path.join(dir, 'generation.json'), 'utf8')).sound).toBeNull();
  }, 60_000);
});
