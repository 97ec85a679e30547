/**
 * The frames Live holds, by stream frame number (live-clock.ts numbers them from 0). Only what the stream still needs
 * is kept: the frames not shown yet, and the last few before them that the next window continues from — a prompt edit
 * may cut the stream right after the frame on screen, so those reach back from there. Everything older is let go as
 * playback moves on, so memory stays flat however long Live runs. A recording holds its own references.
 */

/** One made frame, with what the schedule and a recording need to know of it. */
export type LiveFrame = {
  rgba: Uint8ClampedArray;
  /** The rate it plays at: the model's, or twice that with Smooth motion. */
  fps: number;
  prompt: string;
  /** The window (live-clock.ts `WindowAsk.id`) that made it. */
  window: number;
  /** Its share of the seconds its window took to make. */
  makeSeconds: number;
};

export type LiveFrames = {
  /** Frames `first`, `first + 1`, … of one window. */
  add(first: number, rgba: readonly Uint8ClampedArray[], meta: Omit<LiveFrame, 'rgba'>): void;
  get(frame: number): LiveFrame | undefined;
  /** Lets go of frame `frame` and every later one (dropped unseen by a prompt edit). */
  dropFrom(frame: number): void;
  /** Lets go of every frame before `frame`. */
  releaseBefore(frame: number): void;
  /**
   * The frames a window continuing before frame `from` knows: up to `count` of the last ones, one model frame time
   * (1 / `baseFps`) apart — every other frame where Smooth motion doubled the rate — oldest first.
   */
  known(from: number, count: number, baseFps: number): number[];
  readonly size: number;
  clear(): void;
};

/** Frame times are sums of 1/fps: equal up to rounding. */
const EPSILON = 1e-6;

/**
 * How many frames before the frame on screen the stream may still need: `knownFrames` model frames reach back that
 * many frames at the model's rate, twice as many where Smooth motion doubled it.
 */
export function framesToKeepBehind(knownFrames: number, smooth: boolean): number {
  return knownFrames * (smooth ? 2 : 1);
}

export function createLiveFrames(): LiveFrames {
  const frames = new Map<number, LiveFrame>();
  return {
    add(first, rgba, meta) {
      rgba.forEach((f, i) => frames.set(first + i, { ...meta, rgba: f }));
    },
    get: (frame) => frames.get(frame),
    dropFrom(frame) {
      for (const k of frames.keys()) if (k >= frame) frames.delete(k);
    },
    releaseBefore(frame) {
      for (const k of frames.keys()) if (k < frame) frames.delete(k);
    },
    known(from, count, baseFps) {
      const period = 1 / baseFps;
      const picked: number[] = [];
      let f = from - 1;
      while (picked.length < count && frames.has(f)) {
        picked.unshift(f);
        // Back one model frame time: over one frame at the model's rate, two at Smooth motion's.
        let t = 0;
        do {
          f--;
          const frame = frames.get(f);
          if (!frame) break;
          t += 1 / frame.fps;
        } while (t < period - EPSILON);
      }
      return picked;
    },
    get size() {
      return frames.size;
    },
    clear: () => frames.clear(),
  };
}
