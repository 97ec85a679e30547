import { useKineto } from '../store';

type Props = {
  id: string;
  /** The entry's name as the card reads it (its prompt or title, in quotes). */
  name: string;
  posterUrl: string | null;
  width: number;
  height: number;
  /** On the first screen: load at once rather than as the grid scrolls to it. */
  eager: boolean;
  onPosterLoad(id: string): void;
};

/** A Library card's poster: the button that plays the entry, clip or film. */
export function CardPoster({ id, name, posterUrl, width, height, eager, onPosterLoad }: Props) {
  const { playClip } = useKineto.getState();
  return (
    <button type="button" className="poster-button" onClick={() => void playClip(id)} aria-label={`Play ${name}`}>
      {posterUrl ? (
        <img
          src={posterUrl}
          alt=""
          width={width}
          height={height}
          loading={eager ? 'eager' : 'lazy'}
          decoding="async"
          onLoad={() => onPosterLoad(id)}
          onError={() => onPosterLoad(id)}
        />
      ) : (
        <span className="poster-missing">No preview</span>
      )}
    </button>
  );
}
