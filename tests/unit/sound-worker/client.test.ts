/**
 * The engine worker's side of the sound worker (src/sound-worker/client.ts), against a fake worker that answers the
 * protocol: replies reach their own request, a skipped sound rejects with its sentence as `NoSound`, and a worker
 * that fails rejects everything pending and is replaced for the next request.
 */
import { describe, expect, it } from 'vitest';
import { SoundClient } from '../../../src/sound-worker/client';
import type { SoundEnvelope, SoundReply, SoundRequest } from '../../../src/sound-worker/protocol';
import { NoSound } from '../../../src/video/encode';
import type { WorkerLike } from '../../../src/worker/client';

class FakeWorker implements WorkerLike {
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  readonly received: SoundEnvelope[] = [];
  terminated = false;
  postMessage(message: SoundEnvelope): void {
    this.received.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(reply: SoundReply): void {
    this.onmessage?.({ data: reply } as MessageEvent);
  }
}

const request = (seed: number): SoundRequest => ({
  type: 'clip', frames: { width: 1, height: 1, count: 1, rgba: [new Uint8ClampedArray(4)] }, fps: 8, seed, modelId: 'kineto-shapes', container: 'mp4', durationSeconds: 0.125,
});
const sound = { choice: { codec: 'aac', codecString: 'mp4a.40.2', encoder: 'wasm' }, packets: [], decoderConfig: { codec: 'mp4a.40.2', sampleRate: 48_000, numberOfChannels: 2 } } as const;
const facts = (seconds: number) => ({ codec: 'mp4a.40.2', encoder: 'wasm', follows: 'object', events: 1, loudnessLufs: -16, seconds }) as const;

describe('SoundClient', () => {
  it('gives each request its own reply, whatever the order they come back in', async () => {
    const worker = new FakeWorker();
    const client = new SoundClient(worker);
    const first = client.request(request(1));
    const second = client.request(request(2));
    const [a, b] = worker.received;
    expect([a!.request, b!.request]).toEqual([request(1), request(2)]);
    worker.reply({ id: b!.id, data: { sound: { ...sound, packets: [] }, facts: facts(2) } });
    worker.reply({ id: a!.id, data: { sound: { ...sound, packets: [] }, facts: facts(1) } });
    await expect(first).resolves.toMatchObject({ facts: { seconds: 1 } });
    await expect(second).resolves.toMatchObject({ facts: { seconds: 2 } });
  });

  it('rejects with NoSound and its sentence when the sound was skipped', async () => {
    const worker = new FakeWorker();
    const pending = new SoundClient(worker).request(request(1));
    const reason = "This browser can't encode Opus audio, so this WebM has no sound. Try MP4.";
    worker.reply({ id: worker.received[0]!.id, skipped: reason });
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoSound);
    expect((error as NoSound).message).toBe(reason);
  });

  it('rejects everything pending when the worker fails, stops it, and says it is to be replaced', async () => {
    const worker = new FakeWorker();
    const client = new SoundClient(worker);
    const pending = [client.request(request(1)), client.request(request(2))];
    expect(client.failed).toBe(false);
    worker.onerror?.({ message: 'Uncaught SyntaxError' } as ErrorEvent);
    for (const p of pending) await expect(p).rejects.toThrow('The sound worker failed (Uncaught SyntaxError), so this clip has no sound.');
    expect(client.failed).toBe(true);
    expect(worker.terminated).toBe(true);
  });
});
