/**
 * When each request runs and how it is stopped. The immediate requests (`IMMEDIATE_REQUESTS`) run at once, beside
 * whatever is running; the others run one at a time in arrival order, so a generate never overlaps a model swap. Every
 * request in flight has an AbortController that `cancel` aborts: the pipeline polls it, the encoder listens.
 */
import { AUTOMATION } from '../automation';
import { AUTOMATION_REQUESTS, IMMEDIATE_REQUESTS, type Replies, type Request, type WorkerEvent } from './protocol';

/** What a handler knows of its own request: its id, the signal `cancel` aborts, and its event stream to the page. */
export type RequestContext = { id: number; signal: AbortSignal; emit: (e: WorkerEvent) => void };

/** Answers one request type with the reply that type asks for. */
export type Handler<K extends Request['type']> = (request: Extract<Request, { type: K }>, ctx: RequestContext) => Promise<Replies[K]>;

const immediate = new Set<Request['type']>([...IMMEDIATE_REQUESTS, ...(AUTOMATION ? AUTOMATION_REQUESTS : [])]);

let queue: Promise<unknown> = Promise.resolve();
/** Tasks queued and not yet started. */
let waiting = 0;
const controllers = new Map<number, AbortController>();

/** True while another request waits for the turn: a warm-up gives way then. */
export function othersWaiting(): boolean {
  return waiting > 0;
}

/** Runs `task` after everything queued so far, as one queued request. */
export function inTurn<T>(task: () => Promise<T>): Promise<T> {
  waiting++;
  const result = queue.then(() => {
    waiting--;
    return task();
  });
  queue = result.catch(() => {});
  return result;
}

/** Runs request `id` in its place (at once or in turn) with its abort signal; it is forgotten once settled. */
export function schedule(id: number, type: Request['type'], run: (signal: AbortSignal) => Promise<void>): void {
  const controller = new AbortController();
  controllers.set(id, controller);
  const task = () => run(controller.signal).finally(() => controllers.delete(id));
  if (immediate.has(type)) void task();
  else void inTurn(task);
}

/** Aborts request `target`; false when it is not in flight (already answered, or never sent). */
export function cancelRequest(target: number): boolean {
  const c = controllers.get(target);
  c?.abort();
  return c !== undefined;
}

/**
 * onnxruntime's WASM runs settle through microtasks only, so without this a whole denoising loop would run
 * before the worker looks at its message queue — and a `cancel` would wait for the end.
 */
export function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(null);
  });
}
