/**
 * src/store/worker-connection.ts through the store (`createKinetoStore(connect)` with fake workers): the first
 * request starts the worker, start probes and loads the built-in model, and a worker that dies is replaced and the
 * model loaded again, but not forever.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ModelStatus } from '../../../src/store';
import { CAPABILITIES, defaultAnswers } from './fake-engine-worker';
import { fakeStore, servePublic, SHAPES_MANIFEST_SHA256, startReady } from './fake-store';

const baseUrl = servePublic();

describe('start', () => {
  it('probes, then loads the built-in model until it is ready', async () => {
    const f = fakeStore();
    const statuses: ModelStatus['status'][] = [];
    f.store.subscribe((s, prev) => {
      if (s.model.status !== prev.model.status) statuses.push(s.model.status);
    });
    expect(f.workers).toHaveLength(0);
    await f.state().start();

    expect(f.workers).toHaveLength(1);
    expect(f.worker().calls.map((c) => c.request.type)).toEqual(['probe', 'load-model']);
    const manifestUrl = `${baseUrl()}models/kineto-shapes/manifest.json`;
    expect(f.worker().callsOf('load-model')[0]!.request.source).toEqual({ kind: 'embedded', manifestUrl });
    expect(f.state().capabilities).toEqual(CAPABILITIES);
    expect(statuses).toEqual(['loading', 'ready']);
    const model = f.state().model;
    if (model.status !== 'ready') throw new Error('not ready');
    expect(model.manifest.id).toBe('kineto-shapes');
    expect(model.manifestSha256).toBe(SHAPES_MANIFEST_SHA256);
    expect(f.state().modelSource).toEqual({ kind: 'embedded', manifestUrl });
    // The model's defaults were written into the form.
    expect(f.state().draftModelId).toBe('kineto-shapes');
    expect(f.state().error).toBeNull();
  });

  it('runs once', async () => {
    const f = fakeStore();
    await startReady(f);
    await f.state().start();
    expect(f.worker().calls.map((c) => c.request.type)).toEqual(['probe', 'load-model']);
  });

  it('a probe that fails shows its error', async () => {
    const f = fakeStore();
    f.answers.probe = (call) => call.fail({ code: 'webgpu-unavailable', message: 'no adapter' });
    await f.state().probe();
    expect(f.state().capabilities).toBeNull();
    expect(f.state().error).toEqual({ code: 'webgpu-unavailable', message: 'no adapter' });
  });
});

describe('a worker that dies', () => {
  it('is replaced and the model loaded again; a run in progress ends as failed, with a notice and no error', async () => {
    const f = fakeStore();
    await startReady(f);
    f.state().setDraftField('prompt', 'a red circle');
    f.answers.generate = (call) => call.event({ type: 'stage', stage: 'encode-text' }); // held open
    const run = f.state().generate();
    await vi.waitFor(() => expect(f.worker().callsOf('generate')).toHaveLength(1));
    const first = f.worker();

    first.crash('boom');
    await run;
    expect(first.terminated).toBe(true);
    expect(f.state().run).toMatchObject({ status: 'idle', outcome: 'failed' });
    expect(f.state().error).toBeNull();
    expect(f.state().notices.at(-1)?.message).toMatch(/^The engine stopped \(boom\)\. Kineto restarted it .* Press Generate to run again\.$/);

    await vi.waitFor(() => expect(f.state().model.status).toBe('ready'));
    expect(f.workers).toHaveLength(2);
    expect(f.worker().callsOf('load-model').map((c) => c.request.source)).toEqual([first.callsOf('load-model')[0]!.request.source]);
  });

  it('is not restarted forever: after two restarts without a model loading, the model fails', async () => {
    const f = fakeStore();
    await startReady(f);
    // From now on every worker dies as soon as it is asked to load a model.
    f.answers['load-model'] = (call) => call.worker.crash('out of memory');
    f.worker().crash('gone');

    await vi.waitFor(() => expect(f.state().model.status).toBe('failed'));
    const error = { code: 'internal', message: 'The engine worker crashed (out of memory) again right after a restart.' };
    expect(f.state().model).toEqual({ status: 'failed', error });
    expect(f.state().error).toEqual(error);
    await new Promise((r) => setTimeout(r, 50));
    expect(f.workers).toHaveLength(3);
    expect(f.workers.every((w) => w.terminated)).toBe(true);

    // Loading again by hand starts a fresh worker (and, once a model loads, the restart count starts over).
    f.answers['load-model'] = defaultAnswers()['load-model'];
    await f.state().reloadModel();
    expect(f.state().model.status).toBe('ready');
    expect(f.workers).toHaveLength(4);
  });
});
