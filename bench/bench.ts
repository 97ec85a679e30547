/**
 * `npm run bench [-- <section> … [--option value]]`: prints numbers and ratios, never asserts. Sections run in the
 * order given (default: all). Each is a module exporting a `BenchSection` (bench/report.ts); add yours to SECTIONS.
 * Needs a built app (`npm run bench` builds it first).
 */
import { type BenchSection, printRows } from './report';

const SECTIONS: Record<string, () => Promise<BenchSection>> = {
  clip: async () => (await import('./clip')).clipSection,
  ceiling: async () => (await import('./ceiling')).ceilingSection,
  cold: async () => (await import('./cold')).coldSection,
  continue: async () => (await import('./continue')).continueSection,
  encode: async () => (await import('./encode-throughput')).encodeSection,
  film: async () => (await import('./film')).filmSection,
  hash: async () => (await import('./hash')).hashSection,
  lab: async () => printsItself('Lab', (await import('./lab')).labBench),
  library: async () => printsItself('Library', (await import('./library')).libraryBench),
  live: async () => (await import('./live')).liveSection,
  quantized: async () => (await import('./quantized')).quantizedSection,
  sound: async () => (await import('./sound')).soundSection,
};

/** A section that prints its own table. */
function printsItself(title: string, run: () => Promise<void>): BenchSection {
  return { title, run: async () => (await run(), { rows: [] }) };
}

// `--name value` options are read by the sections they belong to (bench/live.ts: `--minutes`).
const args = process.argv.slice(2).filter((a) => a !== '--');
const asked = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const unknown = asked.filter((a) => !(a in SECTIONS));
if (unknown.length > 0) {
  console.error(`Unknown bench section(s): ${unknown.join(', ')}. Sections: ${Object.keys(SECTIONS).join(', ')}.`);
  process.exit(2);
}
const metrics: Record<string, number> = {};
for (const name of asked.length > 0 ? asked : Object.keys(SECTIONS)) {
  const section = await SECTIONS[name]!();
  console.log(`\n== ${section.title}`);
  const result = await section.run();
  printRows(result.rows);
  Object.assign(metrics, result.metrics);
}
if (metrics.clipRatio !== undefined && metrics.ceilingRatio !== undefined) {
  console.log('\n== Summary');
  printRows([
    ['clip browser / native (default preset, previews off)', `${metrics.clipRatio.toFixed(2)}×`],
    ['ceiling: reference GEMM browser / native', `${metrics.ceilingRatio.toFixed(2)}×`],
    ['clip ratio / ceiling ratio', `${(metrics.clipRatio / metrics.ceilingRatio).toFixed(2)}`, 'goal ≤ 1.25'],
  ]);
}
