/**
 * Measurements the foley tests make on sound they did not construct: onsets found in the audio itself, the left/right
 * balance per video frame, a correlation; and the world clips they are made from.
 */
import { readFileSync } from 'node:fs';
import { readPng } from '../src/cli/png';

type Channels = { left: ArrayLike<number>; right: ArrayLike<number>; sampleRate: number };

/** The frames of a Kineto-Shapes clip stored as a PNG strip (frames side by side, square). */
export function readStrip(file: string): { frames: Uint8ClampedArray[]; size: number } {
  const strip = readPng(file);
  const size = strip.height;
  const frames = Array.from({ length: strip.width / size }, (_, f) => {
    const out = new Uint8ClampedArray(size * size * 4);
    for (let y = 0; y < size; y++) out.set(strip.rgba.subarray((y * strip.width + f * size) * 4, (y * strip.width + f * size + size) * 4), y * size * 4);
    return out;
  });
  return { frames, size };
}

export function readLabels<T>(dir: string): T[] {
  return JSON.parse(readFileSync(`${dir}/labels.json`, 'utf8')) as T[];
}

const HOP_SECONDS = 0.005;
/** A blow: a 5 ms hop at least RISE_DB above the mean power of the LOOKBACK_HOPS before it, and louder than LOUD_DB. */
const RISE_DB = 8;
const LOOKBACK_HOPS = 6;
const LOUD_DB = -25;
const REFRACTORY_SECONDS = 0.15;

/**
 * Onset times (seconds) in the audio: 5 ms hops whose power (left + right, dB) is at least 8 dB above the mean power
 * of the previous 30 ms and above -25 dB; the first hop of each such rise, at least 150 ms apart. A struck sound rises
 * by tens of dB within milliseconds; noise, buzzes and glides do not.
 */
export function onsetTimes(pcm: Channels): number[] {
  const hop = Math.round(HOP_SECONDS * pcm.sampleRate);
  const power: number[] = [];
  for (let start = 0; start + hop <= pcm.left.length; start += hop) {
    let sum = 0;
    for (let i = start; i < start + hop; i++) sum += pcm.left[i]! ** 2 + pcm.right[i]! ** 2;
    power.push(sum / hop + 1e-12);
  }
  const db = (p: number) => 10 * Math.log10(p);
  const onsets: number[] = [];
  for (let h = 1; h < power.length; h++) {
    const before = power.slice(Math.max(0, h - LOOKBACK_HOPS), h);
    const floor = before.reduce((a, p) => a + p, 0) / before.length;
    const t = h * HOP_SECONDS;
    if (db(power[h]!) - db(floor) >= RISE_DB && db(power[h]!) >= LOUD_DB && (onsets.length === 0 || t - onsets.at(-1)! >= REFRACTORY_SECONDS)) onsets.push(t);
  }
  return onsets;
}

/** Per video frame, (right − left) / (right + left) of the channels' energy: -1 all left … +1 all right. */
export function balancePerFrame(pcm: Channels, fps: number, frameCount: number): number[] {
  return Array.from({ length: frameCount }, (_, f) => {
    const from = Math.round((f / fps) * pcm.sampleRate);
    const to = Math.min(pcm.left.length, Math.round(((f + 1) / fps) * pcm.sampleRate));
    let l = 0;
    let r = 0;
    for (let i = from; i < to; i++) {
      l += pcm.left[i]! ** 2;
      r += pcm.right[i]! ** 2;
    }
    return (r - l) / (r + l);
  });
}

/** Pearson's correlation coefficient of two equally long series. */
export function pearson(a: readonly number[], b: readonly number[]): number {
  const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0, saa = 0, sbb = 0;
  a.forEach((x, i) => {
    sab += (x - ma) * (b[i]! - mb);
    saa += (x - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  });
  return sab / Math.sqrt(saa * sbb);
}

/** For each expected time, whether an onset lies within `tolerance` seconds of it. */
export function matched(expected: readonly number[], onsets: readonly number[], tolerance: number): boolean[] {
  return expected.map((t) => onsets.some((o) => Math.abs(o - t) <= tolerance));
}
