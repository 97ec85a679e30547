/**
 * Peak memory of a process tree, sampled from /proc (Linux): the sum over the tree of each process's proportional
 * set size (PSS, so pages Chromium's processes share are counted once). Used by `npm run check:fullsize` to say what
 * each stage costs; where /proc is missing it reports nothing rather than a wrong figure.
 */
import { readdirSync, readFileSync } from 'node:fs';

function parentOf(pid: number): number | null {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may contain spaces and parentheses, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

function pssBytes(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** PSS of `root`'s descendants (and of `root` itself unless `childrenOnly`) now, in bytes (0 without /proc). */
export function treeBytes(root: number, childrenOnly = false): number {
  let pids: number[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  } catch {
    return 0;
  }
  const parent = new Map(pids.map((p) => [p, parentOf(p)]));
  const inTree = (p: number): boolean => {
    for (let q: number | null | undefined = p, hops = 0; q && hops < 64; q = parent.get(q), hops++) if (q === root) return true;
    return false;
  };
  return pids.filter((p) => inTree(p) && !(childrenOnly && p === root)).reduce((sum, p) => sum + pssBytes(p), 0);
}

/** Samples `treeBytes(root, childrenOnly)` every `everyMs`; `peak()` since the last `reset()`. */
export class PeakSampler {
  private max = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly root: number,
    everyMs = 250,
    private readonly childrenOnly = false,
  ) {
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  sample(): number {
    const now = treeBytes(this.root, this.childrenOnly);
    this.max = Math.max(this.max, now);
    return now;
  }

  peak(): number {
    this.sample();
    return this.max;
  }

  reset(): void {
    this.max = 0;
    this.sample();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
