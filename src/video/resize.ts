/**
 * Separable bicubic resampling of RGBA frames (Keys 1981, "Cubic convolution interpolation for digital image
 * processing", a = -0.5, i.e. Catmull-Rom). Pure TS, no DOM: runs in Node and in the worker.
 *
 * Sample centres are aligned (pixel i covers [i, i + 1), its centre is i + 0.5), edges are clamped, and when
 * downscaling the kernel is stretched by the scale factor so that it averages instead of aliasing. All four
 * channels are filtered alike (no premultiplication): Kineto's frames are opaque.
 */

/** Keys' cubic convolution kernel with a = -0.5; support [-2, 2], W(0) = 1, W(±1) = W(±2) = 0. */
function keys(x: number): number {
  const t = Math.abs(x);
  if (t < 1) return (1.5 * t - 2.5) * t * t + 1;
  if (t < 2) return ((-0.5 * t + 2.5) * t - 4) * t + 2;
  return 0;
}

/** For each output index, `count` edge-clamped source indices and their normalised weights, flattened. */
type Taps = { count: number; index: Int32Array; weights: Float32Array };

/** Precomputes the taps of one axis; `count` is the same for every output index so the loops stay flat. */
function axisTaps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  // Downscaling widens the kernel (in source pixels) so every source pixel contributes; upscaling keeps it at 4 taps.
  const stretch = Math.max(1, scale);
  const radius = 2 * stretch;
  // Source indices strictly within `radius` of the centre: never more than ceil(2 · radius) of them.
  const count = Math.ceil(2 * radius);
  const index = new Int32Array(outSize * count);
  const weights = new Float32Array(outSize * count);
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * scale - 0.5;
    const first = Math.floor(centre - radius) + 1;
    let sum = 0;
    for (let k = 0; k < count; k++) {
      const w = keys((first + k - centre) / stretch);
      index[o * count + k] = Math.min(inSize - 1, Math.max(0, first + k));
      weights[o * count + k] = w;
      sum += w;
    }
    // Normalising keeps flat regions flat even where the sampled kernel does not sum to exactly 1.
    for (let k = 0; k < count; k++) weights[o * count + k] = weights[o * count + k]! / sum;
  }
  return { count, index, weights };
}

/**
 * Resamples an RGBA image of `width`×`height` to `outWidth`×`outHeight` with a bicubic (Keys a = -0.5) filter.
 * Works for any positive sizes, up or down; equal sizes return a copy.
 */
export function resizeRgba(
  src: Uint8ClampedArray,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
): Uint8ClampedArray<ArrayBuffer> {
  for (const [name, v] of [['width', width], ['height', height], ['outWidth', outWidth], ['outHeight', outHeight]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new RangeError(`resizeRgba: ${name} must be a positive integer, got ${v}.`);
  }
  if (src.length !== width * height * 4) {
    throw new RangeError(`resizeRgba: expected ${width}×${height}×4 = ${width * height * 4} bytes, got ${src.length}.`);
  }
  if (width === outWidth && height === outHeight) return new Uint8ClampedArray(src);

  // Pass 1, horizontal: width → outWidth for every source row, kept in float so pass 2 rounds only once.
  const h = axisTaps(width, outWidth);
  const mid = new Float32Array(outWidth * height * 4);
  for (let y = 0; y < height; y++) {
    const row = y * width * 4;
    let j = y * outWidth * 4;
    for (let o = 0; o < outWidth; o++, j += 4) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let t = o * h.count, end = t + h.count; t < end; t++) {
        const w = h.weights[t]!;
        const i = row + h.index[t]! * 4;
        r += w * src[i]!;
        g += w * src[i + 1]!;
        b += w * src[i + 2]!;
        a += w * src[i + 3]!;
      }
      mid[j] = r;
      mid[j + 1] = g;
      mid[j + 2] = b;
      mid[j + 3] = a;
    }
  }

  // Pass 2, vertical: height → outHeight; Uint8ClampedArray rounds and clamps the cubic's overshoot.
  const v = axisTaps(height, outHeight);
  const out = new Uint8ClampedArray(outWidth * outHeight * 4);
  const stride = outWidth * 4;
  const acc = new Float32Array(stride);
  for (let o = 0; o < outHeight; o++) {
    const t = o * v.count;
    const dst = o * stride;
    if (v.count === 4) {
      // Every upscale lands here; one fused sum per value beats the row-accumulating loop below by ≈2×.
      const b0 = v.index[t]! * stride, b1 = v.index[t + 1]! * stride, b2 = v.index[t + 2]! * stride, b3 = v.index[t + 3]! * stride;
      const w0 = v.weights[t]!, w1 = v.weights[t + 1]!, w2 = v.weights[t + 2]!, w3 = v.weights[t + 3]!;
      for (let i = 0; i < stride; i++) out[dst + i] = w0 * mid[b0 + i]! + w1 * mid[b1 + i]! + w2 * mid[b2 + i]! + w3 * mid[b3 + i]!;
    } else {
      acc.fill(0);
      for (let k = 0; k < v.count; k++) {
        const w = v.weights[t + k]!;
        const base = v.index[t + k]! * stride;
        for (let i = 0; i < stride; i++) acc[i] = acc[i]! + w * mid[base + i]!;
      }
      out.set(acc, dst);
    }
  }
  return out;
}
