import { PREVIEW_MODES, type PreviewMode } from '../engine/pipelines/shared';
import { useId, useMemo, type KeyboardEvent, type ReactNode } from 'react';
import { frameLimits, LIMITS } from '../engine/params';
import { SCHEDULER_LABELS } from '../engine/schedulers';
import { offeredPresets, PRESET_LABELS } from '../engine/presets';
import { SCHEDULER_KINDS, type GenerateParams, type PresetName, type SchedulerKind } from '../engine/types';
import { findUnknownWords, useKineto, type Draft, type NumberField as NumberFieldName } from '../store';
import { StartImageField } from './StartImageField';
import { VIDEO_CONTAINERS, type VideoContainer } from '../worker/protocol';

const CONTAINER_LABELS: Record<VideoContainer, string> = { mp4: 'MP4 (H.264)', webm: 'WebM (VP9)' };

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const SHORTCUT = IS_MAC ? '⌘ + Enter' : 'Ctrl + Enter';

/** The messages validateParams gave for one field at the last Generate. */
function useFieldIssues(field: keyof GenerateParams): string[] {
  const issues = useKineto((s) => s.issues);
  return useMemo(() => issues.filter((i) => i.field === field).map((i) => i.message), [issues, field]);
}

/** Issue messages under a control, each announced with role="alert". */
function Issues({ id, messages }: { id: string; messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <div id={id} className="field-issues">
      {messages.map((m) => (
        <p key={m} role="alert" className="field-issue">
          {m}
        </p>
      ))}
    </div>
  );
}

function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const list = ids.filter((x): x is string => typeof x === 'string' && x !== '');
  return list.length > 0 ? list.join(' ') : undefined;
}

function PromptField() {
  const id = useId();
  const value = useKineto((s) => s.draft.prompt);
  const setDraftField = useKineto((s) => s.setDraftField);
  const generate = useKineto((s) => s.generate);
  const vocabulary = useKineto((s) => (s.model.status === 'ready' ? s.model.manifest.vocabulary : undefined));
  const issues = useFieldIssues('prompt');
  const unknown = useMemo(() => findUnknownWords(value, vocabulary), [value, vocabulary]);

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void generate();
    }
  };

  return (
    <div className="field field-wide">
      <label htmlFor={`${id}-input`}>Prompt</label>
      <textarea
        id={`${id}-input`}
        rows={3}
        value={value}
        placeholder="Describe a short clip, e.g. “a red circle moving right”"
        aria-invalid={issues.length > 0}
        aria-describedby={describedBy(issues.length > 0 && `${id}-issues`, unknown.length > 0 && `${id}-unknown`, `${id}-hint`)}
        onChange={(e) => setDraftField('prompt', e.target.value)}
        onKeyDown={onKeyDown}
      />
      <Issues id={`${id}-issues`} messages={issues} />
      <div aria-live="polite">
        {unknown.length > 0 && (
          <p id={`${id}-unknown`} className="hint hint-warn">
            This model doesn't know {unknown.length === 1 ? 'the word' : 'the words'}{' '}
            {unknown.map((w, i) => (
              <span key={w}>
                {i > 0 && ', '}
                <q>{w}</q>
              </span>
            ))}
            ; {unknown.length === 1 ? 'it' : 'they'} will be ignored.
          </p>
        )}
      </div>
      <p id={`${id}-hint`} className="hint">
        {value.length} / {LIMITS.promptChars} characters · {SHORTCUT} generates
      </p>
      {vocabulary && vocabulary.length > 0 && (
        <details className="vocabulary">
          <summary>Words this model knows ({vocabulary.length})</summary>
          <p>{vocabulary.join(', ')}</p>
        </details>
      )}
    </div>
  );
}

function NegativePromptField() {
  const id = useId();
  const value = useKineto((s) => s.draft.negativePrompt);
  const setDraftField = useKineto((s) => s.setDraftField);
  const issues = useFieldIssues('negativePrompt');
  return (
    <div className="field field-wide">
      <label htmlFor={`${id}-input`}>Negative prompt</label>
      <textarea
        id={`${id}-input`}
        rows={2}
        value={value}
        placeholder="What the clip should not look like (optional)"
        aria-invalid={issues.length > 0}
        aria-describedby={describedBy(issues.length > 0 && `${id}-issues`)}
        onChange={(e) => setDraftField('negativePrompt', e.target.value)}
      />
      <Issues id={`${id}-issues`} messages={issues} />
    </div>
  );
}

type NumberFieldProps = {
  field: NumberFieldName;
  label: string;
  /** Shown under the control: the accepted range. */
  hint?: string;
  step?: string;
  min?: number;
  max?: number;
  children?: ReactNode;
};

