import { describe, expect, it } from 'vitest';
import {
  advance, bufferedSeconds, changePrompt, type LiveConfig, type LiveState, nextAsk, pause, realTimeFactor, resume,
  segmentOf, setSmooth, startLive, windowMade,
} from '../../../src/live/live-clock';

const CONFIG: LiveConfig = { base: { fps: 8, newFrames: 12 }, smooth: { fps: 16, newFrames: 24 }, knownFrames: 4, aheadSeconds: 1.5 };

/** A fake world: a clock, and a maker that takes `makeSeconds` per window. Steps the schedule as the app's loop does. */
function simulate(opts: { seconds: number; makeSeconds: (window: number, firstUnderEdit: boolean) => number; smooth?: boolean; tick?: number; edits?: [number, string][] }) {
  let s: LiveState = startLive(CONFIG, 'a red ball moving right', opts.smooth ?? false);
  const tick = opts.tick ?? 1 / 60;
  let making: { id: number; done: number; seconds: number } | null = null;
  let windows = 0;
  const shownAt: { frame: number; at: number; prompt: string }[] = [];
  const edits = [...(opts.edits ?? [])];
  for (let now = 0; now < opts.seconds; now += tick) {
    while (edits.length && edits[0]![0] <= now) {
      const [, prompt] = edits.shift()!;
      const r = changePrompt(s, prompt, now);
      s = r.state;
      if (r.abandoned !== null) making = null;
    }
    if (making && now >= making.done) {
      s = windowMade(s, making.id, making.seconds, now).state;
      making = null;
    }
    const asked = nextAsk(s);
    s = asked.state;
    if (asked.ask) {
      const firstUnderEdit = asked.ask.prompt !== s.segments.at(-1)?.prompt && s.segments.length > 0;
      const seconds = opts.makeSeconds(windows++, firstUnderEdit);
      making = { id: asked.ask.id, done: now + seconds, seconds };
    }
    const before = s.shown;
    s = advance(s, now);
    for (let f = before + 1; f <= s.shown; f++) shownAt.push({ frame: f, at: now, prompt: segmentOf(s, f)!.prompt });
  }
  return { state: s, shownAt };
}

