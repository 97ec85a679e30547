import { modelFrameSize } from '../engine/frame-size';
import { SCHEDULER_LABELS } from '../engine/schedulers';
import type { ModelManifest, TensorSpec } from '../engine/types';
import { useKineto, type ModelSourceInfo, type ModelStatus } from '../store';
import type { LoadStage } from '../worker/protocol';
import { CachedModels } from './CachedModels';
import { DownloadView } from './DownloadView';
import { ModelCatalog } from './ModelCatalog';
import { ModelGate } from './ModelGate';
import { ModelSourcePicker } from './ModelSourcePicker';
import { ModelSwitch } from './ModelSwitch';
import { ProgressBar } from './ProgressBar';

function formatMB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const STAGE_TEXT: Record<LoadStage, string> = {
  manifest: 'Reading the model description',
  download: 'Downloading',
  verify: 'Checking',
  session: 'Starting on the backend',
  'speed-test': 'Timing one step on',
};

/** The loading bar's value (0–100) and text. */
function loadProgress(model: ModelStatus): { percent: number; text: string } {
  switch (model.status) {
    case 'idle':
      return { percent: 0, text: 'Not loaded yet' };
    case 'failed':
      return { percent: 0, text: 'Failed to load' };
    case 'ready':
      return { percent: 100, text: `Loaded in ${model.loadSeconds.toFixed(1)} s` };
    case 'loading': {
      const percent = model.totalBytes > 0 ? Math.round((100 * Math.min(model.loadedBytes, model.totalBytes)) / model.totalBytes) : 0;
      const bytes = model.totalBytes > 0 ? ` — ${formatMB(model.loadedBytes)} / ${formatMB(model.totalBytes)}` : '';
      const file = model.file ? ` ${model.file}` : '';
      return { percent, text: `${STAGE_TEXT[model.stage]}${file}${bytes}` };
    }
  }
}

/** What is being loaded, while nothing is ready yet. */
function loadingText(source: ModelSourceInfo | null): string {
  if (!source) return 'Loading the built-in model…';
  if (source.kind === 'folder') return `Loading the model in the folder "${source.name}"…`;
  return source.kind === 'url' ? `Loading the model at ${source.manifestUrl}…` : 'Loading the built-in model…';
}

function shapeText(spec: TensorSpec | undefined): string {
  return spec ? `[${spec.shape.join(' × ')}]` : 'unknown';
}

/** A teacher-facing walk through the pipeline with this model's numbers. */
function HowItWorks({ manifest }: { manifest: ModelManifest | null }) {
  const m = manifest;
  const draftSteps = useKineto((s) => s.draft.steps);
  const latent = m?.latent;
  const drawn = m?.components.vae_decoder ? modelFrameSize(m) : null;
  const pixels = drawn ? `${drawn.width}×${drawn.height}` : null;
  const scheduler = useKineto((s) => s.draft.scheduler);
  const schedulerLabel = SCHEDULER_LABELS[scheduler] ?? scheduler;
  return (
    <details className="how-it-works">
      <summary>How it works</summary>
      <ol>
        <li>
          <strong>Tokenizer.</strong> Your prompt is split into words and each word becomes a number (a token id)
          {m ? (
            <>
              {' '}
              from a list of {m.vocabulary ? `${m.vocabulary.length} known words` : 'known words'}; the prompt is cut or padded to{' '}
              {m.tokenizer.maxLength} tokens
            </>
          ) : null}
          . Words the model never saw become an “unknown” token, which is why Kineto warns about them.
        </li>
        <li>
          <strong>Text encoder.</strong> A small neural network turns the token ids into one vector per token
          {m ? <> (output shape {shapeText(m.components.text_encoder.outputs[0])})</> : null}: the model's understanding of the
          prompt. It runs once per clip (twice with guidance: with your prompt and with the negative prompt).
        </li>
        <li>
          <strong>Denoising steps.</strong> The clip starts as pure random noise, chosen by the seed
          {latent ? (
            <>
              {' '}
              — a “latent” of {latent.channels} channels × {latent.frames} frames × {latent.height}×{latent.width} positions, much smaller
              than the video
            </>
          ) : null}
          . The denoiser then removes a little noise at each step — {m ? m.defaults.steps : 'N'} steps by default, {draftSteps || '?'}{' '}
          with your Steps setting — guided by the text vectors; the scheduler ({schedulerLabel}{m && m.defaults.scheduler !== scheduler ? `; this model's default is ${SCHEDULER_LABELS[m.defaults.scheduler] ?? m.defaults.scheduler}` : ''}) decides how big each step is. Guidance compares the prediction for your
          prompt with the one for the negative prompt and pushes further in the prompt's direction. The live preview shows,
          after every step, the model's current estimate of the finished clip (x̂0): blurry at first, sharper as the noise
          goes away.
        </li>
        <li>
          <strong>VAE decoder.</strong>{' '}
          {pixels && latent ? (
            <>
              Each latent frame ({latent.height}×{latent.width}) is turned into a {pixels} picture: the decoder adds back the fine
              detail the latent leaves out ({drawn!.width / latent.width}× per side).
            </>
          ) : (
            <>The decoder turns each small latent frame into a full-size picture.</>
          )}
        </li>
        <li>
          <strong>Video encoder.</strong> The browser's own video encoder (WebCodecs) compresses the frames into H.264 (MP4) or
          VP9/VP8 (WebM) at the frame rate you chose, scaled to the Output size. Everything runs inside this tab; nothing is
          uploaded.
        </li>
      </ol>
    </details>
  );
}

/** Which model is loaded, its loading progress, and how the pipeline works. */
export function ModelPanel() {
  const model = useKineto((s) => s.model);
  const source = useKineto((s) => s.modelSource);
  const reloadModel = useKineto((s) => s.reloadModel);
  const manifest = model.status === 'ready' ? model.manifest : null;
  const { percent, text } = loadProgress(model);

  return (
    <section className="panel model-panel">
      <h2 className="panel-title">Model</h2>
      {manifest ? (
        <div className="model-info">
          <p className="model-name">{manifest.name}</p>
          <p className="hint">{manifest.description}</p>
          <p className="hint">Licence: {manifest.license}</p>
        </div>
      ) : (
        <p className="hint">{model.status === 'failed' ? "The model didn't load." : loadingText(source)}</p>
      )}
      <ProgressBar label="Model loading" percent={percent} valueText={text} thin />
      <p className="hint">{text}</p>
      {model.status === 'failed' && (
        <button type="button" className="secondary" onClick={() => void reloadModel()}>
          Try loading again
        </button>
      )}
      <ModelSwitch />
      <ModelGate />
      <DownloadView />
      <ModelCatalog />
      <ModelSourcePicker />
      <CachedModels />
      <HowItWorks manifest={manifest} />
    </section>
  );
}
