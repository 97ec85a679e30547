/**
 * `npm run generate` end to end (as a person runs it, in a child process) in clip mode: long clips, --continue,
 * --from-image / --to-image, --fps at twice the model's, and every bad input refused with a message that names it,
 * leaving nothing written.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { readPng, writePng } from '../../../src/cli/png';
import { atWorldSize, psnr } from '../../fixtures/world-frames';

const run = promisify(execFile);
const TSX = path.resolve('node_modules/.bin/tsx');
const IMAGES = path.resolve('tests/fixtures/images');
const work = mkdtempSync(path.join(tmpdir(), 'kineto-generate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const PROMPT = 'a large purple star moving right on a teal gradient';

async function generate(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, ['src/cli/generate.ts', '--prompt', PROMPT, ...args], { timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const out = (name: string) => path.join(work, name);
const frames = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('frame-')).sort();
const report = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'generation.json'), 'utf8'));
/** sound.wav's duration as ffprobe reads it. */
const wavSeconds = (dir: string) => Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path.join(dir, 'sound.wav')], { encoding: 'utf8' }));
const bytes = (dir: string) => frames(dir).map((f) => readFileSync(path.join(dir, f)));

describe('generate: clips', () => {
  it('makes a 3-second clip in windows, the same bytes for the same seed, and lists each window', async () => {
    const a = await generate('--seed', '3', '--seconds', '3', '--out', out('a'));
    expect(a.code, a.stderr).toBe(0);
    await generate('--seed', '3', '--seconds', '3', '--out', out('a2'));
    expect(frames(out('a'))).toEqual(Array.from({ length: 24 }, (_, i) => `frame-${String(i).padStart(3, '0')}.png`));
    expect(bytes(out('a2'))).toEqual(bytes(out('a')));
    const r = report(out('a'));
    expect(r.frames).toMatchObject({ count: 24, fps: 8, width: 128, height: 128 });
    expect(r.clip).toMatchObject({ seconds: 3, limitSeconds: 60, windowFrames: 16, methods: ['none', 'masked-conditioning'], keptLatentFrames: 4 });
    expect(r.windows.map((w: { wrote: number[]; method: string; known: unknown[] }) => [w.wrote, w.method, w.known.length])).toEqual([[[0, 15], 'none', 0], [[16, 23], 'masked-conditioning', 4]]);
    expect(r.windows[1].seconds).toBeGreaterThan(0);
    expect(a.stdout).toContain('Known frames: masked conditioning (the denoiser reads the known frames) with gentle reconstruction guidance');
    expect(r.clip.reconstructionGuidance).toEqual({ 'masked-conditioning': { weight: 1, decay: 0.5 } });
    // The sound follows the whole clip, windows and all: as long as the frames.
    expect(wavSeconds(out('a'))).toBeCloseTo(3, 3);
    expect(r.sound).toMatchObject({ file: 'sound.wav' });
    expect(r.sound.truePeakDb).toBeLessThanOrEqual(-1);
    // Another seed, other frames; a shorter clip without sound into the same folder leaves nothing of the longer one.
    await generate('--seed', '4', '--seconds', '2', '--no-sound', '--out', out('a2'));
    expect(frames(out('a2'))).toHaveLength(16);
    expect(existsSync(path.join(out('a2'), 'sound.wav'))).toBe(false);
    expect(report(out('a2')).sound).toBeNull();
    expect(bytes(out('a2'))[0]).not.toEqual(bytes(out('a'))[0]);
  });

  it('--continue writes only the new frames, numbered from 000, and records the folder and the frames it knew', async () => {
    const c = await generate('--seed', '5', '--frames', '20', '--continue', out('a'), '--out', out('c'));
    expect(c.code, c.stderr).toBe(0);
    expect(frames(out('c'))).toHaveLength(20);
    expect(frames(out('c'))[0]).toBe('frame-000.png');
    const r = report(out('c'));
    expect(r.clip.continuedFrom).toEqual({ folder: out('a'), frames: 24, known: ['frame-020.png', 'frame-021.png', 'frame-022.png', 'frame-023.png'] });
    expect(r.windows[0]).toMatchObject({ mask: 'continue', method: 'masked-conditioning' });
    expect(r.windows[0].known[0]).toMatchObject({ from: 'start', file: 'frame-020.png' });
  });

  it('--from-image (WebP) to --to-image (JPEG, another aspect) at twice the fps: the keyframes at both ends', async () => {
    const k = await generate('--seed', '6', '--from-image', path.join(IMAGES, 'clip04-first.webp'), '--to-image', path.join(IMAGES, 'clip04-last.jpg'), '--fps', '16', '--out', out('k'));
    expect(k.code, k.stderr).toBe(0);
    expect(k.stderr).toContain('--to-image');
    expect(k.stderr).toContain('resized from 256×192 to 128×96; centred on 128×128 with black bars above and below');
    const r = report(out('k'));
    expect(r.frames).toMatchObject({ count: 32, fps: 16 });
    // A world frame (64 px) for a model that draws 128.
    expect(r.clip.fromImage).toMatchObject({ format: 'WebP', width: 64, height: 64, changes: ['resized from 64×64 to 128×128'] });
    expect(r.clip.toImage).toMatchObject({ format: 'JPEG', width: 256, height: 192 });
    // The shipped manifest leaves in-betweens to the fallback (training/export_continue.py says why).
    expect(r.windows[0]).toMatchObject({ stage: 'clip', mask: 'keyframes', method: 'replacement' });
    expect(r.clip.reconstructionGuidance).toMatchObject({ replacement: { weight: 1, decay: 0.8 } });
    expect(r.windows.slice(1).every((w: { stage: string }) => w.stage === 'double-rate')).toBe(true);
    // Frame 0 is the WebP's frame (clip-04's first, lossy), written as given.
    const first = readPng(path.join(IMAGES, '..', 'world', 'clip-04.png'));
    const frame0 = new Uint8ClampedArray(64 * 64 * 4);
    for (let y = 0; y < 64; y++) frame0.set(first.rgba.subarray(y * first.width * 4, (y * first.width + 64) * 4), y * 256);
    expect(psnr(atWorldSize([readPng(path.join(out('k'), 'frame-000.png')).rgba], 128)[0]!, frame0)).toBeGreaterThan(28);
  });

  it('a transparent, wider PNG is letterboxed over black, with a notice', async () => {
    const s = await generate('--seed', '7', '--from-image', path.join(IMAGES, 'star-alpha.png'), '--frames', '8', '--out', out('s'));
    expect(s.code, s.stderr).toBe(0);
    expect(s.stderr).toContain('resized from 96×64 to 128×85; centred on 128×128 with black bars above and below (its aspect differs); its transparent pixels put over black');
    expect(frames(out('s'))).toHaveLength(8);
  });
});

