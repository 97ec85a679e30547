/** src/video/frame-time.ts: which frame a playback time shows, and the time that shows a frame. */
import { describe, expect, it } from 'vitest';
import { frameAtTime, frameMidTime } from '../../../src/video/frame-time';

describe('frameAtTime', () => {
  it('is the frame whose span holds the time, its first instant included', () => {
    expect(frameAtTime(0, 8, 16)).toBe(0);
    expect(frameAtTime(0.124, 8, 16)).toBe(0);
    expect(frameAtTime(0.125, 8, 16)).toBe(1);
    // 3 / 8 in floating point is a hair under 0.375 × 8 = 3: still frame 3.
    expect(frameAtTime(3 / 8, 8, 16)).toBe(3);
    expect(frameAtTime(1.99, 16, 32)).toBe(31);
  });

  it('stays inside the clip: the end of a looping player and odd times give its last or first frame', () => {
    expect(frameAtTime(2, 8, 16)).toBe(15);
    expect(frameAtTime(5, 8, 16)).toBe(15);
    expect(frameAtTime(-1, 8, 16)).toBe(0);
    expect(frameAtTime(Number.NaN, 8, 16)).toBe(0);
    expect(frameAtTime(1, 0, 16)).toBe(0);
    expect(frameAtTime(1, 8, 0)).toBe(0);
  });
});

describe('frameMidTime', () => {
  it('is inside the frame, away from both edges, and frameAtTime reads it back', () => {
    expect(frameMidTime(0, 8)).toBe(0.0625);
    for (const fps of [8, 16, 24, 30]) for (let i = 0; i < 64; i++) expect(frameAtTime(frameMidTime(i, fps), fps, 64)).toBe(i);
  });
});
