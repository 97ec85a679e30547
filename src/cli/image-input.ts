/**
 * `--from-image` / `--to-image`: a PNG (pngjs), JPEG (jpeg-js) or WebP (@cwasm/webp, libwebp in WebAssembly) file,
 * recognised by its first bytes whatever its name, made into one frame of the model's size (letterbox.ts). Anything
 * else is refused with a message that names the file and the formats taken.
 */
import { readFileSync, statSync } from 'node:fs';
import { decode as decodeWebp } from '@cwasm/webp';
import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { KinetoError } from '../engine/errors';
import type { Frames } from '../engine/types';
import { letterbox, type Rgba } from './letterbox';

export const IMAGE_FORMATS = ['PNG', 'JPEG', 'WebP'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** An image read for a clip: the frame, what the file was, and what had to change to make it a frame. */
export type ImageFrame = { frame: Frames; file: string; format: ImageFormat; width: number; height: number; changes: string[] };

/** Images larger than this many pixels are refused before decoding (a frame needs a few thousand). */
const MAX_PIXELS = 64 * 1024 * 1024;

export function sniffFormat(bytes: Uint8Array): ImageFormat | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes[0] === 0x89 && ascii(1, 4) === 'PNG') return 'PNG';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'JPEG';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'WebP';
  return null;
}

function decode(format: ImageFormat, bytes: Uint8Array): Rgba {
  switch (format) {
    case 'PNG': {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, data: png.data };
    }
    case 'JPEG':
      return decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_PIXELS / 1e6 });
    case 'WebP':
      return decodeWebp(bytes);
  }
}

/** Reads `file` (given as `flag`) as one frame of `width` × `height`. */
export function readImageFrame(flag: string, file: string, width: number, height: number): ImageFrame {
  const fail = (why: string): never => {
    throw new KinetoError('bad-parameter', `${flag} ${file}: ${why}`);
  };
  let bytes: Uint8Array;
  try {
    if (!statSync(file).isFile()) fail('is not a file. Give a PNG, JPEG or WebP image.');
    bytes = new Uint8Array(readFileSync(file));
  } catch (e) {
    if (e instanceof KinetoError) throw e;
    return fail(`cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}). Check the path.`);
  }
  return imageFrameFromBytes(flag, file, bytes, width, height);
}

/** The image `bytes` (named `file`, given as `flag`: both for messages) as one frame of `width` × `height`. */
export function imageFrameFromBytes(flag: string, file: string, bytes: Uint8Array, width: number, height: number): ImageFrame {
  const fail = (why: string): never => {
    throw new KinetoError('bad-parameter', `${flag} ${file}: ${why}`);
  };
  const format = sniffFormat(bytes);
  if (!format) return fail(`is not a PNG, JPEG or WebP image${bytes.length === 0 ? ' (it is empty)' : ''}. Convert it to one of those.`);
  let image: Rgba;
  try {
    image = decode(format, bytes);
  } catch (e) {
    return fail(`starts like a ${format} image but could not be decoded (${e instanceof Error ? e.message : String(e)}). Re-save it, or convert it to PNG.`);
  }
  if (image.width < 1 || image.height < 1 || image.width * image.height > MAX_PIXELS)
    fail(`is ${image.width}×${image.height}: a frame needs an image of 1 to ${MAX_PIXELS / (1024 * 1024)} megapixels.`);
  const { rgba, changes } = letterbox(image, width, height);
  return { frame: { width, height, count: 1, rgba: [rgba] }, file, format, width: image.width, height: image.height, changes };
}