describe('generate: bad input is refused by name and nothing is written', () => {
  const noFrames = path.join(work, 'empty');
  const smallFrames = path.join(work, 'small');
  mkdirSync(noFrames);
  mkdirSync(smallFrames);
  for (let i = 0; i < 3; i++) writePng(path.join(smallFrames, `frame-00${i}.png`), new Uint8ClampedArray(32 * 32 * 4), 32, 32);
  const standIn = path.resolve('tests/fixtures/hub/modelscope-t2v');

  it.each([
    ['not an image', ['--from-image', path.join(IMAGES, 'not-an-image.png')], /--from-image .*not-an-image\.png: is not a PNG, JPEG or WebP image\. Convert it/],
    ['a missing image', ['--to-image', path.join(IMAGES, 'nothing.webp')], /--to-image .*nothing\.webp: cannot be read \(ENOENT\)\. Check the path\./],
    ['a folder with no frames', ['--continue', noFrames], /--continue .*empty: has no frame-\*\.png files/],
    ['frames of another size', ['--continue', smallFrames], /frame-000\.png is 32×32, but Kineto-Shapes continues frames of 128×128\. Continue a folder this model wrote\./],
    ['--seconds beyond the limit', ['--seconds', '61'], /--seconds 61 is beyond the limit of 60 s \(480 frames at 8 fps\)/],
    ['another frame rate', ['--fps', '12'], /--fps must be 8 \(the model's\) or 16 \(twice: the frames between are made\); got 12/],
    ['an image and a clip to start from', ['--from-image', path.join(IMAGES, 'clip04-first.webp'), '--continue', noFrames], /Give --from-image or --continue, not both/],
    ['keyframes that cannot fill a window', ['--from-image', path.join(IMAGES, 'clip04-first.webp'), '--to-image', path.join(IMAGES, 'clip04-last.jpg'), '--frames', '14'], /must fill its last window exactly \(frames in multiples of 4 up to 16\): ask for 16 frames instead of 14/],
    ['in-betweens on a model without an encoder', ['--model', standIn, '--from-image', path.join(IMAGES, 'clip04-first.webp'), '--to-image', path.join(IMAGES, 'clip04-first.webp'), '--frames', '8'], /ships no VAE encoder, so it cannot start from an image/],
  ])('%s', async (_, args, message) => {
    const dir = out(`bad-${readdirSync(work).length}`);
    const r = await generate(...(args as string[]), '--out', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Error \(bad-parameter\): /);
    expect(r.stderr).toMatch(message as RegExp);
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(work).filter((f) => f.includes('.partial-'))).toEqual([]);
  });
});