/** A number input that keeps exactly what was typed; the range is only a hint and a spinner bound. */
function NumberField({ field, label, hint, step = '1', min, max, children }: NumberFieldProps) {
  const id = useId();
  const value = useKineto((s) => s.draft[field]);
  const setDraftField = useKineto((s) => s.setDraftField);
  const issues = useFieldIssues(field);
  return (
    <div className="field">
      <label htmlFor={`${id}-input`}>{label}</label>
      <div className="field-row">
        <input
          id={`${id}-input`}
          type="number"
          inputMode={step === '1' ? 'numeric' : 'decimal'}
          step={step}
          min={min}
          max={max}
          value={value}
          aria-invalid={issues.length > 0}
          aria-describedby={describedBy(issues.length > 0 && `${id}-issues`, hint && `${id}-hint`)}
          onChange={(e) => setDraftField(field, e.target.value)}
        />
        {children}
      </div>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      <Issues id={`${id}-issues`} messages={issues} />
    </div>
  );
}

function SchedulerField() {
  const id = useId();
  const value = useKineto((s) => s.draft.scheduler);
  const setDraftField = useKineto((s) => s.setDraftField);
  const issues = useFieldIssues('scheduler');
  return (
    <div className="field">
      <label htmlFor={`${id}-input`}>Scheduler</label>
      <select
        id={`${id}-input`}
        value={value}
        aria-invalid={issues.length > 0}
        aria-describedby={describedBy(issues.length > 0 && `${id}-issues`)}
        onChange={(e) => setDraftField('scheduler', e.target.value as Draft['scheduler'])}
      >
        {SCHEDULER_KINDS.map((k: SchedulerKind) => (
          <option key={k} value={k}>
            {SCHEDULER_LABELS[k] ?? k}
          </option>
        ))}
      </select>
      <Issues id={`${id}-issues`} messages={issues} />
    </div>
  );
}

/** A labelled select over a closed set of options (the string union is taken from `options`). */
function ChoiceField<T extends string>(props: { label: string; options: readonly T[]; labels: Record<T, string>; value: T; onChange(v: T): void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={`${id}-input`}>{props.label}</label>
      <select id={`${id}-input`} value={props.value} onChange={(e) => props.onChange(e.target.value as T)}>
        {props.options.map((o) => (
          <option key={o} value={o}>
            {props.labels[o]}
          </option>
        ))}
      </select>
    </div>
  );
}

const SPEED_HINTS: Record<PresetName, string> = {
  fast: 'A few model calls per clip',
  quality: 'More steps with guidance: slower, the reference quality',
};

/** The Speed choice (Fast / Quality) for a model with presets; it fills in Steps, Guidance and Scheduler. */
function SpeedField() {
  const id = useId();
  const manifest = useKineto((s) => (s.model.status === 'ready' ? s.model.manifest : null));
  const value = useKineto((s) => s.draft.preset);
  const choosePreset = useKineto((s) => s.choosePreset);
  const offered = useMemo(() => (manifest ? offeredPresets(manifest) : []), [manifest]);
  if (offered.length === 0 || value === null) return null;
  return (
    <div className="field">
      <label htmlFor={`${id}-input`}>Speed</label>
      <select id={`${id}-input`} value={value} aria-describedby={`${id}-hint`} onChange={(e) => choosePreset(e.target.value as PresetName)}>
        {offered.map((p) => (
          <option key={p} value={p}>
            {PRESET_LABELS[p]}
          </option>
        ))}
      </select>
      <p id={`${id}-hint`} className="hint">
        {SPEED_HINTS[value]}; sets Steps, Guidance and Scheduler
      </p>
    </div>
  );
}

function FormatField() {
  const value = useKineto((s) => s.container);
  const setContainer = useKineto((s) => s.setContainer);
  return <ChoiceField label="Format" options={VIDEO_CONTAINERS} labels={CONTAINER_LABELS} value={value} onChange={setContainer} />;
}

/** Sound on or off; the clip's sound is made from its motion after the frames, so it never changes the picture. */
function SoundField() {
  const id = useId();
  const checked = useKineto((s) => s.sound);
  const setSound = useKineto((s) => s.setSound);
  return (
    <div className="field">
      <label className="checkbox">
        <input type="checkbox" checked={checked} onChange={(e) => setSound(e.target.checked)} aria-describedby={`${id}-hint`} />
        Sound
      </label>
      <p id={`${id}-hint`} className="hint">
        Made from the clip's motion: hits, whooshes, spins
      </p>
    </div>
  );
}

/** Smooth motion on or off: the frames between the model's are made too (twice the frame rate, same seconds). */
function SmoothMotionField() {
  const id = useId();
  const checked = useKineto((s) => s.smoothMotion);
  const setSmoothMotion = useKineto((s) => s.setSmoothMotion);
  return (
    <div className="field">
      <label className="checkbox">
        <input type="checkbox" checked={checked} onChange={(e) => setSmoothMotion(e.target.checked)} aria-describedby={`${id}-hint`} />
        Smooth motion
      </label>
      <p id={`${id}-hint`} className="hint">
        Twice the frames per second: the in-betweens of the model's frames are made too
      </p>
    </div>
  );
}

