import { type RefObject, useEffect, useId, useState } from 'react';
import { type ClipFacts, fileFps } from '../engine/clip-facts';
import { useKineto } from '../store';
import { frameAtTime, frameMidTime } from '../video/frame-time';

/**
 * Use this frame on the clip on screen: a Frame slider that follows the player (moving it, also by the arrow keys,
 * pauses the player on that frame) and a button that puts the frame shown in the form as its start image.
 */
export function UseThisFrame({ video, facts }: { video: RefObject<HTMLVideoElement | null>; facts: ClipFacts }) {
  const id = useId();
  const fps = fileFps(facts);
  const count = facts.frameCount;
  const [frame, setFrame] = useState(0);
  const { startFromResultFrame } = useKineto.getState();

  useEffect(() => {
    const v = video.current;
    if (!v) return;
    const follow = () => setFrame(frameAtTime(v.currentTime, fps, count));
    follow();
    v.addEventListener('timeupdate', follow);
    v.addEventListener('seeked', follow);
    return () => {
      v.removeEventListener('timeupdate', follow);
      v.removeEventListener('seeked', follow);
    };
  }, [video, facts, fps, count]);

  const show = (i: number) => {
    setFrame(i);
    const v = video.current;
    if (!v) return;
    v.pause();
    v.currentTime = frameMidTime(i, fps);
  };
  const seconds = (frame / fps).toFixed(2);
  return (
    <div className="use-frame">
      <label htmlFor={`${id}-frame`}>Frame</label>
      <input
        id={`${id}-frame`}
        type="range"
        min={0}
        max={count - 1}
        step={1}
        value={frame}
        aria-valuetext={`Frame ${frame + 1} of ${count}, at ${seconds} s`}
        onChange={(e) => show(Number(e.target.value))}
      />
      <output htmlFor={`${id}-frame`}>
        {frame + 1} / {count}
      </output>
      <button
        type="button"
        className="secondary"
        onClick={() => {
          // The frame on screen now: the player may have moved on since the slider last followed it.
          const v = video.current;
          const shown = v ? frameAtTime(v.currentTime, fps, count) : frame;
          v?.pause();
          void startFromResultFrame(shown);
        }}
      >
        Use this frame
      </button>
    </div>
  );
}
