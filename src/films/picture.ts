/**
 * A picture chosen for a shot's start, as the data: URL the board keeps: scaled down to at most 512 px on its longer
 * side (the model's frames are smaller; a photo straight from a phone would not fit in the browser's storage) and
 * stored as JPEG. Runs on the page (createImageBitmap, OffscreenCanvas).
 */

/** The longest side a kept picture has, in pixels. */
export const PICTURE_MAX_SIDE = 512;

export async function pictureDataUrl(file: Blob): Promise<string> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error('That file is not a picture this browser can read: choose a PNG, JPEG or WebP image.');
  }
  try {
    const scale = Math.min(1, PICTURE_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('This browser cannot draw the picture (no 2D canvas).');
    ctx.drawImage(bitmap, 0, 0, width, height);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
    return await new Promise<string>((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as string);
      reader.onerror = () => reject(reader.error ?? new Error('The picture could not be read.'));
      reader.readAsDataURL(blob);
    });
  } finally {
    bitmap.close();
  }
}
