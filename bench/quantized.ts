/**
 * Weight variants of the embedded model (`training/quantize.py` writes them as packages under
 * training/runs/quantized/pkg-<variant>): size, and the Fast preset's clip time natively (onnxruntime-node) and in
 * the app in headless Chromium on WASM, each package served in place of the embedded one. A variant the backend
 * cannot run is reported as such. Dev only: without the packages the section says how to make them.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseManifest } from '../src/engine/manifest';
import { withPresetDenoiser } from '../src/engine/presets';
import { pickVariants } from '../src/engine/variants';
import { appClips, nativeClips } from './clip';
import { type BenchRow, type BenchSection, seconds } from './report';

const PACKAGES = path.resolve('training/runs/quantized');
const WARMUP_CLIPS = 12;

/** Bytes of the files a Fast clip loads on the CPU: text encoder, the Fast denoiser, decoder (variants as picked there). */
async function fastBytes(dir: string): Promise<number> {
  const m = pickVariants(parseManifest(JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'))), { backend: 'wasm', shaderF16: false }).manifest;
  const c = withPresetDenoiser(m, 'fast').components;
  const files = [c.text_encoder.file, c.denoiser.file, c.vae_decoder!.file];
  return (await Promise.all(files.map(async (f) => (await stat(path.join(dir, f))).size))).reduce((a, b) => a + b, 0);
}

/** A folder serving the built app with `pkg` as its embedded model (symlinks into dist/ and the package). */
async function appWithPackage(pkg: string): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'kineto-variant-'));
  for (const entry of await readdir('dist')) if (entry !== 'models') await symlink(path.resolve('dist', entry), path.join(root, entry));
  await mkdir(path.join(root, 'models'));
  await symlink(path.resolve('dist/models/hub'), path.join(root, 'models/hub'));
  await symlink(pkg, path.join(root, 'models/kineto-shapes'));
  return root;
}

/**
 * Median Fast clip in the app on WASM, previews off (text → decoded frames, encoding excluded), after WARMUP_CLIPS
 * unmeasured ones: V8 optimises onnxruntime's functions only after they have run a while (docs/SPEED.md), and the int8
 * kernels took about 40 denoiser calls.
 */
async function wasmClip(pkg: string): Promise<number> {
  const root = await appWithPackage(pkg);
  try {
    return (await appClips([{ preset: 'fast', preview: 'none' }], { root, warmupRounds: WARMUP_CLIPS })).clips[0]!.clipSeconds;
  } finally {
    await rm(root, { recursive: true });
  }
}

const failed = (e: unknown) => `fails: ${String(e instanceof Error ? e.message : e).split('\n')[0]!.slice(0, 80)}`;

export const quantizedSection: BenchSection = {
  title: 'Weight variants (training/quantize.py): Fast preset clip, native vs Chromium WASM',
  async run() {
    if (!existsSync(PACKAGES)) return { rows: [['no variants', '-', 'run: training/.venv/bin/python training/quantize.py']] };
    const rows: BenchRow[] = [];
    const pkgs = (await readdir(PACKAGES)).filter((d) => d.startsWith('pkg-')).sort();
    for (const name of ['public/models/kineto-shapes', ...pkgs.map((d) => path.join(PACKAGES, d))]) {
      const dir = path.resolve(name);
      const label = name.startsWith('public') ? 'shipped, as the CPU picks it (int8 QDQ Fast denoiser)' : path.basename(dir).slice(4);
      rows.push([`${label}: text encoder + Fast denoiser + decoder`, `${((await fastBytes(dir)) / 1e6).toFixed(2)} MB`]);
      const native = await nativeClips(dir, 'fast').then((m) => seconds(m.get('fast')!.clipSeconds, 3), failed);
      rows.push([`${label}: Fast clip, native`, native]);
      rows.push([`${label}: Fast clip, Chromium WASM, previews off`, await wasmClip(dir).then((s) => seconds(s, 3), failed)]);
    }
    return { rows };
  },
};
