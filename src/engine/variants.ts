/**
 * Which weight variant each component uses on a device: fp16 where WebGPU offers `shader-f16`, otherwise fp32, and
 * the quantized int8 files on the CPU (WASM) when the manifest offers them. Pure: the worker says where the model
 * will run; the page asks the same question before any download, to show what would be fetched.
 */
import { PRESET_LABELS } from './presets';
import type { ComponentName, ComponentSpec, ModelManifest, Preset, PresetName, WeightVariant } from './types';

/** Where a model will run: the execution backend and whether its WebGPU adapter has fp16 shaders. */
export type VariantTarget = { backend: 'webgpu' | 'wasm'; shaderF16: boolean };

/**
 * The variant one component will use, and why, as a short clause ("WebGPU offers shader-f16"); `preset` when it is
 * that speed preset's own denoiser.
 */
export type VariantPick = {
  component: ComponentName;
  preset?: PresetName;
  /** The preset's denoiser for windows with known frames (manifest `known_frames_denoiser`). */
  knownFrames?: true;
  variant: WeightVariant;
  reason: string;
  fits: boolean;
};

/**
 * Variants that suit `target`, best first. fp16 kernels need WebGPU's `shader-f16`; onnxruntime's CPU (WASM) backend
 * has few fp16 kernels, so fp16 is never a choice there; int8 comes first on WASM (smaller, faster on CPUs) and last
 * on WebGPU (few quantized WebGPU kernels).
 */
export function variantPreference(target: VariantTarget): WeightVariant[] {
  if (target.backend === 'wasm') return ['int8', 'fp32'];
  return target.shaderF16 ? ['fp16', 'fp32', 'int8'] : ['fp32', 'int8'];
}

function reasonFor(variant: WeightVariant, target: VariantTarget, offered: readonly WeightVariant[]): string {
  const only = offered.length === 1;
  switch (variant) {
    case 'fp16':
      return target.backend === 'webgpu' && target.shaderF16 ? 'WebGPU offers shader-f16' : 'the only weights offered, though they need WebGPU with shader-f16';
    case 'fp32':
      if (target.backend === 'wasm') return only || !offered.includes('int8') ? 'the CPU (WASM) runs fp32; no int8 weights are offered' : 'the CPU (WASM) runs fp32';
      return target.shaderF16 ? 'no fp16 weights are offered' : 'this WebGPU adapter has no shader-f16';
    case 'int8':
      return target.backend === 'wasm' ? 'quantized weights suit the CPU (WASM)' : only ? 'the only weights offered' : 'no fp16 or fp32 weights are offered';
  }
}

/** The variant of `offered` that suits `target` (the first offered if none does), and why. */
function choose<T>(offered: Partial<Record<WeightVariant, T>>, target: VariantTarget): { spec: T; variant: WeightVariant; reason: string; fits: boolean } {
  const kinds = Object.keys(offered) as WeightVariant[];
  const suited = variantPreference(target).find((v) => kinds.includes(v));
  const variant = suited ?? kinds[0]!;
  return { spec: offered[variant]!, variant, reason: reasonFor(variant, target, kinds), fits: suited !== undefined };
}

/**
 * The manifest with each multi-variant component replaced by the variant that suits `target` (and `variants`
 * dropped, so the result is what gets downloaded and loaded), plus what was picked and why. A component offering
 * nothing that suits the target gets its first offered variant with `fits: false` (the person chose "Try anyway").
 */
export function pickVariants(m: ModelManifest, target: VariantTarget): { manifest: ModelManifest; picks: VariantPick[] } {
  if (!m.variants && !Object.values(m.presets ?? {}).some((p) => p.denoiserVariants || p.knownFramesDenoiserVariants)) return { manifest: m, picks: [] };
  const components = { ...m.components };
  const picks: VariantPick[] = [];
  for (const [name, offered] of Object.entries(m.variants ?? {}) as [ComponentName, Partial<Record<WeightVariant, ComponentSpec>>][]) {
    const { spec, ...pick } = choose(offered, target);
    components[name] = spec;
    picks.push({ component: name, ...pick });
  }
  const { variants: _dropped, ...rest } = m;
  const picked: ModelManifest = { ...rest, components };
  if (m.presets) picked.presets = pickPresetDenoisers(m.presets, target, picks);
  return { manifest: picked, picks };
}

/** Each preset's denoisers, from text and for windows with known frames, picked on their own like components. */
function pickPresetDenoisers(presets: NonNullable<ModelManifest['presets']>, target: VariantTarget, picks: VariantPick[]): NonNullable<ModelManifest['presets']> {
  const out: NonNullable<ModelManifest['presets']> = {};
  for (const [name, p] of Object.entries(presets) as [PresetName, Preset][]) {
    const { denoiserVariants, knownFramesDenoiserVariants, ...preset } = p;
    if (denoiserVariants) {
      const { spec, ...pick } = choose(denoiserVariants, target);
      preset.denoiser = spec;
      picks.push({ component: 'denoiser', preset: name, ...pick });
    }
    if (knownFramesDenoiserVariants) {
      const { spec, ...pick } = choose(knownFramesDenoiserVariants, target);
      preset.knownFramesDenoiser = spec;
      picks.push({ component: 'denoiser', preset: name, knownFrames: true, ...pick });
    }
    out[name] = preset;
  }
  return out;
}

/**
 * "fp16 weights (WebGPU offers shader-f16)", or one clause per variant and reason, naming the components that took it
 * ("Fast denoiser and Fast denoiser for known frames: int8 (…)"); null without variants.
 */
export function describePicks(picks: readonly VariantPick[]): string | null {
  if (picks.length === 0) return null;
  const first = picks[0]!;
  if (picks.every((p) => !p.preset && p.variant === first.variant && p.reason === first.reason)) return `${first.variant} weights (${first.reason})`;
  const name = (p: VariantPick) => (p.preset ? `${PRESET_LABELS[p.preset]} denoiser${p.knownFrames ? ' for known frames' : ''}` : p.component.replace('_', ' '));
  const clauses = new Map<string, string[]>();
  for (const p of picks) {
    const clause = `${p.variant} (${p.reason})`;
    clauses.set(clause, [...(clauses.get(clause) ?? []), name(p)]);
  }
  return [...clauses].map(([clause, names]) => `${names.join(' and ')}: ${clause}`).join('; ');
}
