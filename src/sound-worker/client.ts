/**
 * The engine worker's side of the sound worker: started with the engine worker and kept (its WASM AAC encoder stays
 * warm for clip after clip), a typed `requestSound` answered with the matching reply. Whatever goes wrong there — no sound to give, the worker
 * refused or crashed — rejects with `NoSound` and its sentence, so the video goes on alone.
 */
import { NoSound } from '../video/encode';
import type { WorkerLike } from '../worker/client';
import type { SoundEnvelope, SoundReplies, SoundReply, SoundRequest } from './protocol';

type Pending = { resolve: (data: never) => void; reject: (e: NoSound) => void };

export class SoundClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly worker: WorkerLike;
  private broken = false;

  constructor(worker: WorkerLike) {
    this.worker = worker;
    worker.onmessage = (ev) => this.receive(ev.data as SoundReply);
    worker.onerror = (ev) => {
      this.broken = true;
      worker.terminate();
      const reason = new NoSound(`The sound worker failed (${ev.message || 'it could not start'}), so this clip has no sound.`);
      for (const p of this.pending.values()) p.reject(reason);
      this.pending.clear();
    };
  }

  /** The worker has failed: a new client (and worker) takes the next request. */
  get failed(): boolean {
    return this.broken;
  }

  request<T extends SoundRequest>(request: T): Promise<SoundReplies[T['type']]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (data: never) => void, reject });
      this.worker.postMessage({ id, request } satisfies SoundEnvelope);
    });
  }

  private receive(reply: SoundReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if ('skipped' in reply) p.reject(new NoSound(reply.skipped));
    else p.resolve(reply.data as never);
  }
}

let shared: SoundClient | null = null;

/** The sound worker's client, starting the worker when none runs (or it failed); throws when it cannot start. */
function soundClient(): SoundClient {
  if (!shared || shared.failed) shared = new SoundClient(new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }));
  return shared;
}

/**
 * Starts the sound worker before any sound is asked of it: loaded while the model loads, and fetched as the engine
 * worker was (from the host, or from the service worker once it controls the app).
 */
export function startSoundWorker(): void {
  try {
    soundClient();
  } catch {
    // requestSound says why, when a sound is asked for.
  }
}

/** `request`'s sound, made in the sound worker while the caller goes on (with the video). */
export function requestSound<T extends SoundRequest>(request: T): Promise<SoundReplies[T['type']]> {
  try {
    return soundClient().request(request);
  } catch (e) {
    return Promise.reject(new NoSound(`The sound worker could not start (${e instanceof Error ? e.message : String(e)}), so this clip has no sound.`));
  }
}
