/** The evaluation's detector must be right on ground-truth clips rendered by training/world.py. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPng } from '../../../src/cli/png';
import { analyseClip } from '../../../src/eval/detector';

type Label = { file: string; colour: string; shape: string; motion: string };
const dir = 'tests/fixtures/world/';
const readLabels = (d: string): Label[] => JSON.parse(readFileSync(d + 'labels.json', 'utf8'));
const labels = readLabels(dir);
const TRANSLATIONS = ['left', 'right', 'up', 'down', 'up-left', 'up-right', 'down-left', 'down-right'];
/** Every labelled ground-truth set: the random sample, the foley's bouncing clips, the other motions. */
const MOTION_DIRS = [dir, 'tests/fixtures/world-sound/', 'tests/fixtures/world-motions/'];

function frames(file: string, from = dir) {
  const strip = readPng(from + file);
  const n = strip.width / strip.height;
  const s = strip.height;
  return Array.from({ length: n }, (_, f) => {
    const out = new Uint8ClampedArray(s * s * 4);
    for (let y = 0; y < s; y++) out.set(strip.rgba.subarray((y * strip.width + f * s) * 4, (y * strip.width + f * s + s) * 4), y * s * 4);
    return out;
  });
}

describe('detector on ground-truth clips', () => {
  const results = labels.map((l) => ({ l, a: analyseClip(frames(l.file), 64, 64) }));

  it('finds colour, shape and coherence of every clip', () => {
    for (const { l, a } of results) {
      expect.soft(a.colour, `${l.file} colour`).toBe(l.colour);
      expect.soft(a.shape, `${l.file} shape (compactness ${a.compactness?.toFixed(3)})`).toBe(l.shape);
      expect.soft(a.coherent, `${l.file}: ${a.incoherence}`).toBe(true);
    }
  });

  it('finds the direction of every translating or still clip', () => {
    const moving = results.filter(({ l }) => TRANSLATIONS.includes(l.motion) || l.motion === 'still');
    expect(moving.length).toBeGreaterThan(8);
    for (const { l, a } of moving) expect.soft(a.direction, l.file).toBe(l.motion);
  });

  it('finds the motion of every labelled clip, every motion of the world several times', () => {
    const all = MOTION_DIRS.flatMap((d) => readLabels(d).map((l) => ({ l, name: d + l.file, a: analyseClip(frames(l.file, d), 64, 64) })));
    for (const motion of ['bouncing', 'growing', 'shrinking', 'spinning', 'still'])
      expect(all.filter(({ l }) => l.motion === motion).length, motion).toBeGreaterThanOrEqual(5);
    for (const { l, name, a } of all) {
      expect.soft(a.motion, name).toBe(l.motion);
      expect.soft([a.colour, a.shape, a.coherent], name).toEqual([l.colour, l.shape, true]);
    }
  });

  it('flags a clip whose object falls apart as incoherent', () => {
    const f = frames(labels[0]!.file);
    // Paint a second, far-away blob of the object colour into half the frames.
    for (const fr of f.slice(8)) for (let y = 0; y < 12; y++) for (let x = 0; x < 12; x++) fr.set([255, 255, 255, 255], ((y + 50) * 64 + x + 50) * 4);
    expect(analyseClip(f, 64, 64).coherent).toBe(false);
  });
});
