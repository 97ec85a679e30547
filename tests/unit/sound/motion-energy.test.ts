/** Motion-energy cues: for clips with no object to follow, on Kineto-Shapes clips where the truth is known. */
import { describe, expect, it } from 'vitest';
import { cuesFromMotionEnergy, ENERGY_REFERENCE } from '../../../src/sound/motion-energy';
import { pearson, readLabels, readStrip } from '../../sound-measure';

type Label = { file: string; motion: string; x0: number; speed: string };
const WORLD = 'tests/fixtures/world';
const TRANSLATIONS = ['left', 'right', 'up', 'down', 'up-left', 'up-right', 'down-left', 'down-right'];
const labels = readLabels<Label>(WORLD);
const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, v) => a + v, 0) / xs.length;

function cues(file: string) {
  const { frames, size } = readStrip(`${WORLD}/${file}`);
  return cuesFromMotionEnergy(frames, size, size, 8);
}

describe('cuesFromMotionEnergy', () => {
  it('calibrates level 1 to the median straight-line clip, as ENERGY_REFERENCE says', () => {
    const levels = labels.filter((l) => TRANSLATIONS.includes(l.motion)).map((l) => mean(cues(l.file).motion)).sort((a, b) => a - b);
    const median = levels[levels.length >> 1]!;
    expect(median).toBeGreaterThan(0.8);
    expect(median).toBeLessThan(1.25);
    expect(ENERGY_REFERENCE).toBeGreaterThan(0);
  });

  it('is silent (level 0) for still clips and hears movement in every moving one', () => {
    for (const l of labels) {
      const level = mean(cues(l.file).motion);
      if (l.motion === 'still') expect(level, l.file).toBe(0);
      else expect(level, l.file).toBeGreaterThan(0.1);
    }
  });

  it('follows where the change is: x rises with a rightward object, falls with a leftward one', () => {
    for (const l of labels.filter((x) => x.motion === 'right' || x.motion === 'left')) {
      const c = cues(l.file);
      const r = pearson(Array.from(c.x), Array.from(c.x, (_, i) => i));
      expect(r * (l.motion === 'right' ? 1 : -1), l.file).toBeGreaterThan(0.95);
      // Near the object's start: x0 is its centre at frame 0.
      expect(Math.abs(c.x[0]! - l.x0 / 64), l.file).toBeLessThan(0.08);
    }
  });

  it('samples large frames on a grid and still sees a moving bar', () => {
    const size = 512;
    const frames = Array.from({ length: 4 }, (_, f) => {
      const out = new Uint8ClampedArray(size * size * 4);
      for (let y = 0; y < size; y++) for (let x = 100 + 40 * f; x < 140 + 40 * f; x++) out.fill(255, (y * size + x) * 4, (y * size + x) * 4 + 3);
      return out;
    });
    const c = cuesFromMotionEnergy(frames, size, size, 8);
    expect(Math.min(...c.motion)).toBeGreaterThan(0);
    expect(c.x[3]!).toBeGreaterThan(c.x[0]!);
    expect(c).toMatchObject({ source: 'motion', shape: null, impacts: [] });
  });
});
