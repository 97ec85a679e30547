/**
 * What the person is editing: the clip's parameters exactly as typed (numbers stay strings until Generate, so a
 * half-typed "1e" or an out-of-range "500" is shown back untouched and refused with a message, never clamped),
 * the output container, the sound, Smooth motion and the backend choice.
 */
import type { PreviewMode } from '../engine/pipelines/shared';
import type { StateCreator } from 'zustand';
import { defaultParams, type ParamIssue } from '../engine/params';
import { presetSettings } from '../engine/presets';
import type { GenerateParams, ModelManifest, PresetName, SchedulerKind } from '../engine/types';
import type { BackendChoice, VideoContainer } from '../worker/protocol';
import type { KinetoState } from './index';

/** Parameter fields typed as numbers; the draft keeps them as the raw strings from their inputs. */
export const NUMBER_FIELDS = ['seed', 'steps', 'guidanceScale', 'frames', 'fps', 'outputSize'] as const;
export type NumberField = (typeof NUMBER_FIELDS)[number];

/**
 * GenerateParams as typed: text fields as text, number fields as raw input strings; `preset` is the Speed choice
 * (null for a model without presets), whose settings were written into the fields when it was chosen.
 */
export type Draft = { prompt: string; negativePrompt: string; scheduler: SchedulerKind; preset: PresetName | null } & Record<NumberField, string>;

/** The choices the Backend select offers: Auto (engine/backend-choice.ts), WebGPU or the CPU (WASM). */
export type BackendSetting = BackendChoice;

export type SettingsSlice = {
  draft: Draft;
  container: VideoContainer;
  /** How the live preview is made at each step (decoding costs a VAE call per step). */
  previewMode: PreviewMode;
  backendChoice: BackendSetting;
  /** Whether the prompt is written into the video file's title (the provenance record is written either way). */
  promptInFile: boolean;
  /** Whether clips get a sound track made from their motion (src/sound). */
  sound: boolean;
  /** Smooth motion: the frames between the model's are made too, so clips have twice the frame rate. */
  smoothMotion: boolean;
  /** Problems found by the last Generate; each is shown beside its field until that field is edited. */
  issues: ParamIssue[];
  /** Manifest id whose defaults were last written into the draft. */
  draftModelId: string | null;

  setDraftField<K extends keyof Draft>(field: K, value: Draft[K]): void;
  randomizeSeed(): void;
  setContainer(container: VideoContainer): void;
  setPreviewMode(mode: PreviewMode): void;
  setPromptInFile(include: boolean): void;
  setSound(on: boolean): void;
  setSmoothMotion(on: boolean): void;
  /** Automation: let Auto time a software WebGPU adapter too (never picked without a timing). */
  probeSoftwareAdapters: boolean;
  /** The Speed choice: writes the preset's steps, guidance and scheduler into the draft (they can still be edited). */
  choosePreset(preset: PresetName): void;
  /** Writes the model's defaults into the draft, keeping the prompt and the seed. */
  applyModelDefaults(manifest: ModelManifest): void;
  setIssues(issues: ParamIssue[]): void;
};

/** A uniformly random seed in [0, 2³² − 1]. */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
}

/** Draft values before any manifest is known; replaced by the model's defaults once it loads. */
export function initialDraft(seed = randomSeed()): Draft {
  return {
    prompt: '',
    negativePrompt: '',
    scheduler: 'ddim',
    preset: null,
    seed: String(seed),
    steps: '20',
    guidanceScale: '4',
    frames: '16',
    fps: '8',
    outputSize: '256',
  };
}

/** An input string as a number: blank is NaN (not 0), so validateParams reports it instead of running with 0. */
function parseNumber(raw: string): number {
  return raw.trim() === '' ? Number.NaN : Number(raw);
}

