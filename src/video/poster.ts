/**
 * A poster still for a finished clip: its middle frame, resampled like the video itself (resize.ts) to at most
 * POSTER_SIZE on its longest side and compressed to JPEG with OffscreenCanvas. It runs in the worker on the frames
 * the run already holds, so keeping a clip in the Library never decodes the video again.
 */
import { resizeRgba } from './resize';

/** Longest side of a poster, in pixels: sharp in a 2-column phone grid, small in storage (a few KB). */
export const POSTER_SIZE = 192;
const POSTER_QUALITY = 0.8;

/** The poster's size for a clip of `width`×`height`: the same shape, longest side POSTER_SIZE at most. */
export function posterSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, POSTER_SIZE / Math.max(width, height, 1));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Which frame of `count` stands for the clip: the middle one. */
export function posterFrameIndex(count: number): number {
  return Math.max(0, Math.floor((count - 1) / 2));
}

/**
 * The poster of RGBA `frames` (each `width`×`height`) for a video of `videoWidth`×`videoHeight`, as a JPEG Blob;
 * null when there are no frames or this browser has no OffscreenCanvas JPEG encoder (the grid shows a placeholder).
 */
export async function makePoster(
  frames: readonly Uint8ClampedArray[],
  width: number,
  height: number,
  videoWidth: number,
  videoHeight: number,
): Promise<Blob | null> {
  const frame = frames[posterFrameIndex(frames.length)];
  if (!frame || typeof OffscreenCanvas === 'undefined') return null;
  const size = posterSize(videoWidth, videoHeight);
  const canvas = new OffscreenCanvas(size.width, size.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.putImageData(new ImageData(resizeRgba(frame, width, height, size.width, size.height), size.width, size.height), 0, 0);
  return canvas.convertToBlob({ type: 'image/jpeg', quality: POSTER_QUALITY }).catch(() => null);
}
