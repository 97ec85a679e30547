/** What a bench section returns and how the dispatcher prints it. */

/** One printed line: what was measured, the number, and a note (a goal, a share). */
export type BenchRow = [label: string, value: string, note?: string];

export type BenchSection = {
  title: string;
  /** `metrics`: named numbers other sections' summaries use (e.g. `clipRatio`, `ceilingRatio`). */
  run(): Promise<{ rows: BenchRow[]; metrics?: Record<string, number> }>;
};

/** Timed runs per measurement, after a warm-up. */
export const RUNS = 3;

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
export const seconds = (s: number, digits = 2) => `${s.toFixed(digits)} s`;
export const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;

export function printRows(rows: BenchRow[]): void {
  for (const [a, b, c] of rows) console.log(`${a.padEnd(64)} ${b.padStart(12)}   ${c ?? ''}`);
}