/** The draft as GenerateParams; out-of-range or non-numeric values pass through for validateParams to refuse. */
export function draftToParams(d: Draft): GenerateParams {
  const params: GenerateParams = {
    prompt: d.prompt,
    negativePrompt: d.negativePrompt,
    scheduler: d.scheduler,
    seed: parseNumber(d.seed),
    steps: parseNumber(d.steps),
    guidanceScale: parseNumber(d.guidanceScale),
    frames: parseNumber(d.frames),
    fps: parseNumber(d.fps),
    outputSize: parseNumber(d.outputSize),
  };
  if (d.preset) params.preset = d.preset;
  return params;
}

/** Parameters as the form shows them (the inverse of draftToParams); `preset` is null when they name none. */
export function draftFromParams(p: GenerateParams): Draft {
  const numbers = Object.fromEntries(NUMBER_FIELDS.map((f) => [f, String(p[f])])) as Record<NumberField, string>;
  return { prompt: p.prompt, negativePrompt: p.negativePrompt, scheduler: p.scheduler, preset: p.preset ?? null, ...numbers };
}

/** The draft fields a preset fills in. */
function presetFields(m: ModelManifest, preset: PresetName | null): Pick<Draft, 'preset' | 'scheduler' | 'steps' | 'guidanceScale'> {
  const p = presetSettings(m, preset);
  return { preset, scheduler: p.scheduler, steps: String(p.steps), guidanceScale: String(p.guidanceScale) };
}

/**
 * Words of `text` missing from a word-level vocabulary (lower-cased, in order of first use, each once). A hint
 * only: the worker's tokenizer has the last word and reports `unknownWords` with the result.
 */
export function findUnknownWords(text: string, vocabulary: readonly string[] | undefined): string[] {
  if (!vocabulary || vocabulary.length === 0) return [];
  const known = new Set(vocabulary.map((w) => w.toLowerCase()));
  const unknown: string[] = [];
  for (const word of text.toLowerCase().split(/[^\p{L}\p{N}'-]+/u)) {
    const w = word.replace(/^['-]+|['-]+$/g, '');
    if (w !== '' && !known.has(w) && !unknown.includes(w)) unknown.push(w);
  }
  return unknown;
}

export const createSettingsSlice: StateCreator<KinetoState, [], [], SettingsSlice> = (set) => ({
  draft: initialDraft(),
  container: 'mp4',
  previewMode: 'decode',
  backendChoice: 'auto',
  promptInFile: true,
  sound: true,
  smoothMotion: false,
  issues: [],
  draftModelId: null,

  setDraftField: (field, value) =>
    set((s) => ({
      draft: { ...s.draft, [field]: value },
      issues: s.issues.some((i) => i.field === field) ? s.issues.filter((i) => i.field !== field) : s.issues,
    })),

  randomizeSeed: () =>
    set((s) => ({ draft: { ...s.draft, seed: String(randomSeed()) }, issues: s.issues.filter((i) => i.field !== 'seed') })),

  setContainer: (container) => set({ container }),
  setPreviewMode: (previewMode) => set({ previewMode }),
  setPromptInFile: (promptInFile) => set({ promptInFile }),
  setSound: (sound) => set({ sound }),
  setSmoothMotion: (smoothMotion) => set({ smoothMotion }),
  probeSoftwareAdapters: false,

  choosePreset: (preset) =>
    set((s) => (s.model.status === 'ready'
      ? { draft: { ...s.draft, ...presetFields(s.model.manifest, preset) }, issues: s.issues.filter((i) => !['steps', 'guidanceScale', 'scheduler'].includes(i.field)) }
      : {})),

  applyModelDefaults: (m) =>
    set((s) => {
      const defaults = draftFromParams(defaultParams(m));
      const negativePrompt = s.draft.negativePrompt === '' ? defaults.negativePrompt : s.draft.negativePrompt;
      return { draftModelId: m.id, issues: [], draft: { ...defaults, prompt: s.draft.prompt, seed: s.draft.seed, negativePrompt } };
    }),

  setIssues: (issues) => set({ issues }),
});
