/**
 * Scores the shipped model on the fixed prompt set through the app's own engine (onnxruntime-node):
 *   npm run eval:model [-- --preset fast|quality --seeds 2 --steps 20 --guidance 3 --held-out-only --model DIR
 *                         --out eval/results --no-continuity --quick --every N --ground-truth DIR]
 * Prints tables (held-out vs seen combinations; each non-straight motion; continuity: long clips, a new prompt at a
 * seam, from an image, in-betweens, each row with its target and the method that took the known frames) and writes
 * them to <out>.md and <out>.json. `--quick` keeps every 4th case of every list (`--every N`: every Nth).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { KnownFrameMethod } from '../engine/continuation';
import { KinetoError } from '../engine/errors';
import { type ContinuitySummary, runContinuity } from '../eval/continuity';
import { type EvalSummary, runEval } from '../eval/run-eval';
import { readGroundTruth } from './ground-truth';
import { parsePreset } from './preset-arg';
import { DEFAULT_MODEL_DIR, loadModelFromDisk } from './node-runtime';

const QUICK_EVERY = 4;
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

function table(s: EvalSummary): string {
  const rows = s.splits.map((r) => `| ${r.split} | ${r.clips} | ${pct(r.colour)} | ${pct(r.shape)} | ${pct(r.direction)} | ${pct(r.coherence)} |`);
  return ['| split | clips | colour | shape | direction | coherence |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

function motionTable(s: EvalSummary): string {
  const rows = s.motions.map((m) => `| ${m.motion} | ${m.clips} | ${pct(m.shown)} | ≥ ${pct(m.target)} | ${m.shown >= m.target ? 'yes' : 'no'} |`);
  return ['| motion | clips | shown | target | met |', '|---|---|---|---|---|', ...rows].join('\n');
}

const METHOD_WORDS: Record<KnownFrameMethod, string> = {
  'masked-conditioning': "the model's conditioning inputs",
  replacement: 'training-free fallback',
  none: 'none',
};

function continuityTable(c: ContinuitySummary): string {
  const value = (v: number, unit: '%' | 'dB') => (unit === 'dB' ? (v === Infinity ? 'exact' : `${v.toFixed(1)} dB`) : pct(v));
  const rows = c.rows.map((r) => `| ${r.part} | ${r.measure} | ${value(r.value, r.unit)} | ≥ ${value(r.target, r.unit)} | ${r.value >= r.target ? 'yes' : 'no'} | ${r.count} | ${r.methods.map((m) => METHOD_WORDS[m]).join(', ')} |`);
  return ['| part | measure | value | target | met | over | known frames by |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    allowNegative: true,
    options: {
      seeds: { type: 'string' }, steps: { type: 'string' }, guidance: { type: 'string' }, model: { type: 'string' }, out: { type: 'string' },
      'held-out-only': { type: 'boolean' }, preset: { type: 'string' }, continuity: { type: 'boolean', default: true },
      quick: { type: 'boolean' }, every: { type: 'string' }, 'ground-truth': { type: 'string' },
    },
  });
  const preset = parsePreset(values.preset);
  const every = values.every ? Number(values.every) : values.quick ? QUICK_EVERY : 1;
  if (!Number.isInteger(every) || every < 1) throw new KinetoError('bad-parameter', `--every must be a whole number above 0 (got "${values.every}").`);
  const groundTruth = values.continuity ? readGroundTruth(values['ground-truth'] && path.resolve(values['ground-truth'])) : [];
  const model = await loadModelFromDisk(values.model ? path.resolve(values.model) : DEFAULT_MODEL_DIR);
  const sampler = {
    preset,
    seeds: Number(values.seeds ?? 2),
    steps: values.steps ? Number(values.steps) : undefined,
    guidanceScale: values.guidance ? Number(values.guidance) : undefined,
    every,
  };
  const summary = await runEval(model, {
    ...sampler,
    heldOutOnly: values['held-out-only'] ?? false,
    onClip: (i, n, c) => process.stderr.write(`\r${i + 1}/${n} ${c.prompt.padEnd(70)}`),
  });
  process.stderr.write('\n');
  const continuity = values.continuity
    ? await runContinuity(model, { ...sampler, groundTruth, onCase: (i, n, what) => process.stderr.write(`\rcontinuity ${i + 1}/${n} ${what.padEnd(80)}`) })
    : null;
  if (continuity) process.stderr.write('\n');
  const presetText = summary.settings.preset ? `${summary.settings.preset} preset, ` : '';
  const reduced = every > 1 ? `, every ${every}th case` : '';
  const sections = [
    `# Kineto-Shapes evaluation\n\nModel \`${model.manifest.id}\` (${model.manifest.name}), ${presetText}${summary.settings.steps} ${summary.settings.scheduler} steps, guidance ${summary.settings.guidanceScale}, ${summary.settings.seeds} seed(s) per prompt${reduced}, ${summary.seconds.toFixed(0)} s.\n\n${table(summary)}`,
  ];
  if (summary.motions.length) sections.push(`## Motions that are not straight lines\n\n${motionTable(summary)}`);
  if (continuity) sections.push(`## Continuity (${continuity.seconds.toFixed(0)} s)\n\n${continuityTable(continuity)}`);
  const text = sections.join('\n\n') + '\n';
  console.log(text);
  const out = values.out ?? 'eval/results';
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(`${out}.md`, text);
  writeFileSync(`${out}.json`, JSON.stringify(continuity ? { ...summary, continuity } : summary, null, 1) + '\n');
  await model.release();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