describe('Live clock', () => {
  it('plays every frame once, in order, at the model’s rate, when making is faster than playback', () => {
    const { state, shownAt } = simulate({ seconds: 20, makeSeconds: () => 0.4 });
    expect(shownAt.map((s) => s.frame)).toEqual(shownAt.map((_, i) => i));
    // 8 fps after the first window: about 8 frames a second, no stall.
    const first = shownAt[0]!.at;
    expect(shownAt.length).toBeGreaterThanOrEqual(Math.floor((20 - first) * 8) - 1);
    expect(state.stalls).toBe(0);
    expect(realTimeFactor(state)).toBeCloseTo(1.5 / 0.4, 5);
    expect(bufferedSeconds(state)).toBeLessThanOrEqual(CONFIG.aheadSeconds + 1.5);
  });

  it('keeps at most one window in flight and the buffer bounded (memory flat)', () => {
    let s = startLive(CONFIG, 'p', false);
    s = nextAsk(s).state;
    expect(nextAsk(s).ask).toBeNull();
    const { state } = simulate({ seconds: 60, makeSeconds: () => 0.1 });
    expect(state.made - state.shown).toBeLessThanOrEqual(2 * CONFIG.base.newFrames);
  });

  it('a prompt edit shows within about one and a half making times plus a frame, not after the whole buffer', () => {
    const edits: [number, string][] = [[5.03, 'a red ball moving up'], [9.51, 'a red ball moving left']];
    const { shownAt, state } = simulate({ seconds: 14, makeSeconds: () => 0.4, edits });
    for (const [at, prompt] of edits) {
      const first = shownAt.find((s) => s.prompt === prompt)!;
      expect(first.at - at).toBeLessThanOrEqual(1.5 * 0.4 + 2 / 8 + 1e-9);
    }
    // No frame twice and none torn out of order: the frames shown are strictly increasing.
    expect(shownAt.every((s, i) => i === 0 || s.frame === shownAt[i - 1]!.frame + 1)).toBe(true);
    expect(state.stalls).toBe(0);
  });

  it('does not stall when the first window under a new prompt takes a third longer than the ones before it', () => {
    const edits: [number, string][] = [[5.03, 'a red ball moving up'], [9.51, 'a red ball moving left']];
    // Every window 0.4 s, except the first one asked under each new prompt: 0.53 s.
    const { state, shownAt } = simulate({ seconds: 14, edits, makeSeconds: (_, firstUnderEdit) => (firstUnderEdit ? 0.53 : 0.4) });
    expect(shownAt.some((s) => s.prompt === 'a red ball moving left')).toBe(true);
    expect(state.stalls).toBe(0);
  });

  it('keeps at least the known frames to continue from, and abandons the window made under the old prompt', () => {
    let s = startLive(CONFIG, 'old', false);
    const asked = nextAsk(s);
    const r = changePrompt(asked.state, 'new', 0.1);
    expect(r.abandoned).toBe(asked.ask!.id);
    expect(windowMade(r.state, asked.ask!.id, 0.3, 0.3).accepted).toBe(false);
    s = windowMade(nextAsk(r.state).state, 2, 0.3, 0.3).state;
    expect(s.segments.map((x) => x.prompt)).toEqual(['new']);
    const cut = changePrompt(s, 'newer', 0.31).state;
    expect(cut.made).toBeGreaterThanOrEqual(CONFIG.knownFrames);
  });

  it('stalls (holding the last frame) when making is slower, then drops Smooth motion, then says it pauses at seams', () => {
    const slow = simulate({ seconds: 40, makeSeconds: () => 2.0, smooth: true });
    expect(slow.state.smooth).toBe(false);
    expect(slow.state.catchUp).toBe('pausing');
    expect(slow.state.stalls).toBeGreaterThan(0);
    expect(slow.shownAt.every((s, i) => i === 0 || s.frame === slow.shownAt[i - 1]!.frame + 1)).toBe(true);
    // Smooth motion alone too slow (24 frames at 16 fps in 2 s), the base rate fast enough: it settles at the base rate.
    const smoothTooSlow = simulate({ seconds: 40, makeSeconds: (w) => (w < 3 ? 2.0 : 0.5), smooth: true });
    expect(smoothTooSlow.state.catchUp).toBe('base-rate');
    expect(smoothTooSlow.state.smooth).toBe(false);
  });

  it('pauses and resumes on the frame on screen; making goes on ahead while paused', () => {
    let s = startLive(CONFIG, 'p', false);
    s = nextAsk(s).state;
    s = windowMade(s, 1, 0.3, 0.3).state;
    s = advance(s, 0.3 + 3 / 8 + 0.001);
    const onScreen = s.shown;
    s = pause(s);
    s = advance(s, 10);
    expect(s.shown).toBe(onScreen);
    expect(nextAsk(s).ask).not.toBeNull();
    s = resume(s, 10);
    expect(advance(s, 10 + 1 / 8 - 0.001).shown).toBe(onScreen);
    expect(advance(s, 10 + 1 / 8).shown).toBe(onScreen + 1);
  });

  it('plays Smooth motion windows at twice the rate, and a switch takes effect from the next window', () => {
    let s = startLive(CONFIG, 'p', true);
    const a = nextAsk(s);
    expect(a.ask!.rate).toEqual({ fps: 16, newFrames: 24 });
    s = windowMade(a.state, a.ask!.id, 0.5, 0).state;
    expect(bufferedSeconds(s)).toBeCloseTo(1.5, 9);
    s = setSmooth(s, false);
    expect(nextAsk({ ...s, shown: 20 }).ask!.rate).toEqual({ fps: 8, newFrames: 12 });
    expect(setSmooth(startLive({ ...CONFIG, smooth: null }, 'p', true), true).smooth).toBe(false);
  });
});
