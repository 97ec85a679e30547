/** Synthetic clips for encoder tests: pure TS, shared by the test page, its worker and the Node-side assertions. */

/** Background and square colours, far apart in hue so a colour mix-up shows in the mean. */
export const BACKGROUND = [24, 40, 96] as const;
export const SQUARE = [236, 128, 32] as const;

/**
 * `count` RGBA frames of `size`×`size`: a square of side size/4 moving left to right across a flat background,
 * one step per frame, so every frame differs and the encoder has real motion to code.
 */
export function movingSquareFrames(count: number, size: number): Uint8ClampedArray<ArrayBuffer>[] {
  const side = Math.max(1, Math.round(size / 4));
  const top = Math.round((size - side) / 2);
  const frames: Uint8ClampedArray<ArrayBuffer>[] = [];
  for (let f = 0; f < count; f++) {
    const left = Math.round(((size - side) * f) / Math.max(1, count - 1));
    const data = new Uint8ClampedArray(size * size * 4);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const inside = x >= left && x < left + side && y >= top && y < top + side;
        const [r, g, b] = inside ? SQUARE : BACKGROUND;
        const i = (y * size + x) * 4;
        data[i] = r;
        data[i + 1] = g;
        data[i + 2] = b;
        data[i + 3] = 255;
      }
    }
    frames.push(data);
  }
  return frames;
}

/** Mean R, G, B of an RGBA buffer. */
export function meanRgb(data: Uint8ClampedArray): [number, number, number] {
  const sum = [0, 0, 0];
  for (let i = 0; i < data.length; i += 4) {
    sum[0]! += data[i]!;
    sum[1]! += data[i + 1]!;
    sum[2]! += data[i + 2]!;
  }
  const n = data.length / 4;
  return [sum[0]! / n, sum[1]! / n, sum[2]! / n];
}
