import { describe, expect, it } from 'vitest';
import { isCancelled } from '../../../src/worker/protocol';
import { cancelRequest, othersWaiting, schedule } from '../../../src/worker/request-queue';

/** Lets every pending promise callback run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A promise the test settles by hand. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('worker request queue', () => {
  it('runs queued requests one at a time in arrival order, immediate ones beside them, and aborts any in flight', async () => {
    const log: string[] = [];
    const signals = new Map<number, AbortSignal>();
    const first = gate();
    const done = gate();
    schedule(1, 'generate', async (signal) => {
      signals.set(1, signal);
      log.push('generate 1 starts');
      await first.opened;
      log.push('generate 1 ends');
    });
    schedule(2, 'warm-up', async (signal) => {
      signals.set(2, signal);
      log.push('warm-up 2 starts');
      done.open();
    });
    // Both queued: the second waits for the first.
    await settle();
    expect(log).toEqual(['generate 1 starts']);
    expect(othersWaiting()).toBe(true);

    // `cancel` is immediate: it runs while generate 1 holds the turn, and aborts only its target.
    let answered: boolean | null = null;
    schedule(3, 'cancel', async () => {
      answered = cancelRequest(1);
    });
    await settle();
    expect(answered).toBe(true);
    expect(signals.get(1)?.aborted).toBe(true);
    expect(log).toEqual(['generate 1 starts']);

    first.open();
    await done.opened;
    expect(log).toEqual(['generate 1 starts', 'generate 1 ends', 'warm-up 2 starts']);
    expect(signals.get(2)?.aborted).toBe(false);
    expect(othersWaiting()).toBe(false);
    // Settled requests are forgotten: cancelling one again finds nothing.
    await settle();
    expect(cancelRequest(1)).toBe(false);
    expect(cancelRequest(99)).toBe(false);
  });

  it('tells a cancelled reply from a result', () => {
    expect(isCancelled({ outcome: 'cancelled' })).toBe(true);
    expect(isCancelled({ deletedBytes: 0 })).toBe(false);
  });
});
