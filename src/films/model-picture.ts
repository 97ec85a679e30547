/**
 * A picture as the model sees it: drawn whole, letterboxed on black at the model's frame size, as one RGBA frame. The
 * Storyboard (a shot that starts from a picture) and Create (Start from an image) send this to the worker. Runs on
 * the page (createImageBitmap, OffscreenCanvas).
 */
import type { Frames } from '../engine/types';

export type ModelPicture = {
  frame: Frames;
  /** What was done to the picture to fit the model, as a sentence; null when it went in as it was. */
  changed: string | null;
};

export async function modelPicture(picture: Blob, size: { width: number; height: number }): Promise<ModelPicture> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(picture);
  } catch {
    throw new Error('That file is not a picture this browser can read: choose a PNG, JPEG or WebP image.');
  }
  try {
    const { width, height } = size;
    const scale = Math.min(width / bitmap.width, height / bitmap.height);
    const w = Math.max(1, Math.round(bitmap.width * scale));
    const h = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(width, height);
    const g = canvas.getContext('2d');
    if (!g) throw new Error('This browser cannot draw the picture (no 2D canvas).');
    g.fillStyle = '#000';
    g.fillRect(0, 0, width, height);
    g.drawImage(bitmap, Math.floor((width - w) / 2), Math.floor((height - h) / 2), w, h);
    const rgba = g.getImageData(0, 0, width, height).data;
    const parts: string[] = [];
    if (bitmap.width !== width || bitmap.height !== height) parts.push(`scaled from ${bitmap.width}×${bitmap.height} to ${w}×${h}`);
    if (w !== width || h !== height) parts.push(`letterboxed with black to the model's ${width}×${height}`);
    return { frame: { width, height, count: 1, rgba: [rgba] }, changed: parts.length ? `The picture was ${parts.join(' and ')}.` : null };
  } finally {
    bitmap.close();
  }
}

/** The picture of a data: URL (what a board keeps). */
export async function dataUrlBlob(url: string): Promise<Blob> {
  return (await fetch(url)).blob();
}
