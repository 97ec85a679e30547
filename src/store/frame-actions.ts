/**
 * Use this frame: a frame of a finished clip — the result on screen, or the frame a Library card shows — read from
 * its video file in the worker (`read-frame`) and put in Create's form as its start image, which Create then shows
 * with the focus on it.
 */
import { type ClipFacts, fileFps } from '../engine/clip-facts';
import { posterFrameIndex } from '../video/poster';
import { isFilmEntry } from '../library/library-entry';
import type { EngineContext } from './engine-context';
import { ensureClient, errorInfo } from './worker-connection';

export type FrameActions = {
  /** Frame `frame` (from 0) of the result on screen as the start image. */
  startFromResultFrame(frame: number): Promise<void>;
  /** The frame Library clip `id`'s card shows (its poster's: the middle one) as the start image. */
  startFromClipFrame(id: string): Promise<void>;
};

export function createFrameActions(ctx: EngineContext): FrameActions {
  const { set, get } = ctx;
  const startFrom = async (video: Blob, facts: ClipFacts, frame: number) => {
    const name = `frame ${frame + 1} of “${facts.params.prompt}”`;
    get().navigate('create');
    try {
      const { image } = await ensureClient(ctx).send({ type: 'read-frame', video, frame, fps: fileFps(facts) });
      await get().chooseStartImage(image, name);
      if (get().startImage?.file === image) set({ revealStartImage: true });
    } catch (e) {
      set({ startImageProblem: `Kineto could not read ${name} from its file: ${errorInfo(e).message}` });
    }
  };
  return {
    startFromResultFrame: async (frame) => {
      const { result } = get();
      if (result) await startFrom(result.video, result.facts, frame);
    },
    startFromClipFrame: async (id) => {
      const entry = get().library.items.find((i) => i.id === id);
      // Films offer their shots as clips, not Use this frame.
      if (!entry || isFilmEntry(entry)) return;
      const video = await get().readClipVideo(id);
      if (!video) set({ startImageProblem: `The video of ${entry.facts.fileName} is missing from the Library.` });
      else await startFrom(video, entry.facts, posterFrameIndex(entry.facts.frameCount));
    },
  };
}
