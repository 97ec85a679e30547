/**
 * src/live/live-slice.ts through the store (`createKinetoStore` with a fake engine worker and a fake display clock):
 * windows asked of the worker as the schedule wants them, frames played at the model's rate, a prompt edit cutting in
 * (the window in flight cancelled), pause and resume, a failed window retried once, Record to a clip, and leaving
 * Live stopping it with its frames let go.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { windowSeed } from '../../../src/engine/continuation/seeds';
import { framesToKeepBehind } from '../../../src/live/live-frames';
import { EDIT_PAUSE_SECONDS } from '../../../src/live/live-slice';
import type { LiveTicker } from '../../../src/live/live-ticker';
import { type FakeCall, type RequestOf } from '../store/fake-engine-worker';
import { type FakeStore, fakeStore, servePublic, startReady } from '../store/fake-store';

servePublic();
// The Library waits for a paint before it writes a clip; Node paints nothing.
beforeAll(() => vi.stubGlobal('requestAnimationFrame', (cb: () => void) => setTimeout(cb, 0)));

const nextTask = () => new Promise((r) => setTimeout(r, 0));
const FRAME = 1 / 60;

/** A display clock stepped by hand; each step lets the fake worker answer what it was sent. */
function fakeTicker() {
  let now = 0;
  let tick: (() => void) | null = null;
  const ticker: LiveTicker = {
    now: () => now,
    start(fn) {
      tick = fn;
      return () => (tick = null);
    },
  };
  return {
    ticker,
    get running() {
      return tick !== null;
    },
    /** Plays `seconds` of display frames (1/60 s each). */
    async play(seconds: number, each?: () => void) {
      for (let t = 0; t < seconds - 1e-9; t += FRAME) {
        now += FRAME;
        tick?.();
        each?.();
        await nextTask();
        await nextTask();
      }
    },
  };
}

async function liveStore(prompt = 'a red circle bouncing') {
  const clock = fakeTicker();
  const f = fakeStore({ live: clock.ticker });
  await startReady(f);
  f.state().navigate('live');
  f.state().setLivePrompt(prompt);
  return { f, clock };
}

const shots = (f: FakeStore) => f.worker().callsOf('make-shot');

