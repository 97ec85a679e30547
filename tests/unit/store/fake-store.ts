/**
 * A Kineto store driven by fake engine workers (fake-engine-worker.ts) through `createKinetoStore(connect)`, with
 * the app's `public/` folder served over HTTP so that the built-in model's manifest is fetched, parsed and digested
 * for real. Node has no page: `document.baseURI` points at that server and `navigator` is an empty one.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, vi } from 'vitest';
import type { LiveTicker } from '../../../src/live/live-ticker';
import { createKinetoStore, type KinetoState } from '../../../src/store';
import { startStaticServer, type StaticServer } from '../../browser/harness';
import { defaultAnswers, FakeEngineWorker, type Answers } from './fake-engine-worker';

/** sha256 of the built-in model's manifest.json as served. */
export const SHAPES_MANIFEST_SHA256 = createHash('sha256').update(readFileSync('public/models/kineto-shapes/manifest.json')).digest('hex');

let server: StaticServer | null = null;

/** Serves `public/` for the tests of the calling file; returns the server's base URL (once the file's tests run). */
export function servePublic(): () => string {
  beforeAll(async () => {
    server = await startStaticServer('public');
    vi.stubGlobal('document', { baseURI: server.url });
    vi.stubGlobal('navigator', {});
  });
  afterAll(async () => {
    vi.unstubAllGlobals();
    await server?.close();
    server = null;
  });
  return () => {
    if (!server) throw new Error('servePublic: the server is not running');
    return server.url;
  };
}

export type FakeStore = {
  store: ReturnType<typeof createKinetoStore>;
  /** Every worker the store made, in order; the last one is the live one. */
  workers: FakeEngineWorker[];
  /** How every worker answers, now and later (a test may replace an entry). */
  answers: Answers;
  /** The live worker. */
  worker(): FakeEngineWorker;
  state(): KinetoState;
};

/** `live`: the ticker Live's loop runs on (a test's fake clock); the app's display frames by default. */
export function fakeStore(opts: { live?: LiveTicker } = {}): FakeStore {
  const answers = defaultAnswers();
  const workers: FakeEngineWorker[] = [];
  const connect = () => {
    const w = new FakeEngineWorker(answers);
    workers.push(w);
    return w;
  };
  const store = opts.live ? createKinetoStore(connect, undefined, opts.live) : createKinetoStore(connect);
  return {
    store,
    workers,
    answers,
    worker: () => {
      const w = workers.at(-1);
      if (!w) throw new Error('no worker made yet');
      return w;
    },
    state: () => store.getState(),
  };
}

/** Starts the store (probe, then the built-in model) and waits for the model to be ready. */
export async function startReady(f: FakeStore): Promise<void> {
  await f.state().start();
  if (f.state().model.status !== 'ready') throw new Error(`model ${f.state().model.status} after start`);
}
