/** RGBA frames → PNG files (pngjs), and back for tests and evaluation. */
import { readFileSync, writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

export function pngBytes(rgba: Uint8ClampedArray, width: number, height: number): Buffer {
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  return PNG.sync.write(png);
}

export function writePng(file: string, rgba: Uint8ClampedArray, width: number, height: number): void {
  writeFileSync(file, pngBytes(rgba, width, height));
}

export function readPng(file: string): { rgba: Uint8ClampedArray; width: number; height: number } {
  const png = PNG.sync.read(readFileSync(file));
  return { rgba: new Uint8ClampedArray(png.data), width: png.width, height: png.height };
}
