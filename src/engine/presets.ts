/**
 * Speed presets (manifest `presets`): which one a clip uses, its sampler settings, and the manifest as the pipeline
 * sees it with that preset's denoiser in `components.denoiser`. Pure; the runtime loads the denoiser file.
 */
import type { ModelManifest, Preset, PresetName, SchedulerKind } from './types';
import { PRESET_NAMES } from './types';

export const PRESET_LABELS: Record<PresetName, string> = { fast: 'Fast', quality: 'Quality' };

/** The presets a manifest offers, in the order the Speed control lists them. */
export function offeredPresets(m: ModelManifest): PresetName[] {
  return PRESET_NAMES.filter((n) => m.presets?.[n] !== undefined);
}

/** Fast when offered, else the one preset there is; null for a model without presets. */
export function defaultPreset(m: ModelManifest): PresetName | null {
  return offeredPresets(m)[0] ?? null;
}

/** The preset a clip uses, and a sentence for the person when it is not the one asked for. */
export type PresetResolution = { preset: PresetName | null; notice: string | null };

/**
 * `requested` if the model offers it; otherwise the other preset with a notice; for a model without presets, none
 * (its `defaults`), with a notice only when one was asked for. Absent `requested` means the default preset.
 */
export function resolvePreset(m: ModelManifest, requested?: PresetName): PresetResolution {
  const offered = offeredPresets(m);
  if (requested === undefined) return { preset: defaultPreset(m), notice: null };
  if (offered.includes(requested)) return { preset: requested, notice: null };
  const label = PRESET_LABELS[requested];
  if (offered.length === 0) return { preset: null, notice: `${m.name} has no ${label} preset; its default settings are used.` };
  const other = offered[0]!;
  return { preset: other, notice: `${m.name} has no ${label} preset; using ${PRESET_LABELS[other]} instead.` };
}

/** The sampler settings a preset fills in (the manifest's `defaults` for none). */
export type PresetSettings = { scheduler: SchedulerKind; steps: number; guidanceScale: number };

export function presetSettings(m: ModelManifest, preset: PresetName | null): PresetSettings {
  const p: Preset | PresetSettings = (preset && m.presets?.[preset]) || m.defaults;
  return { scheduler: p.scheduler, steps: p.steps, guidanceScale: p.guidanceScale };
}

/**
 * The manifest with `preset`'s denoiser as `components.denoiser` (unchanged when the preset has none) and its
 * denoiser for known frames, if any, as `knownFramesDenoiser`.
 */
export function withPresetDenoiser(m: ModelManifest, preset: PresetName | null): ModelManifest {
  const p = preset ? m.presets?.[preset] : undefined;
  if (!p?.denoiser && !p?.knownFramesDenoiser && !m.knownFramesDenoiser) return m;
  const { knownFramesDenoiser: _other, ...rest } = m;
  const out: ModelManifest = p?.denoiser ? { ...rest, components: { ...m.components, denoiser: p.denoiser } } : rest;
  if (p?.knownFramesDenoiser) out.knownFramesDenoiser = p.knownFramesDenoiser;
  return out;
}

/** The manifest a window with known frames runs: `knownFramesDenoiser` as `components.denoiser` when there is one. */
export function forKnownFrames(m: ModelManifest): ModelManifest {
  const { knownFramesDenoiser: denoiser, ...rest } = m;
  return denoiser ? { ...rest, components: { ...m.components, denoiser } } : m;
}
