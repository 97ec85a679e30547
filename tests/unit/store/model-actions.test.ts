/**
 * src/store/model-actions.ts through the store (`createKinetoStore(connect)` with a fake worker): a model switch is
 * make before break (a failed or cancelled switch leaves the model in use), and a later load supersedes an earlier
 * one, whose replies are then ignored.
 */
import { describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { answerLoadModel, type FakeCall, type RequestOf } from './fake-engine-worker';
import { fakeStore, servePublic, SHAPES_MANIFEST_SHA256, startReady, type FakeStore } from './fake-store';

const baseUrl = servePublic();
const hubUrl = (file: string) => `${baseUrl()}models/hub/${file}`;
const embedded = () => ({ kind: 'embedded' as const, manifestUrl: `${baseUrl()}models/kineto-shapes/manifest.json` });

/** The model in use: its id and digest, or its status when none is ready. */
function inUse(f: FakeStore): { id: string; sha256: string } | string {
  const m = f.state().model;
  return m.status === 'ready' ? { id: m.manifest.id, sha256: m.manifestSha256 } : m.status;
}

const SHAPES = () => ({ id: 'kineto-shapes', sha256: SHAPES_MANIFEST_SHA256 });
const SD_TURBO_ID = (JSON.parse(readFileSync('public/models/hub/sd-turbo.json', 'utf8')) as { id: string }).id;

describe('a model switch', () => {
  it('that fails leaves the model in use, and says what failed', async () => {
    const f = fakeStore();
    await startReady(f);
    const url = hubUrl('no-such-model.json');
    await f.state().loadModel({ kind: 'url', manifestUrl: url }, 'auto');

    expect(inUse(f)).toEqual(SHAPES());
    expect(f.state().switching).toEqual({ status: 'failed', source: { kind: 'url', manifestUrl: url }, error: { code: 'bad-manifest', message: `${url}: HTTP 404` } });
    expect(f.state().modelSource).toEqual({ kind: 'embedded', manifestUrl: embedded().manifestUrl });
    expect(f.state().error).toBeNull();
    // The download never reached its first file: no download block.
    expect(f.state().download).toBeNull();

    // The model in use still generates.
    f.state().setDraftField('prompt', 'a red circle');
    await f.state().generate();
    expect(f.state().run.outcome).toBe('done');
  });

  it('that is cancelled leaves the model in use, with no error', async () => {
    const f = fakeStore();
    await startReady(f);
    f.answers['load-model'] = () => {}; // held open
    const load = f.state().loadModel({ kind: 'url', manifestUrl: hubUrl('sd-turbo.json') }, 'auto');
    expect(f.state().switching?.status).toBe('loading');
    await f.state().cancelLoad();
    await load;

    expect(inUse(f)).toEqual(SHAPES());
    expect(f.state().switching).toBeNull();
    expect(f.state().error).toBeNull();
  });

  it('that succeeds replaces the model in use', async () => {
    const f = fakeStore();
    await startReady(f);
    await f.state().loadModel({ kind: 'url', manifestUrl: hubUrl('sd-turbo.json') }, 'auto');
    expect(inUse(f)).toMatchObject({ id: SD_TURBO_ID });
    expect(f.state().switching).toBeNull();
    expect(f.state().modelSource).toEqual({ kind: 'url', manifestUrl: hubUrl('sd-turbo.json') });
  });
});

describe('a superseded load', () => {
  it('has its events and its reply ignored', async () => {
    const f = fakeStore();
    const held: FakeCall<RequestOf<'load-model'>>[] = [];
    f.answers['load-model'] = (call) => void held.push(call);
    const first = f.state().loadModel(embedded(), 'auto');
    const second = f.state().loadModel({ kind: 'url', manifestUrl: hubUrl('sd-turbo.json') }, 'auto');
    await vi.waitFor(() => expect(held).toHaveLength(2));
    const [a, b] = held as [FakeCall<RequestOf<'load-model'>>, FakeCall<RequestOf<'load-model'>>];

    // The first load's progress no longer shows.
    a.event({ type: 'load-progress', stage: 'download', file: 'first.onnx', loadedBytes: 1, totalBytes: 2 });
    b.event({ type: 'load-progress', stage: 'download', file: 'second.onnx', loadedBytes: 1, totalBytes: 2 });
    await vi.waitFor(() => expect(f.state().model).toMatchObject({ status: 'loading', file: 'second.onnx' }));

    // The second load answers first and is the model in use; the first one's late answer changes nothing.
    await answerLoadModel(b);
    await second;
    const turbo = inUse(f);
    expect(turbo).toMatchObject({ id: SD_TURBO_ID });
    await answerLoadModel(a);
    await first;
    expect(inUse(f)).toEqual(turbo);
    expect(f.state().modelSource).toEqual({ kind: 'url', manifestUrl: hubUrl('sd-turbo.json') });
    expect(f.state().switching).toBeNull();
    expect(f.state().error).toBeNull();
  });
});