const PREVIEW_LABELS: Record<PreviewMode, string> = {
  decode: 'Decoded x̂0 (exact, slower)',
  'latent-rgb': 'Fast (latent colours)',
  none: 'Off (fastest)',
};

function PreviewField() {
  const value = useKineto((s) => s.previewMode);
  const setPreviewMode = useKineto((s) => s.setPreviewMode);
  return <ChoiceField label="Preview" options={PREVIEW_MODES} labels={PREVIEW_LABELS} value={value} onChange={setPreviewMode} />;
}

function FramesField() {
  const manifest = useKineto((s) => (s.model.status === 'ready' ? s.model.manifest : null));
  const limits = useMemo(() => (manifest ? frameLimits(manifest) : null), [manifest]);
  const hint = limits
    ? limits.multipleOf > 1
      ? `Multiple of ${limits.multipleOf}, ${limits.min}–${limits.max}`
      : `${limits.min}–${limits.max}`
    : undefined;
  return <NumberField field="frames" label="Frames" hint={hint} min={limits?.min} max={limits?.max} step={limits ? String(limits.multipleOf) : '1'} />;
}

function GenerateButton() {
  const hintId = useId();
  const runStatus = useKineto((s) => s.run.status);
  const model = useKineto((s) => s.model.status);
  const loadStage = useKineto((s) => (s.model.status === 'loading' ? s.model.stage : null));
  const cancel = useKineto((s) => s.cancel);

  const running = runStatus !== 'idle';
  const disabled = runStatus === 'cancelling' || (!running && model !== 'ready');
  let hint: string;
  if (runStatus === 'cancelling') hint = 'Stopping after the current step…';
  else if (running) hint = 'Cancel stops the run after the current step.';
  else if (model === 'loading') hint = `Generate is available once the model has loaded (${loadStage ?? 'loading'}…).`;
  else if (model === 'failed') hint = "The model didn't load, so Generate is unavailable: see the message above, or try the other Backend.";
  else if (model === 'idle') hint = 'Generate is available once the model has loaded.';
  else hint = `${SHORTCUT} in the prompt also generates.`;

  return (
    <div className="actions">
      <button
        type={running ? 'button' : 'submit'}
        className={running ? 'primary danger' : 'primary'}
        disabled={disabled}
        aria-describedby={hintId}
        // Generate turns into Cancel as the run starts: the second click of a double-click (detail 2) lands on
        // Cancel and must not stop the run it just started. A keyboard press has detail 0.
        onClick={running ? (e) => e.detail <= 1 && void cancel() : undefined}
      >
        {running ? 'Cancel' : 'Generate'}
      </button>
      <p id={hintId} className="hint">
        {hint}
      </p>
    </div>
  );
}

/** Prompt, negative prompt, every generation setting and the Generate / Cancel button. */
export function PromptForm() {
  const generate = useKineto((s) => s.generate);
  const randomizeSeed = useKineto((s) => s.randomizeSeed);
  return (
    <form
      className="panel prompt-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void generate();
      }}
    >
      <h2 className="panel-title">Describe your clip</h2>
      <PromptField />
      <NegativePromptField />
      <StartImageField />
      <fieldset className="settings">
        <legend>Settings</legend>
        <div className="settings-grid">
          <NumberField field="seed" label="Seed" min={LIMITS.seed.min} max={LIMITS.seed.max} hint="Same seed + same settings = same clip">
            <button type="button" className="secondary" onClick={randomizeSeed}>
              Random seed
            </button>
          </NumberField>
          <SpeedField />
          <NumberField field="steps" label="Steps" min={LIMITS.steps.min} max={LIMITS.steps.max} hint={`${LIMITS.steps.min}–${LIMITS.steps.max}`} />
          <NumberField
            field="guidanceScale"
            label="Guidance"
            step="any"
            min={LIMITS.guidanceScale.min}
            max={LIMITS.guidanceScale.max}
            hint={`${LIMITS.guidanceScale.min}–${LIMITS.guidanceScale.max}; higher follows the prompt more`}
          />
          <SchedulerField />
          <FramesField />
          <NumberField field="fps" label="FPS" min={LIMITS.fps.min} max={LIMITS.fps.max} hint={`${LIMITS.fps.min}–${LIMITS.fps.max} frames per second`} />
          <NumberField
            field="outputSize"
            label="Output size"
            min={LIMITS.outputSize.min}
            max={LIMITS.outputSize.max}
            hint={`${LIMITS.outputSize.min}–${LIMITS.outputSize.max} px, square`}
          />
          <FormatField />
          <SoundField />
          <SmoothMotionField />
          <PreviewField />
        </div>
      </fieldset>
      <GenerateButton />
    </form>
  );
}
