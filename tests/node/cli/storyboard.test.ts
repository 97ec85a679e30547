/**
 * `npm run storyboard` end to end (as a person runs it, in a child process) on the embedded model: a three-shot board
 * (a cut, a shot that continues it, a fresh shot crossfading in, a caption) → the film's frames, film.json, the sound,
 * the captions and the sheet, the same bytes on a second run; and bad boards refused by their field before the model
 * is loaded, with nothing written.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { readPng } from '../../../src/cli/png';
import { readPdf } from '../../pdf-reader';

const run = promisify(execFile);
const TSX = path.resolve('node_modules/.bin/tsx');
const work = mkdtempSync(path.join(tmpdir(), 'kineto-storyboard-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const FPS: number = JSON.parse(readFileSync('public/models/kineto-shapes/manifest.json', 'utf8')).defaults.fps;

async function storyboard(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, ['src/cli/storyboard.ts', ...args], { timeout: 240_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

function writeBoard(name: string, board: unknown): string {
  const file = path.join(work, name);
  writeFileSync(file, JSON.stringify(board));
  return file;
}

const BOARD = {
  version: 1,
  title: 'Three shots',
  seed: 5,
  shots: [
    { prompt: 'a red circle moving right', seconds: 1 },
    { prompt: 'a red circle moving right', seconds: 1, caption: 'Onwards.' },
    { prompt: 'a blue square moving down', seconds: 1, start: 'cut', transition: { crossfade: 2 }, seed: 11 },
  ],
};

const out = (name: string) => path.join(work, name);
const frames = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('frame-')).sort();
const bytes = (dir: string, files: string[]) => files.map((f) => readFileSync(path.join(dir, f)));

describe('npm run storyboard', () => {
  it('makes the board\'s film: every frame, film.json, sound, captions and the sheet, the same bytes each run', async () => {
    const board = writeBoard('three.storyboard.json', BOARD);
    const a = await storyboard(board, '--out', out('a'));
    expect(a.code, a.stderr).toBe(0);
    for (let n = 1; n <= 3; n++) {
      expect(a.stderr).toContain(`Shot ${n} of 3:`);
      expect(a.stderr).toMatch(new RegExp(`Shot ${n} made in \\d+\\.\\d+ s\\.`));
    }
    expect(a.stderr).toContain('(continues shot 1)');

    expect(frames(out('a'))).toEqual(Array.from({ length: 3 * FPS }, (_, i) => `frame-${String(i).padStart(5, '0')}.png`));
    expect(readdirSync(out('a')).filter((f) => !f.startsWith('frame-')).sort()).toEqual(['captions.vtt', 'film.json', 'sheet.pdf', 'sheet.png', 'sound.wav']);
    const film = JSON.parse(readFileSync(path.join(out('a'), 'film.json'), 'utf8'));
    expect(film).toMatchObject({ title: 'Three shots', fps: FPS, frames: 3 * FPS });
    expect(film.shots).toEqual([
      { prompt: 'a red circle moving right', seconds: 1, start: 'cut', seed: 5, firstFrame: 0, lastFrame: FPS - 1, transition: 'cut' },
      { prompt: 'a red circle moving right', seconds: 1, start: 'continue', seed: 5, firstFrame: FPS, lastFrame: 2 * FPS - 1, transition: 'cut', caption: 'Onwards.' },
      { prompt: 'a blue square moving down', seconds: 1, start: 'cut', seed: 11, firstFrame: 2 * FPS, lastFrame: 3 * FPS - 1, transition: { crossfade: 2 } },
    ]);
    expect(readFileSync(path.join(out('a'), 'captions.vtt'), 'utf8')).toContain(`shot-2\n00:00:01.000 --> 00:00:02.000\nOnwards.`);
    expect(readFileSync(path.join(out('a'), 'sound.wav')).subarray(0, 4).toString('latin1')).toBe('RIFF');

    // The sheet: one panel per shot, its key frame painted in.
    const sheet = readPng(path.join(out('a'), 'sheet.png'));
    expect(sheet.width).toBe(1754);
    const pdf = await readPdf(new Uint8Array(readFileSync(path.join(out('a'), 'sheet.pdf'))));
    expect(pdf.pages).toHaveLength(1);
    expect(pdf.pages[0]!.images).toBe(3);
    expect(pdf.pages[0]!.text).toEqual(expect.arrayContaining(['Three shots', 'Shot 1', 'Shot 2', 'Shot 3', '“Onwards.”', 'Crossfades in over 2 frames']));

    const b = await storyboard(board, '--out', out('b'));
    expect(b.code, b.stderr).toBe(0);
    const files = [...frames(out('a')), 'film.json', 'sheet.png', 'sheet.pdf', 'sound.wav'];
    expect(bytes(out('b'), files)).toEqual(bytes(out('a'), files));
  }, 600_000);

  it('starts a shot from a picture in a data: URL, and writes the film again into the same folder without a file of the last one it did not make', async () => {
    const image = `data:image/webp;base64,${readFileSync('tests/fixtures/images/clip04-first.webp').toString('base64')}`;
    const board = writeBoard('one.storyboard.json', { ...BOARD, shots: [{ prompt: 'a large purple star moving right on a teal gradient', seconds: 1, start: { image, name: 'first.webp' } }] });
    const r = await storyboard(board, '--out', out('a'), '--no-sound');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Shot 1 of 1: ${FPS} frames (from a picture)`);
    expect(JSON.parse(readFileSync(path.join(out('a'), 'film.json'), 'utf8')).shots[0].start).toEqual({ image: 'first.webp' });
    expect(readdirSync(out('a')).sort()).toEqual([...Array.from({ length: FPS }, (_, i) => `frame-${String(i).padStart(5, '0')}.png`), 'film.json', 'sheet.pdf', 'sheet.png'].sort());
  }, 300_000);

  it.each([
    ['a misspelt field', { ...BOARD, shots: [BOARD.shots[0], { prompt: 'x', secnods: 2 }] }, /shots\[1\]\.secnods: unknown field; a shot has prompt, seconds, start, transition, seed and caption\n\s+shots\[1\]\.seconds: missing/],
    ['a crossfade longer than the shot before', { ...BOARD, shots: [BOARD.shots[0], { ...BOARD.shots[2], transition: { crossfade: FPS + 1 } }] }, new RegExp(`shots\\[1\\]\\.transition\\.crossfade: ${FPS + 1} frames is longer than shot 1 before it`)],
    ['a shot without a prompt', { ...BOARD, shots: [{ prompt: ' ', seconds: 1 }] }, /shots\[0\]\.prompt: type what the shot shows/],
    ['a picture that is not there', { ...BOARD, shots: [{ prompt: 'x', seconds: 1, start: { image: 'nowhere.png' } }] }, /shots\[0\]\.start\.image .*nowhere\.png: cannot be read \(ENOENT\)/],
    ['a picture that is not an image', { ...BOARD, shots: [{ prompt: 'x', seconds: 1, start: { image: 'data:image/png;base64,aGVsbG8=', name: 'hello.png' } }] }, /shots\[0\]\.start\.image hello\.png: is not a PNG, JPEG or WebP image/],
  ])('refuses %s by its field before loading the model, and writes nothing', async (name, board, message) => {
    const dir = out(`bad-${readdirSync(work).length}`);
    const r = await storyboard(writeBoard(`${name.replace(/\W+/g, '-')}.json`, board), '--out', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain('Shot 1 of');
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(work).filter((f) => f.includes('.partial-'))).toEqual([]);
  });
});
