/** The continuity evaluation's pure scoring on synthetic tracks: seam jumps, monotone paths, windows that hold. */
import { describe, expect, it } from 'vitest';
import type { WindowReport } from '../../../src/engine/continuation';
import {
  holding, isMonotonePath, type Point, psnr, SEAM_SLACK, SEAM_STEP_FACTOR, seamFrames, seamSteps, windowShows, windowSpans,
} from '../../../src/eval/continuity-score';
import type { ClipAnalysis } from '../../../src/eval/detector';

const along = (xs: number[], y = 32): Point[] => xs.map((x) => ({ x, y }));

describe('seamSteps', () => {
  // 24 frames moving 2 px per frame; a seam at frame 16 (a window's first new frame).
  const steady = Array.from({ length: 24 }, (_, i) => 10 + 2 * i);

  it('limits the step across a seam to 3 × the median step inside windows + 4 % of the width', () => {
    const [seam] = seamSteps(along(steady), [16], 64);
    expect(seam).toMatchObject({ frame: 16, step: 2, jump: false });
    expect(seam!.limit).toBeCloseTo(SEAM_STEP_FACTOR * 2 + SEAM_SLACK * 64, 9);
  });

  it('finds a jump only where the step crosses the limit, and ignores the seam step in the median', () => {
    const jumpTo = (d: number) => steady.map((x, i) => (i >= 16 ? x + d : x));
    // Limit 6 + 2.56 = 8.56 px: a step of 2 + 6.5 px passes, 2 + 6.6 does not.
    expect(seamSteps(along(jumpTo(6.5)), [16], 64)[0]!.jump).toBe(false);
    expect(seamSteps(along(jumpTo(6.6)), [16], 64)[0]!.jump).toBe(true);
    // A still object (median step 0) may move 4 % of the frame at a seam, not more.
    const still = new Array<number>(24).fill(30);
    expect(seamSteps(along(still.map((x, i) => (i >= 16 ? x + 2.5 : x))), [16], 64)[0]!.jump).toBe(false);
    expect(seamSteps(along(still.map((x, i) => (i >= 16 ? x + 2.7 : x))), [16], 64)[0]!.jump).toBe(true);
  });

  it('counts a seam with no object on one side as a jump, and scores every seam', () => {
    const centres: (Point | null)[] = along(steady);
    centres[16] = null;
    const seams = seamSteps(centres, [8, 16], 64);
    expect(seams.map((s) => s.jump)).toEqual([false, true]);
    expect(seams[1]!.step).toBe(Infinity);
  });
});

describe('isMonotonePath', () => {
  it('accepts a path that runs one way, diagonally too, with jitter within the tolerance', () => {
    expect(isMonotonePath(along([10, 12, 14, 16, 18, 20]), 1)).toBe(true);
    expect(isMonotonePath([0, 1, 2, 3, 4].map((i) => ({ x: 10 + 3 * i, y: 50 - 3 * i })), 1)).toBe(true);
    expect(isMonotonePath(along([10, 12, 11.2, 14, 16]), 1)).toBe(true);
  });

  it('rejects a path that turns back further than the tolerance, or loses the object', () => {
    expect(isMonotonePath(along([10, 14, 18, 16.5, 20, 22]), 1)).toBe(false);
    expect(isMonotonePath([...along([10, 12]), null, ...along([16, 18])], 1)).toBe(false);
  });

  it('holds a path whose ends coincide to staying near its start', () => {
    expect(isMonotonePath(along([20, 20.5, 19.6, 20]), 1)).toBe(true);
    expect(isMonotonePath(along([20, 25, 30, 25, 20]), 1)).toBe(false);
  });
});

describe('holding', () => {
  const analysis = (colour: string, shape: string, motion: ClipAnalysis['motion']): ClipAnalysis => ({
    colour, shape, motion, direction: null, coherent: true, incoherence: null, compactness: null, lobes: null,
  });

  it('gives the share of windows keeping colour, shape and motion', () => {
    const windows = [analysis('red', 'circle', 'spinning'), analysis('red', 'square', 'spinning'), analysis('orange', 'circle', 'still'), analysis('red', 'circle', null)];
    expect(holding(windows, { colour: 'red', shape: 'circle', motion: 'spinning' })).toEqual({ windows: 4, colour: 0.75, shape: 0.75, motion: 0.5 });
  });

  it('lets a bouncing window be a straight stretch left or right between walls, nothing else', () => {
    expect(['bouncing', 'left', 'right', 'up', 'still', null].map((m) => windowShows('bouncing', m))).toEqual([true, true, true, false, false, false]);
    expect(windowShows('spinning', 'left')).toBe(false);
  });
});

describe('windowSpans and seamFrames', () => {
  const report = (index: number, known: number, wrote: [number, number] | null): WindowReport => ({
    stage: 'clip', index, seed: index, frames: 16, mask: null, method: known ? 'replacement' : 'none', wrote, seconds: 0,
    known: Array.from({ length: known }, (_, p) => ({ position: p, from: index ? 'previous-window' : 'start', index: 12 + p })),
  });

  it('judges each window on the frames it wrote and the ones it took from the window before', () => {
    // A 13 s clip at 8 fps: 16 frames, then windows of 4 known + 12 new, the last writing 4.
    const reports = [report(0, 0, [0, 15]), report(1, 4, [16, 27]), report(2, 4, [28, 39]), report(3, 4, [40, 43])];
    expect(windowSpans(reports)).toEqual([[0, 15], [12, 27], [24, 39], [36, 43]]);
    expect(seamFrames(reports)).toEqual([16, 28, 40]);
  });

  it('does not count a clip\'s start frames (a previous clip) inside its first window', () => {
    expect(windowSpans([report(0, 4, [0, 11])])).toEqual([[0, 11]]);
  });
});

it('psnr: infinite for equal frames, 20·log10(255 / error) for a uniform error, alpha ignored', () => {
  const a = new Uint8ClampedArray(64).fill(100);
  const b = a.map((v, i) => (i % 4 === 3 ? 0 : v + 10));
  expect(psnr(a, a)).toBe(Infinity);
  expect(psnr(a, b)).toBeCloseTo(20 * Math.log10(255 / 10), 9);
});
