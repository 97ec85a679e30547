/**
 * Labelled ground-truth clips rendered by training/world.py (training/make_eval_fixtures.py): a folder of PNG strips
 * (the frames side by side) and labels.json with each strip's words. The continuity evaluation starts clips from
 * their first frames and takes keyframes from them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { KinetoError } from '../engine/errors';
import type { Frames } from '../engine/types';
import type { GroundTruthClip } from '../eval/continuity';
import { readPng } from './png';

export const DEFAULT_GROUND_TRUTH_DIR = path.resolve(import.meta.dirname, '../../eval/ground-truth');

/** A strip of square frames side by side as frames. */
export function readStrip(file: string): Frames {
  const strip = readPng(file);
  const s = strip.height;
  const rgba = Array.from({ length: Math.floor(strip.width / s) }, (_, f) => {
    const out = new Uint8ClampedArray(s * s * 4);
    for (let y = 0; y < s; y++) out.set(strip.rgba.subarray((y * strip.width + f * s) * 4, (y * strip.width + f * s + s) * 4), y * s * 4);
    return out;
  });
  return { width: s, height: s, count: rgba.length, rgba };
}

type Label = { file: string; size: string; colour: string; shape: string; motion: string; background: string };

export function readGroundTruth(dir = DEFAULT_GROUND_TRUTH_DIR): GroundTruthClip[] {
  let labels: Label[];
  try {
    labels = JSON.parse(readFileSync(path.join(dir, 'labels.json'), 'utf8')) as Label[];
  } catch (e) {
    throw new KinetoError('bad-parameter', `${dir} holds no readable labels.json (${(e as Error).message}); training/make_eval_fixtures.py writes eval/ground-truth/.`);
  }
  return labels.map(({ file, size, colour, shape, motion, background }) => ({
    file, label: { size, colour, shape, motion, background }, frames: readStrip(path.join(dir, file)),
  }));
}
