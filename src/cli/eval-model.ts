/**
 * Scores the shipped model on the fixed prompt set through the app's own engine (onnxruntime-node):
 *   npm run eval:model [-- --preset fast|quality --seeds 2 --steps 20 --guidance 3 --held-out-only --model DIR --out eval/results]
 * Prints a table (held-out vs seen combinations) and writes it to <out>.md and <out>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type EvalSummary, runEval } from '../eval/run-eval';
import { parsePreset } from './preset-arg';
import { DEFAULT_MODEL_DIR, loadModelFromDisk } from './node-runtime';

function table(s: EvalSummary): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const rows = s.splits.map((r) => `| ${r.split} | ${r.clips} | ${pct(r.colour)} | ${pct(r.shape)} | ${pct(r.direction)} | ${pct(r.coherence)} |`);
  return ['| split | clips | colour | shape | direction | coherence |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seeds: { type: 'string' }, steps: { type: 'string' }, guidance: { type: 'string' }, model: { type: 'string' }, out: { type: 'string' }, 'held-out-only': { type: 'boolean' }, preset: { type: 'string' } } });
  const preset = parsePreset(values.preset);
  const model = await loadModelFromDisk(values.model ? path.resolve(values.model) : DEFAULT_MODEL_DIR);
  const summary = await runEval(model, {
    preset,
    seeds: Number(values.seeds ?? 2),
    steps: values.steps ? Number(values.steps) : undefined,
    guidanceScale: values.guidance ? Number(values.guidance) : undefined,
    heldOutOnly: values['held-out-only'] ?? false,
    onClip: (i, n, c) => process.stderr.write(`\r${i + 1}/${n} ${c.prompt.padEnd(70)}`),
  });
  process.stderr.write('\n');
  const presetText = summary.settings.preset ? `${summary.settings.preset} preset, ` : '';
  const text = `# Kineto-Shapes evaluation\n\nModel \`${model.manifest.id}\` (${model.manifest.name}), ${presetText}${summary.settings.steps} ${summary.settings.scheduler} steps, guidance ${summary.settings.guidanceScale}, ${summary.settings.seeds} seed(s) per prompt, ${summary.seconds.toFixed(0)} s.\n\n${table(summary)}\n`;
  console.log(text);
  const out = values.out ?? 'eval/results';
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(`${out}.md`, text);
  writeFileSync(`${out}.json`, JSON.stringify(summary, null, 1) + '\n');
  await model.release();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
