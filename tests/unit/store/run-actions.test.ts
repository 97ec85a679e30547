/**
 * src/store/run-actions.ts through the store (`createKinetoStore(connect)` with a fake worker): a run streams its
 * progress into `run` and ends with the result; cancelling ends it as cancelled, not as an error.
 */
import { describe, expect, it, vi } from 'vitest';
import type { RunState } from '../../../src/store';
import { fakeStore, servePublic, SHAPES_MANIFEST_SHA256, startReady } from './fake-store';

servePublic();

describe('generate', () => {
  it('sends the run at once, shows its progress and keeps the result', async () => {
    const f = fakeStore();
    await startReady(f);
    f.state().setDraftField('prompt', 'a red circle');
    const runs: RunState[] = [];
    f.store.subscribe((s) => runs.push(s.run));

    const done = f.state().generate();
    // No fetch before the request: the manifest's digest was read when the model loaded.
    const [call] = f.worker().callsOf('generate');
    expect(call).toBeDefined();
    expect(f.state().run.status).toBe('running');
    await done;

    const { params, tags, manifestSha256 } = call!.request;
    expect(params.prompt).toBe('a red circle');
    // The worker fills the clip's facts; the model's digest, read on the page, comes with the request.
    expect(manifestSha256).toBe(SHAPES_MANIFEST_SHA256);
    expect(JSON.parse(String(tags?.description)).model).toEqual({ id: 'kineto-shapes', sha256: SHAPES_MANIFEST_SHA256 });
    // Every step showed, in order, with its preview; then every frame encoded.
    const steps = runs.filter((r) => r.stage === 'denoise').map((r) => r.step);
    expect([...new Set(steps)]).toEqual(Array.from({ length: params.steps }, (_, i) => i + 1));
    expect(runs.some((r) => r.preview?.step === params.steps)).toBe(true);
    expect(runs.filter((r) => r.stage === 'encode-video').map((r) => r.frame)).toEqual(Array.from({ length: params.frames }, (_, i) => i + 1));

    expect(f.state().run).toMatchObject({ status: 'idle', outcome: 'done', requestId: null, previewSteps: params.steps });
    const result = f.state().result;
    expect(result?.facts).toMatchObject({ container: 'mp4', frameCount: params.frames, params: { prompt: 'a red circle', seed: params.seed }, backend: 'webgpu' });
    expect(result?.facts.model).toEqual({ id: 'kineto-shapes', name: 'Kineto-Shapes', manifestSha256: SHAPES_MANIFEST_SHA256 });
    expect(result?.url).toMatch(/^blob:/);
    expect(f.state().error).toBeNull();
  });

  it('asks for sound by default, and for none once Sound is unticked', async () => {
    const f = fakeStore();
    await startReady(f);
    f.state().setDraftField('prompt', 'a red circle');
    expect(f.state().sound).toBe(true);
    await f.state().generate();
    f.state().setSound(false);
    await f.state().generate();
    expect(f.worker().callsOf('generate').map((c) => c.request.sound)).toEqual([true, false]);
  });

  it('asks for Smooth motion once ticked: the result has twice the frames at twice the fps', async () => {
    const f = fakeStore();
    await startReady(f);
    f.state().setDraftField('prompt', 'a red circle');
    expect(f.state().smoothMotion).toBe(false);
    await f.state().generate();
    f.state().setSmoothMotion(true);
    await f.state().generate();
    expect(f.worker().callsOf('generate').map((c) => c.request.smoothMotion)).toEqual([undefined, true]);
    expect(f.state().result?.facts).toMatchObject({ frameCount: 32, smoothMotion: true, params: { frames: 16, fps: 8 } });
  });

  it('does nothing while a run is active, nor with issues in the form', async () => {
    const f = fakeStore();
    await startReady(f);
    f.state().setDraftField('prompt', '');
    await f.state().generate();
    expect(f.worker().callsOf('generate')).toHaveLength(0);
    expect(f.state().issues.map((i) => i.field)).toEqual(['prompt']);

    f.state().setDraftField('prompt', 'a blue square');
    const first = f.state().generate();
    await f.state().generate();
    await first;
    expect(f.worker().callsOf('generate')).toHaveLength(1);
  });
});

describe('cancel', () => {
  it('ends the run as cancelled, not as an error, and keeps the previous result', async () => {
    const f = fakeStore();
    await startReady(f);
    f.state().setDraftField('prompt', 'a red circle');
    await f.state().generate();
    const previous = f.state().result;

    // The second run stops after its first step, until the cancel.
    f.answers.generate = (call) => call.event({ type: 'step', step: 1, totalSteps: call.request.params.steps, timestep: 999, preview: { width: 2, height: 2, frames: [] } });
    const run = f.state().generate();
    await vi.waitFor(() => expect(f.state().run.step).toBe(1));
    const cancelled = f.state().cancel();
    expect(f.state().run.status).toBe('cancelling');
    await cancelled;
    await run;

    const [, second] = f.worker().callsOf('generate');
    const [cancel] = f.worker().callsOf('cancel');
    expect(cancel?.request).toEqual({ type: 'cancel', target: second!.id });
    expect(f.state().run).toMatchObject({ status: 'idle', outcome: 'cancelled', requestId: null });
    expect(f.state().error).toBeNull();
    expect(f.state().result).toBe(previous);
  });
});

describe('Use this frame', () => {
  it("asks the worker for the frame of the result's file at its own rate, and shows Create with what went wrong", async () => {
    const f = fakeStore();
    await startReady(f);
    f.state().setDraftField('prompt', 'a red circle');
    f.state().setSmoothMotion(true);
    await f.state().generate();
    f.state().navigate('library');
    f.answers['read-frame'] = (call) => call.fail({ code: 'bad-parameter', message: 'This file has no video Kineto can read.' });

    await f.state().startFromResultFrame(5);
    const [call] = f.worker().callsOf('read-frame');
    // A file with Smooth motion plays at twice the clip's fps: frame 5 is at 5.5 / 16 s.
    expect(call?.request).toMatchObject({ type: 'read-frame', frame: 5, fps: 16 });
    expect(call?.request.video).toBe(f.state().result?.video);
    expect(f.state().route.view).toBe('create');
    expect(f.state().startImageProblem).toBe('Kineto could not read frame 6 of “a red circle” from its file: This file has no video Kineto can read.');
    expect(f.state().startImage).toBeNull();
  });
});
