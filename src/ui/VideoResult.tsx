import { useEffect, useRef } from 'react';
import { type ClipFacts, CONTAINER_NAMES, fileFps } from '../engine/clip-facts';
import { useKineto } from '../store';
import { AiBadge } from '../library/AiBadge';
import { SaveStatus } from '../library/SaveStatus';
import { ExtendClip } from './ExtendClip';
import { UseThisFrame } from './UseThisFrame';

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(2)} MB`;
}

/**
 * Plays the clip with its sound where the browser allows it (the person has just pressed Generate); where it refuses
 * to start sound by itself, muted, and the player's own volume button turns the sound on.
 */
function playWithSound(video: HTMLVideoElement): void {
  video.play().catch((e: unknown) => {
    // NotAllowedError: no sound without a gesture. Any other (a pause() while starting) is left as it is.
    if (!(e instanceof DOMException && e.name === 'NotAllowedError') || video.muted) return;
    video.muted = true;
    video.play().catch(() => {});
  });
}

const AUDIO_CODECS: Record<string, string> = { 'mp4a.40.2': 'AAC-LC', opus: 'Opus' };

/** The clip's sound in words: its codec, events and loudness, or why it has none. */
function soundText(facts: ClipFacts): string {
  const { sound, soundSkipped } = facts;
  if (sound) {
    const loudness = sound.loudnessLufs !== null ? ` · ${sound.loudnessLufs.toFixed(1)} LUFS` : ' · silent';
    const follows = sound.follows === 'object' ? 'the object' : 'the motion';
    return `${AUDIO_CODECS[sound.codec] ?? sound.codec} · ${sound.events} events, following ${follows}${loudness}`;
  }
  return soundSkipped ?? 'None (Sound was off)';
}

/** The finished clip: player, download link and what produced it. */
export function VideoResult() {
  const result = useKineto((s) => s.result);
  const setDraftField = useKineto((s) => s.setDraftField);
  const draftSeed = useKineto((s) => s.draft.seed);
  const running = useKineto((s) => s.run.status !== 'idle');
  const video = useRef<HTMLVideoElement | null>(null);

  // The last clip rests while the next one generates: decoding and compositing a looping video took CPU from the
  // model on a 2-core machine (docs/SPEED.md).
  useEffect(() => {
    const v = video.current;
    if (!v) return;
    if (running) v.pause();
    else playWithSound(v);
  }, [running, result?.url]);

  if (!result) {
    return (
      <section className="panel result-panel">
        <h2 className="panel-title">Your clip</h2>
        <p className="hint">Your video will appear here. Nothing leaves your computer: the model runs in this tab.</p>
      </section>
    );
  }

  const { url, facts } = result;
  const { params, timings } = facts;
  const label = CONTAINER_NAMES[facts.container];
  const fps = fileFps(facts);
  return (
    <section className="panel result-panel">
      <h2 className="panel-title">Your clip</h2>
      <video
        key={url}
        ref={video}
        className="result-video"
        src={url}
        width={facts.width}
        height={facts.height}
        controls
        loop
        playsInline
        aria-label="Generated video"
      />
      {running && <p className="hint">Paused while the next clip generates.</p>}
      <UseThisFrame video={video} facts={facts} />
      <div className="result-actions">
        <a className="button primary" href={url} download={facts.fileName}>
          Download {label}
        </a>
        <p className="seed-used">
          Seed {params.seed}
        </p>
        <AiBadge />
        {draftSeed !== String(params.seed) && (
          <button type="button" className="secondary" onClick={() => setDraftField('seed', String(params.seed))}>
            Reuse this seed
          </button>
        )}
      </div>
      <ExtendClip result={result} />
      <SaveStatus />
      <dl className="facts">
        <dt>Prompt</dt>
        <dd>{params.prompt}</dd>
        <dt>Codec</dt>
        <dd>
          {facts.codec} in {label} ({facts.mimeType})
        </dd>
        <dt>Size</dt>
        <dd>
          {formatBytes(facts.size)} · {facts.width}×{facts.height} px
        </dd>
        <dt>Frames</dt>
        <dd>
          {facts.frameCount} at {fps} fps ({(facts.frameCount / fps).toFixed(2)} s)
        </dd>
        {facts.smoothMotion && (
          <>
            <dt>Smooth motion</dt>
            <dd>
              On: the model's {facts.frameCount / 2} frames at {params.fps} fps, with a frame made between each two
            </dd>
          </>
        )}
        {facts.sound !== undefined && (
          <>
            <dt>Sound</dt>
            <dd>{soundText(facts)}</dd>
          </>
        )}
        <dt>Time</dt>
        <dd>
          total {timings.totalSeconds.toFixed(2)} s · model {timings.modelSeconds.toFixed(2)} s · encode{' '}
          {timings.encodeSeconds.toFixed(2)} s
        </dd>
        <dt>File</dt>
        <dd>{facts.fileName}</dd>
      </dl>
      {facts.unknownWords.length > 0 && (
        <p className="hint hint-warn">The model didn't know these words and ignored them: {facts.unknownWords.join(', ')}.</p>
      )}
    </section>
  );
}
