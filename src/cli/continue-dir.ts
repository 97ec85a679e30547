/**
 * `--continue DIR`: the last frames of a folder `npm run generate` wrote (`frame-000.png` …), checked to be frames of
 * the model's size before anything is made.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { KinetoError } from '../engine/errors';
import type { Frames } from '../engine/types';
import { readPng } from './png';

const FRAME_FILE = /^frame-(\d+)\.png$/;

/** The frame files of `dir` in frame order. */
export function frameFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => FRAME_FILE.test(f))
    .sort((a, b) => Number(FRAME_FILE.exec(a)![1]) - Number(FRAME_FILE.exec(b)![1]));
}

/** The last `count` frames of `dir` (fewer when it has fewer) and their file names. */
export function readLastFrames(dir: string, count: number, width: number, height: number, modelName: string): { frames: Frames; files: string[]; total: number } {
  const fail = (why: string): never => {
    throw new KinetoError('bad-parameter', `--continue ${dir}: ${why}`);
  };
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    fail('no such folder. Give a folder that npm run generate wrote.');
  }
  if (!isDir) fail('is not a folder. Give the folder a previous run wrote (its --out).');
  const all = frameFiles(dir);
  if (all.length === 0) fail('has no frame-*.png files. Give a folder that npm run generate wrote (frame-000.png, frame-001.png, …).');
  const files = all.slice(-count);
  const rgba = files.map((f) => {
    let png: ReturnType<typeof readPng>;
    try {
      png = readPng(path.join(dir, f));
    } catch (e) {
      return fail(`${f} is not a readable PNG (${e instanceof Error ? e.message : String(e)}).`);
    }
    if (png.width !== width || png.height !== height)
      fail(`${f} is ${png.width}×${png.height}, but ${modelName} continues frames of ${width}×${height}. Continue a folder this model wrote.`);
    return png.rgba;
  });
  return { frames: { width, height, count: rgba.length, rgba }, files, total: all.length };
}
