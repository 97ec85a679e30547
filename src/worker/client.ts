/**
 * Page side of the worker boundary: typed `send` returning the matching reply, events streamed to a callback,
 * everything pending rejected on terminate (no promise is left hanging).
 */
import type { ErrorInfo } from '../engine/errors';
import type { Envelope, Replies, Reply, Request, WorkerEvent } from './protocol';

/** A failed request, carrying the worker's error code (a cancelled one is not: it answers `Cancelled`). */
export class RequestError extends Error {
  readonly info: ErrorInfo;
  constructor(info: ErrorInfo) {
    super(info.message);
    this.info = info;
  }
}

type Pending = {
  resolve: (data: never) => void;
  reject: (e: RequestError) => void;
  onEvent?: (e: WorkerEvent) => void;
};

/** The part of `Worker` the client uses, so tests can drive it with any message port. */
export type WorkerLike = Pick<Worker, 'postMessage' | 'terminate'> & {
  onmessage: ((ev: MessageEvent) => void) | null;
  onerror: ((ev: ErrorEvent) => void) | null;
};

export class KinetoClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly worker: WorkerLike;

  constructor(worker: WorkerLike) {
    this.worker = worker;
    worker.onmessage = (ev) => this.receive(ev.data as Reply);
    worker.onerror = (ev) => this.failAll({ code: 'internal', message: `The engine worker crashed: ${ev.message}` });
  }

  /** Sends a request; resolves with its reply data. Returns the request id synchronously via `started`. */
  send<T extends Request>(request: T, onEvent?: (e: WorkerEvent) => void, started?: (id: number) => void): Promise<Replies[T['type']]> {
    const id = this.nextId++;
    started?.(id);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (d: never) => void, reject, onEvent });
      this.worker.postMessage({ id, request } satisfies Envelope);
    });
  }

  /**
   * Asks the worker to stop request `target`: a `load-model`, `generate` or `lab-export` then answers `Cancelled`,
   * a `lab-run` the steps it recorded.
   */
  cancel(target: number): Promise<Replies['cancel']> {
    return this.send({ type: 'cancel', target });
  }

  terminate(): void {
    this.worker.terminate();
    this.failAll({ code: 'internal', message: 'The engine was stopped.' });
  }

  private failAll(error: ErrorInfo): void {
    for (const p of this.pending.values()) p.reject(new RequestError(error));
    this.pending.clear();
  }

  private receive(reply: Reply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    switch (reply.kind) {
      case 'event':
        p.onEvent?.(reply.event);
        return;
      case 'done':
        this.pending.delete(reply.id);
        p.resolve(reply.data as never);
        return;
      case 'error':
        this.pending.delete(reply.id);
        p.reject(new RequestError(reply.error));
        return;
    }
  }
}
