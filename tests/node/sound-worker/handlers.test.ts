/**
 * The sound worker's requests (src/sound-worker/handlers.ts) on a ground-truth bouncing clip, with the real WASM AAC
 * encoder (in a worker thread here; Node has no WebCodecs): a clip's and a film's track come back as AAC packets as
 * long as the video, the clip's with its fact; whatever fails comes back as the sentence the person sees.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Frames } from '../../../src/engine/types';
import type { Timeline } from '../../../src/films/timeline';
import { answer } from '../../../src/sound-worker/handlers';
import type { SoundReplies, SoundReply, SoundRequest } from '../../../src/sound-worker/protocol';
import { SAMPLE_RATE } from '../../../src/sound/pcm';
import { readLabels, readStrip } from '../../sound-measure';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/world-sound');
const FPS = 8;
/** Samples in one AAC-LC frame. */
const AAC_FRAME = 1024;

function bouncing(): Frames {
  const label = readLabels<{ file: string }>(FIXTURES)[0]!;
  const { frames, size } = readStrip(path.join(FIXTURES, label.file));
  return { width: size, height: size, count: frames.length, rgba: frames };
}

const clipRequest = (frames: Frames, container: 'mp4' | 'webm' = 'mp4'): SoundRequest =>
  ({ type: 'clip', frames, fps: FPS, seed: 3, modelId: 'kineto-shapes', container, durationSeconds: frames.count / FPS });

function data<T extends keyof SoundReplies>(reply: SoundReply): SoundReplies[T] {
  if ('skipped' in reply) throw new Error(reply.skipped);
  return reply.data as SoundReplies[T];
}

/** The packets cover the track from 0, one AAC frame each, with the priming packet a fresh encoder gives. */
function expectAacTrack(sound: SoundReplies['clip']['sound'], seconds: number): void {
  expect(sound.choice).toEqual({ codec: 'aac', codecString: 'mp4a.40.2', encoder: 'wasm' });
  expect(sound.decoderConfig).toMatchObject({ codec: 'mp4a.40.2', sampleRate: SAMPLE_RATE, numberOfChannels: 2 });
  expect(sound.packets.length).toBe(Math.ceil((seconds * SAMPLE_RATE) / AAC_FRAME) + 1);
  sound.packets.forEach((p, i) => {
    expect(p.timestamp).toBeCloseTo((i * AAC_FRAME) / SAMPLE_RATE, 6);
    expect(p.data.byteLength).toBeGreaterThan(0);
  });
}

describe('the sound worker', () => {
  it('answers a clip with its AAC track, as long as the video, and the fact the clip records', async () => {
    const frames = bouncing();
    const reply = await answer({ id: 7, request: clipRequest(frames) });
    expect(reply.id).toBe(7);
    const { sound, facts } = data<'clip'>(reply);
    expectAacTrack(sound, frames.count / FPS);
    expect(facts).toMatchObject({ codec: 'mp4a.40.2', encoder: 'wasm', follows: 'object' });
    expect(facts.events).toBeGreaterThan(0);
    expect(facts.loudnessLufs).toBeGreaterThan(-30);
  });

  it('answers a film of two shots (a cut) with one track as long as the film', async () => {
    const shot = bouncing();
    const timeline: Timeline = {
      fps: FPS, frames: 2 * shot.count,
      shots: [0, 1].map((i) => ({ frames: shot.count, first: i * shot.count, last: (i + 1) * shot.count - 1, leadIn: 0, made: shot.count })),
    };
    const request: SoundRequest = { type: 'film', shots: [shot, shot], timeline, seeds: [1, 2], modelId: 'kineto-shapes', container: 'mp4', durationSeconds: timeline.frames / FPS };
    expectAacTrack(data<'film'>(await answer({ id: 1, request })).sound, timeline.frames / FPS);
  });

  it('says why, as a sentence, when there is no sound: no encoder, a foley that fails, a film whose sound fails', async () => {
    // Node has no Opus encoder (no WebCodecs), as a browser without one.
    expect(await answer({ id: 2, request: clipRequest(bouncing(), 'webm') })).toEqual({ id: 2, skipped: "This browser can't encode Opus audio, so this WebM has no sound. Try MP4." });
    const broken: Frames = { width: 64, height: 64, count: 0, rgba: [] };
    expect(await answer({ id: 3, request: clipRequest(broken) })).toEqual({ id: 3, skipped: expect.stringMatching(/^The sound could not be made \(.+\), so this clip has no sound\.$/) });
    const timeline: Timeline = { fps: FPS, frames: 16, shots: [{ frames: 16, first: 0, last: 15, leadIn: 0, made: 16 }] };
    const film: SoundRequest = { type: 'film', shots: [broken], timeline, seeds: [1], modelId: 'kineto-shapes', container: 'mp4', durationSeconds: 2 };
    expect(await answer({ id: 4, request: film })).toEqual({ id: 4, skipped: expect.stringMatching(/^The film's sound could not be made \(.+\), so the film has no sound\.$/) });
  });
});
