/**
 * Where a clip's frames go while it is made: a hidden folder beside `--out`, renamed into place only when the clip is
 * complete, so a failed or interrupted run leaves `--out` as it was (as training/export.py writes atomically).
 * Frames (and a sound) from an earlier run in `--out` that this run does not write are removed, so the folder holds one
 * clip and `--continue` reads its real last frames.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { frameFiles } from './continue-dir';
import { writePng } from './png';
import { SOUND_FILE } from './sound-file';

export type ClipOutput = {
  writeFrame(index: number, rgba: Uint8ClampedArray, width: number, height: number): void;
  /** Another file of the clip (its sound). */
  writeFile(name: string, bytes: Uint8Array): void;
  /** Writes generation.json and moves everything into `--out`. */
  finish(report: unknown): void;
  /** Drops what was written. */
  abort(): void;
};

export const frameName = (index: number) => `frame-${String(index).padStart(3, '0')}.png`;

export function openClipOutput(out: string): ClipOutput {
  const partial = path.join(path.dirname(path.resolve(out)), `.${path.basename(path.resolve(out))}.partial-${process.pid}`);
  let made = false;
  const dir = () => {
    if (!made) mkdirSync(partial, { recursive: true });
    made = true;
    return partial;
  };
  return {
    writeFrame(index, rgba, width, height) {
      writePng(path.join(dir(), frameName(index)), rgba, width, height);
    },
    writeFile(name, bytes) {
      writeFileSync(path.join(dir(), name), bytes);
    },
    finish(report) {
      writeFileSync(path.join(dir(), 'generation.json'), JSON.stringify(report, null, 2) + '\n');
      if (!existsSync(out)) {
        mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
        renameSync(partial, out);
        return;
      }
      const written = new Set(readdirSync(partial));
      for (const f of [...frameFiles(out), SOUND_FILE]) if (!written.has(f) && existsSync(path.join(out, f))) unlinkSync(path.join(out, f));
      for (const f of written) renameSync(path.join(partial, f), path.join(out, f));
      rmSync(partial, { recursive: true, force: true });
    },
    abort() {
      if (made) rmSync(partial, { recursive: true, force: true });
    },
  };
}
