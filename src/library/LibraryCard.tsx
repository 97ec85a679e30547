import type { ClipEntry } from './clip-record';
import { AiBadge } from './AiBadge';
import { CardPoster } from './CardPoster';
import { fileFps } from '../engine/clip-facts';
import { downloadStoredVideo } from './download';
import { formatBytes, useKineto } from '../store';
import { formatDate } from './format';
import { shareUrl } from './share-link';

/**
 * One clip in the grid: poster, what made it, and its actions (Use this frame takes the poster's frame, the middle
 * one). `eager`: its poster is on the first screen.
 */
export function LibraryCard({ item, eager, onPosterLoad }: { item: ClipEntry & { posterUrl: string | null }; eager: boolean; onPosterLoad(id: string): void }) {
  const { playClip, remixClip, removeClip, readClipVideo, startFromClipFrame } = useKineto.getState();
  const { facts } = item;
  const p = facts.params;
  const name = `“${p.prompt}”`;
  return (
    <li className="library-card" data-clip-id={item.id}>
      <CardPoster id={item.id} name={name} posterUrl={item.posterUrl} width={facts.width} height={facts.height} eager={eager} onPosterLoad={onPosterLoad} />
      <div className="library-card-body">
        <p className="library-prompt">{p.prompt}</p>
        <AiBadge />
        <p className="hint">
          Seed {p.seed} · {p.steps} steps · {p.frames} frames · {facts.width}px · {formatBytes(facts.size)}
          {facts.smoothMotion && ` · Smooth motion (${fileFps(facts)} fps)`}
          {facts.live && ` · recorded in Live (${facts.live.parts.length} ${facts.live.parts.length === 1 ? 'prompt' : 'prompts'})`}
        </p>
        <p className="hint">
          <time dateTime={new Date(item.createdAt).toISOString()}>{formatDate(item.createdAt)}</time>
        </p>
        <div className="library-actions">
          <button type="button" className="secondary" onClick={() => void playClip(item.id)} aria-label={`Play ${name}`}>
            Play
          </button>
          <button type="button" className="secondary" onClick={() => void downloadStoredVideo(() => readClipVideo(item.id), facts.fileName)} aria-label={`Download ${name}`}>
            Download
          </button>
          <button type="button" className="secondary" onClick={() => remixClip(item.id)} aria-label={`Remix ${name}`}>
            Remix
          </button>
          <button type="button" className="secondary" onClick={() => void startFromClipFrame(item.id)} aria-label={`Use this frame of ${name}`}>
            Use this frame
          </button>
          <a className="button secondary" href={shareUrl(location.href, p)} aria-label={`Share link for ${name}`}>
            Share link
          </a>
          <button type="button" className="secondary danger" onClick={() => void removeClip(item.id)} aria-label={`Delete ${name}`}>
            Delete
          </button>
        </div>
      </div>
    </li>
  );
}