describe('Live', () => {
  it('does not start without a model, or without a prompt', async () => {
    const clock = fakeTicker();
    const f = fakeStore({ live: clock.ticker });
    f.state().setLivePrompt('a red circle');
    f.state().startLive();
    expect(f.state().live.status).toBe('idle');
    expect(f.state().live.message).toMatch(/^No model is loaded/);
    await startReady(f);
    f.state().setLivePrompt('  ');
    f.state().startLive();
    expect(f.state().live.message).toMatch(/^Type a prompt first/);
    expect(clock.running).toBe(false);
  });

  it('says so when the model cannot continue (no VAE encoder)', async () => {
    const { f } = await liveStore();
    const m = f.state().model;
    if (m.status !== 'ready') throw new Error('not ready');
    const { vae_encoder: _, ...components } = m.manifest.components;
    f.store.setState({ model: { ...m, manifest: { ...m.manifest, components } } });
    f.state().startLive();
    expect(f.state().live.status).toBe('idle');
    expect(f.state().live.message).toMatch(/has no VAE encoder, so it cannot continue a video/);
  });

  it('plays window after window at the model’s rate: the first from text, the next from the last 4 frames, each with its own seed', async () => {
    const { f, clock } = await liveStore();
    f.state().startLive();
    expect(f.state().live.status).toBe('running');
    const shown: number[] = [];
    await clock.play(10, () => {
      const p = f.state().live.picture;
      if (p && p.frame !== shown.at(-1)) shown.push(p.frame);
    });
    const calls = shots(f);
    expect(calls.length).toBeGreaterThanOrEqual(6);
    const [first, second] = calls.map((c) => c.request);
    // The Fast preset's settings, 12 new frames a window (16 − 4 known), at the model's 8 fps.
    expect(first).toMatchObject({ start: { kind: 'text' }, params: { prompt: 'a red circle bouncing', frames: 12, fps: 8, preset: 'fast', steps: 4 } });
    expect(second!.start).toMatchObject({ kind: 'clip', frames: { count: 4 } });
    // The known frames are the first window's last four (their bytes say which frame they are: seed + index).
    const known = second!.start.kind === 'clip' ? second!.start.frames.rgba.map((x) => x[0]) : [];
    expect(known).toEqual([8, 9, 10, 11].map((i) => (first!.params.seed + i) % 256));
    const seeds = calls.map((c) => c.request.params.seed);
    expect(new Set(seeds).size).toBe(seeds.length);
    expect(seeds[1]).toBe(windowSeed(seeds[0]!, 'windows', 1));
    // Every frame shown once, in order, about 8 a second, and never a wait once playing.
    expect(shown.length).toBeGreaterThan(8 * 9);
    expect(shown.every((fr, i) => i === 0 || fr > shown[i - 1]!)).toBe(true);
    expect(f.state().live.stalls).toBe(0);
    expect(f.state().live.speed).toBeGreaterThan(1);
    expect(f.state().live.bufferSeconds).toBeGreaterThan(0);
  });

  it('keeps memory flat: only the frames the stream still needs are held, however long it plays', async () => {
    const { f, clock } = await liveStore();
    f.state().startLive();
    const held: number[] = [];
    await clock.play(40, () => held.push(f.state().live.heldFrames));
    expect(f.state().live.totals.base.windows).toBeGreaterThan(20);
    // The buffer (under two windows when one is asked, plus that one) and the frames a cut continues from: never more.
    expect(Math.max(...held)).toBeLessThanOrEqual(2 * 12 + 12 + framesToKeepBehind(4, true));
  });

  it('a prompt edit shows within about one making time once typing pauses; one taken while a window is made cancels it', async () => {
    const { f, clock } = await liveStore();
    // Windows take 0.3 s of the fake clock: held open, then answered.
    const open: { call: FakeCall<RequestOf<'make-shot'>>; at: number }[] = [];
    let now = 0;
    const answer = f.answers['make-shot']!;
    f.answers['make-shot'] = (call) => void open.push({ call, at: now });
    const step = () => {
      now += FRAME;
      for (const o of open.filter((x) => now - x.at >= 0.3 && !x.call.settled)) void answer(o.call);
    };
    /** Seconds from now until the part on screen was made with `prompt`. */
    const shownAfter = async (prompt: string) => {
      const from = now;
      let seenAt: number | null = null;
      await clock.play(3, () => {
        step();
        if (seenAt === null && f.state().live.picture?.prompt === prompt) seenAt = now;
      });
      expect(seenAt).not.toBeNull();
      return seenAt! - from;
    };
    f.state().startLive();
    await clock.play(5, step);
    expect(f.state().live.picture?.prompt).toBe('a red circle bouncing');

    // Typed: taken once typing has paused for EDIT_PAUSE_SECONDS, then one window of 0.3 s and a frame or two.
    f.state().setLivePrompt('a red circle moving up');
    expect(await shownAfter('a red circle moving up')).toBeLessThanOrEqual(EDIT_PAUSE_SECONDS + 0.3 + 3 / 8);
    expect(f.state().live.makingPrompt).toBe('a red circle moving up');

    // Taken with Enter while a window is being made under the old prompt: that window is cancelled.
    while (shots(f).every((c) => c.settled)) await clock.play(FRAME, step);
    const [inFlight] = shots(f).filter((c) => !c.settled);
    f.state().setLivePrompt('a red circle moving left');
    f.state().commitLivePrompt();
    expect(await shownAfter('a red circle moving left')).toBeLessThanOrEqual(0.3 + 3 / 8);
    expect(f.worker().callsOf('cancel').map((c) => c.request.target)).toContain(inFlight!.id);
    // Every window asked since is made with the new prompt.
    const after = shots(f).filter((c) => c.id > inFlight!.id);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((c) => c.request.params.prompt === 'a red circle moving left')).toBe(true);
  });

  it('Enter takes the edit at once', async () => {
    const { f, clock } = await liveStore();
    f.state().startLive();
    await clock.play(3);
    const before = shots(f).length;
    f.state().setLivePrompt('a red circle moving left');
    f.state().commitLivePrompt();
    expect(shots(f).length).toBe(before + 1);
    expect(shots(f).at(-1)!.request.params.prompt).toBe('a red circle moving left');
  });

  it('pause holds the picture while making goes on ahead; resume plays on from it', async () => {
    const { f, clock } = await liveStore();
    f.state().startLive();
    await clock.play(3);
    f.state().pauseLive();
    const held = f.state().live.picture!.frame;
    await clock.play(2);
    expect(f.state().live.paused).toBe(true);
    expect(f.state().live.picture!.frame).toBe(held);
    f.state().resumeLive();
    await clock.play(1);
    expect(f.state().live.picture!.frame).toBeGreaterThan(held + 5);
    expect(f.state().live.stalls).toBe(0);
  });

  it('Smooth motion asks for the frames between and plays them at twice the rate', async () => {
    const { f, clock } = await liveStore();
    f.state().setLiveSmooth(true);
    f.state().startLive();
    await clock.play(1);
    const start = f.state().live.picture!.frame;
    await clock.play(2);
    expect(shots(f)[0]!.request.smoothMotion).toBe(true);
    expect(f.state().live.picture!.frame - start).toBeGreaterThanOrEqual(31);
  });

  it('asks a failed window again once, and stops with the reason when it fails twice', async () => {
    const { f, clock } = await liveStore();
    f.answers['make-shot'] = (call) => call.fail({ code: 'internal', message: 'out of luck' });
    f.state().startLive();
    await clock.play(0.5);
    const calls = shots(f);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.request).toEqual(calls[0]!.request);
    expect(f.state().live.status).toBe('idle');
    expect(f.state().live.message).toMatch(/could not be made, twice \(out of luck\)/);
    expect(clock.running).toBe(false);
  });

  it('Record keeps the frames shown between its presses and makes them a clip that says it came from Live', async () => {
    const { f, clock } = await liveStore();
    f.state().startLive();
    await clock.play(2);
    f.state().toggleLiveRecording();
    const from = f.state().live.picture!.frame;
    await clock.play(1);
    f.state().setLivePrompt('a red circle moving down');
    f.state().commitLivePrompt();
    await clock.play(1.5);
    const to = f.state().live.picture!.frame;
    expect(f.state().live.recording!.frames).toBe(to - from);
    f.state().toggleLiveRecording();
    expect(f.state().live.recording).toBeNull();
    const [encode] = f.worker().callsOf('encode-clip');
    const r = encode!.request;
    expect(r.frames.count).toBe(to - from);
    expect(r.smoothMotion).toBe(false);
    expect(r.params).toMatchObject({ prompt: 'a red circle bouncing', fps: 8, frames: to - from });
    expect(r.live!.parts.map((p) => p.prompt)).toEqual(['a red circle bouncing', 'a red circle moving down']);
    expect(r.live!.parts[0]!.startFrame).toBe(0);
    expect(JSON.parse(String(r.tags?.description)).model.id).toBe('kineto-shapes');
    await clock.play(0.2);
    expect(f.state().live.saving).toBe(false);
    // Node has no IndexedDB: the Library was given the clip and says why it could not keep it.
    expect(f.state().library.save?.status).toMatch(/saving|failed/);
  });

  it('leaving Live stops it: the window in flight is cancelled, the loop ends and its frames are let go', async () => {
    const { f, clock } = await liveStore();
    f.answers['make-shot'] = () => {}; // the next window stays in flight
    f.state().startLive();
    await clock.play(0.2);
    const [call] = shots(f);
    f.state().navigate('create');
    await nextTask();
    expect(f.state().live).toMatchObject({ status: 'idle', picture: null, heldFrames: 0, recording: null });
    expect(clock.running).toBe(false);
    expect(f.worker().callsOf('cancel').map((c) => c.request.target)).toContain(call!.id);
  });

  it('stops, saying why, when the model it runs on goes away', async () => {
    const { f, clock } = await liveStore();
    f.state().startLive();
    await clock.play(1);
    f.store.setState({ model: { status: 'loading', stage: 'manifest', file: null, loadedBytes: 0, totalBytes: 0 } });
    expect(f.state().live).toMatchObject({ status: 'idle', picture: null });
    expect(f.state().live.message).toMatch(/the model it ran on was replaced or unloaded/);
    expect(clock.running).toBe(false);
  });
});
