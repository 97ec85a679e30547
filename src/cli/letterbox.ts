/**
 * An image of any size and aspect made into one frame of the model's size: scaled to fit inside it (area average when
 * shrinking, bilinear when enlarging), centred on bars of the background colour, transparent pixels put over that
 * colour. Pure; returns what it had to change, in words, for the notice.
 */

/** RGBA pixels, row-major, 8 bits per channel. */
export type Rgba = { width: number; height: number; data: Uint8Array | Uint8ClampedArray };

/** Bars and transparent pixels become black: the darkest of the backgrounds the models we carry were trained on. */
export const BACKGROUND: readonly [number, number, number] = [0, 0, 0];

/** Scales `src` to `width` × `height` (aspect not kept: the caller picks a size that keeps it). */
export function resize(src: Rgba, width: number, height: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * height * 4);
  const sx = src.width / width;
  const sy = src.height / height;
  const px = (x: number, y: number, k: number) => src.data[(y * src.width + x) * 4 + k]!;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let k = 0; k < 4; k++) {
        let v: number;
        if (sx >= 1 && sy >= 1) {
          // Area average over the source rectangle this pixel covers, with fractional edges.
          const [x0, x1, y0, y1] = [x * sx, (x + 1) * sx, y * sy, (y + 1) * sy];
          let sum = 0;
          for (let j = Math.floor(y0); j < Math.ceil(y1); j++) {
            const wy = Math.min(j + 1, y1) - Math.max(j, y0);
            for (let i = Math.floor(x0); i < Math.ceil(x1); i++) sum += px(i, j, k) * wy * (Math.min(i + 1, x1) - Math.max(i, x0));
          }
          v = sum / (sx * sy);
        } else {
          // Bilinear between the four nearest source pixels (pixel centres aligned).
          const fx = Math.min(src.width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
          const fy = Math.min(src.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
          const [i, j] = [Math.floor(fx), Math.floor(fy)];
          const [i1, j1] = [Math.min(i + 1, src.width - 1), Math.min(j + 1, src.height - 1)];
          const [ax, ay] = [fx - i, fy - j];
          v = (px(i, j, k) * (1 - ax) + px(i1, j, k) * ax) * (1 - ay) + (px(i, j1, k) * (1 - ax) + px(i1, j1, k) * ax) * ay;
        }
        out[(y * width + x) * 4 + k] = v;
      }
  return out;
}

/** `src` fitted into `width` × `height`, opaque, and the changes made (empty when it was already that). */
export function letterbox(src: Rgba, width: number, height: number): { rgba: Uint8ClampedArray; changes: string[] } {
  const changes: string[] = [];
  const scale = Math.min(width / src.width, height / src.height);
  const w = Math.max(1, Math.min(width, Math.round(src.width * scale)));
  const h = Math.max(1, Math.min(height, Math.round(src.height * scale)));
  const scaled = w === src.width && h === src.height ? Uint8ClampedArray.from(src.data) : resize(src, w, h);
  if (w !== src.width || h !== src.height) changes.push(`resized from ${src.width}×${src.height} to ${w}×${h}`);
  if (w !== width || h !== height) {
    const where = w < width && h < height ? 'around it' : w < width ? 'left and right' : 'above and below';
    changes.push(`centred on ${width}×${height} with black bars ${where} (its aspect differs)`);
  }
  const out = new Uint8ClampedArray(width * height * 4);
  const [ox, oy] = [Math.floor((width - w) / 2), Math.floor((height - h) / 2)];
  let transparent = false;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const inside = x >= ox && x < ox + w && y >= oy && y < oy + h;
      const s = ((y - oy) * w + (x - ox)) * 4;
      const a = inside ? scaled[s + 3]! / 255 : 0;
      if (inside && a < 1) transparent = true;
      for (let k = 0; k < 3; k++) out[o + k] = (inside ? scaled[s + k]! * a : 0) + BACKGROUND[k]! * (1 - a);
      out[o + 3] = 255;
    }
  if (transparent) changes.push('its transparent pixels put over black');
  return { rgba: out, changes };
}
