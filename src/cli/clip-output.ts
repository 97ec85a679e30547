/**
 * Where a clip's frames go while it is made: a hidden folder beside `--out`, renamed into place only when the clip is
 * complete, so a failed or interrupted run leaves `--out` as it was (as training/export.py writes atomically).
 * Frames from an earlier run in `--out` that this run does not write are removed, so the folder holds one clip and
 * `--continue` reads its real last frames; so are the other files of `owned` (a film's captions.vtt, say) it does not
 * write again. The storyboard CLI writes a film the same way.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { frameFiles } from './continue-dir';
import { writePng } from './png';

export type ClipOutput = {
  writeFrame(index: number, rgba: Uint8ClampedArray, width: number, height: number): void;
  /** Writes another file (a report, a sound) into the output. */
  writeFile(name: string, data: string | Uint8Array): void;
  /** Moves everything written into `--out`. */
  finish(): void;
  /** Drops what was written. */
  abort(): void;
};

export const frameName = (index: number) => `frame-${String(index).padStart(3, '0')}.png`;

/**
 * `name` numbers the frame files; `owned` names the other files an output of this kind may hold, which go when a
 * run does not write them again.
 */
export function openClipOutput(out: string, name: (index: number) => string = frameName, owned: readonly string[] = []): ClipOutput {
  const partial = path.join(path.dirname(path.resolve(out)), `.${path.basename(path.resolve(out))}.partial-${process.pid}`);
  let made = false;
  const dir = () => {
    if (!made) mkdirSync(partial, { recursive: true });
    made = true;
    return partial;
  };
  return {
    writeFrame(index, rgba, width, height) {
      writePng(path.join(dir(), name(index)), rgba, width, height);
    },
    writeFile(file, data) {
      writeFileSync(path.join(dir(), file), data);
    },
    finish() {
      if (!existsSync(out)) {
        mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
        renameSync(partial, out);
        return;
      }
      const written = new Set(readdirSync(partial));
      const stale = [...frameFiles(out), ...owned.filter((f) => existsSync(path.join(out, f)))];
      for (const f of stale) if (!written.has(f)) unlinkSync(path.join(out, f));
      for (const f of written) renameSync(path.join(partial, f), path.join(out, f));
      rmSync(partial, { recursive: true, force: true });
    },
    abort() {
      if (made) rmSync(partial, { recursive: true, force: true });
    },
  };
}
