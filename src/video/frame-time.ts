/**
 * Frames and times in a video of constant frame rate: frame i is on screen from i/fps until (i + 1)/fps. Pure; the
 * result's frame picker and the worker's frame reader agree through it on which frame a time shows.
 */

/** The frame (from 0, at most `count` − 1) on screen at `seconds`. */
export function frameAtTime(seconds: number, fps: number, count: number): number {
  if (!(count >= 1) || !(fps > 0) || !Number.isFinite(seconds)) return 0;
  // The epsilon keeps a time computed as i / fps (0.375 × 8 = 2.9999…) on frame i, not on the one before.
  const frame = Math.floor(seconds * fps + 1e-6);
  return Math.min(count - 1, Math.max(0, frame));
}

/** The middle of frame `frame`'s time on screen: a time that shows it however the player or decoder rounds. */
export function frameMidTime(frame: number, fps: number): number {
  return (frame + 0.5) / fps;
}
