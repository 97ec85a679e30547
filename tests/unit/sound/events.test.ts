/**
 * Cues from the tracked object, measured against the ground truth of clips rendered by training/world.py: spin and
 * growth rates, bounce times, silence where nothing happens, and a wall met head-on.
 */
import { describe, expect, it } from 'vitest';
import { trackObject } from '../../../src/eval/detector';
import { cuesFromTrack } from '../../../src/sound/events';
import { readLabels, readStrip } from '../../sound-measure';

type Label = { file: string; shape: string; size: string; motion: string; speed: string; x0: number; bounces?: number[] };
const WORLD = 'tests/fixtures/world';
const BOUNCING = 'tests/fixtures/world-sound';
const FPS = 8;

function cues(dir: string, l: Label) {
  const { frames, size } = readStrip(`${dir}/${l.file}`);
  const track = trackObject(frames, size, size);
  expect(track?.coherent, l.file).toBe(true);
  return cuesFromTrack(track!, size, size, FPS);
}

const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, v) => a + v, 0) / xs.length;
const world = readLabels<Label>(WORLD);

describe('cuesFromTrack on ground-truth clips', () => {
  it('measures the spin rate of every spinning clip (world: 0.12 or 0.3 rad per frame) within 10 %', () => {
    const spinning = world.filter((l) => l.motion === 'spinning');
    expect(spinning.length).toBeGreaterThanOrEqual(3);
    for (const l of spinning) {
      const expected = (l.speed === 'slow' ? 0.12 : 0.3) * FPS;
      const measured = mean(cues(WORLD, l).spin);
      expect(Math.abs(measured - expected) / expected, `${l.file}: ${measured.toFixed(2)} rad/s`).toBeLessThan(0.1);
    }
  });

  it('hears growth and shrinking with the right sign and rate (world: radius ×0.75→1.25 over 15 frames when slow)', () => {
    for (const l of world.filter((x) => x.motion === 'growing' || x.motion === 'shrinking')) {
      const c = cues(WORLD, l);
      const sign = l.motion === 'growing' ? 1 : -1;
      // d ln r / dt: slow ln(1.25 / 0.75) over 15 frames; fast ln(1.5 / 0.5).
      const expected = (Math.log(l.speed === 'slow' ? 1.25 / 0.75 : 3) / 15) * FPS;
      const measured = sign * mean(c.growth.subarray(3, 13));
      expect(Math.abs(measured - expected) / expected, `${l.file}: ${measured.toFixed(3)}/s`).toBeLessThan(0.25);
    }
  });

  it('finds no impact, spin or growth in straight-line and still clips, and motion only in the moving ones', () => {
    for (const l of world.filter((x) => !['spinning', 'growing', 'shrinking'].includes(x.motion))) {
      const c = cues(WORLD, l);
      expect(c.impacts, l.file).toEqual([]);
      expect(c.spin.every((w) => w === 0), l.file).toBe(true);
      expect(c.growth.every((g) => g === 0), l.file).toBe(true);
      if (l.motion === 'still') expect(Math.max(...c.motion), l.file).toBe(0);
      else expect(mean(c.motion), l.file).toBeGreaterThan(0.5);
    }
  });

  it('makes motion proportional to speed: fast clips twice the level of slow ones', () => {
    const byspeed = (speed: string) => mean(world.filter((l) => ['left', 'right', 'up', 'down'].includes(l.motion) && l.speed === speed).map((l) => mean(cues(WORLD, l).motion)));
    expect(byspeed('fast') / byspeed('slow')).toBeCloseTo(2, 1);
  });

  it('times every bounce the tracker can see within half a frame of the true wall contact, and calls it a wall', () => {
    const visible: { file: string; truth: number; found: number | null; wall: boolean }[] = [];
    for (const l of readLabels<Label>(BOUNCING)) {
      const c = cues(BOUNCING, l);
      // A bounce needs a frame step on each side to be seen as a reversal.
      for (const truth of l.bounces!.filter((t) => t >= 1 && t <= 14)) {
        const hit = c.impacts.find((i) => Math.abs(i.frame - truth) < 1.5);
        visible.push({ file: l.file, truth, found: hit?.frame ?? null, wall: hit?.wall ?? false });
      }
      expect(c.impacts.length, `${l.file}: no impact where none happened`).toBeLessThanOrEqual(l.bounces!.length);
    }
    expect(visible.length).toBeGreaterThanOrEqual(16);
    for (const v of visible) {
      expect(v.found, `${v.file} bounce at ${v.truth.toFixed(2)}`).not.toBeNull();
      expect(Math.abs(v.found! - v.truth), `${v.file} bounce at ${v.truth.toFixed(2)}`).toBeLessThan(0.5);
    }
    expect(visible.filter((v) => v.wall).length / visible.length).toBeGreaterThanOrEqual(0.9);
  });
});

describe('cuesFromTrack on a synthetic track', () => {
  const sample = (cx: number) => ({ cx, cy: 32, area: 100, box: { minX: Math.round(cx - 5), maxX: Math.round(cx + 5), minY: 27, maxY: 37 }, angle: null, colour: 'red' });

  it('strikes when the object runs into the frame edge and stops there', () => {
    // Moves right 3 px per frame until its right edge is the frame's last pixel, then rests.
    const xs = Array.from({ length: 16 }, (_, i) => Math.min(20 + 3 * i, 58));
    const c = cuesFromTrack({ shape: 'square', colour: 'red', coherent: true, samples: xs.map(sample) }, 64, 64, FPS);
    const arrival = xs.findIndex((x) => x === 58);
    expect(c.impacts).toHaveLength(1);
    expect(c.impacts[0]).toMatchObject({ frame: arrival, wall: true });
    expect(c.impacts[0]!.x).toBeCloseTo(58 / 64, 3);
  });

  it('fills frames where the object was lost by interpolation, so a lost frame makes no impact', () => {
    const samples = Array.from({ length: 16 }, (_, i) => (i === 7 ? null : sample(10 + 2 * i)));
    const c = cuesFromTrack({ shape: 'circle', colour: 'red', coherent: true, samples }, 64, 64, FPS);
    expect(c.impacts).toEqual([]);
    expect(c.x[7]).toBeCloseTo(24 / 64, 5);
  });
});
