/**
 * The app's film engine: each shot is a `make-shot` request to the engine worker (worker/make-shot.ts) with the Create
 * form's sampler settings, and the film an `encode-film` request. A continuing shot sends only the last window of the
 * shot before (all the engine conditions on); a shot from a picture sends it letterboxed at the model's size.
 * Stop cancels the request in flight.
 */
import { modelFrameSize } from '../engine/continuation';
import type { KinetoState } from '../store';
import { draftToParams } from '../store/settings-slice';
import type { FilmRequest } from '../store/worker-connection';
import { isCancelled, type Replies, type ShotSource, type WorkerEvent } from '../worker/protocol';
import type { FilmEngine } from './film-engine';
import { dataUrlBlob, modelPicture } from './model-picture';
import { continuedFrames, shotParams } from './shot-inputs';
import { indexedDbShotKeeper } from './shot-keeper';
import type { FilmEngineFor } from './storyboard-slice';

/** Sends `request`, cancelling it when `signal` aborts (the promise then rejects with an AbortError). */
async function send<T extends FilmRequest>(get: () => KinetoState, request: T, signal: AbortSignal, onEvent: (e: WorkerEvent) => void): Promise<Exclude<Replies[T['type']], { outcome: 'cancelled' }>> {
  const stopped = () => new DOMException('Stopped', 'AbortError');
  if (signal.aborted) throw stopped();
  let id: number | null = null;
  const abort = () => id !== null && void get().cancelRequest(id);
  signal.addEventListener('abort', abort, { once: true });
  try {
    const reply = await get().filmRequest(request, onEvent, (i) => (id = i));
    if (isCancelled(reply)) throw stopped();
    return reply as Exclude<Replies[T['type']], { outcome: 'cancelled' }>;
  } finally {
    signal.removeEventListener('abort', abort);
  }
}

export const workerFilmEngine: FilmEngineFor = (get) => {
  const events = (progress?: (fraction: number) => void) => (e: WorkerEvent) => {
    if (e.type === 'step' && progress) progress(e.step / Math.max(1, e.totalSteps));
    else if (e.type === 'notice') get().addNotice(e.message);
  };
  const manifest = () => {
    const { model } = get();
    if (model.status !== 'ready') throw new Error('the model is not loaded');
    return model.manifest;
  };
  const engine: FilmEngine = {
    makeShot: async (request, previous, { signal, progress }) => {
      const m = manifest();
      const params = shotParams(draftToParams(get().draft), request);
      let start: ShotSource = { kind: 'text' };
      if (request.start === 'continue') {
        if (!previous) throw new Error('the shot before is not made');
        start = { kind: 'clip', frames: continuedFrames(previous.frames, m) };
      } else if (request.start !== 'cut') {
        const picture = await modelPicture(await dataUrlBlob(request.start.image), modelFrameSize(m));
        if (picture.changed) get().addNotice(`Shot ${request.index + 1}: ${picture.changed}`);
        start = { kind: 'image', image: picture.frame };
      }
      const reply = await send(get, { type: 'make-shot', params, start }, signal, events(progress));
      return { frames: reply.frames };
    },
    encodeFilm: async (film, { signal, progress }) => {
      const s = get();
      const request = { type: 'encode-film' as const, ...film, container: s.container, outputSize: draftToParams(s.draft).outputSize, modelId: manifest().id, sound: s.sound };
      const onEvent = (e: WorkerEvent) => (e.type === 'frame' ? progress((e.frame + 1) / e.totalFrames) : events()(e));
      const reply = await send(get, request, signal, onEvent);
      const { video, container, mimeType, width, height, audio, poster } = reply;
      return { video, container, mimeType, width, height, audio, poster };
    },
    kept: indexedDbShotKeeper,
  };
  return engine;
};
