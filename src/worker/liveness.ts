/**
 * Noticing that the engine worker has ended. A worker the browser kills (or that closes itself) fires no event on
 * the page, and its requests would wait forever. A Web Lock named after the worker tells instead: the worker holds it
 * for its whole life and the browser releases it when the worker ends, which grants the page's queued request.
 */

/** Worker side: holds the lock `name` until this worker ends. */
export function holdLifeLock(name: string): void {
  void navigator.locks?.request(name, () => new Promise<never>(() => {}));
}

/** How long the page waits for a new worker to take its lock before it gives up watching (the worker never started). */
const TAKE_TIMEOUT_MS = 30_000;
const POLL_MS = 50;

/** Page side: calls `onEnd` once, when the worker holding `name` has ended for any reason. */
export async function watchLifeLock(name: string, onEnd: () => void): Promise<void> {
  const locks = navigator.locks;
  if (!locks) return;
  // Asking before the worker holds the lock would be granted at once; wait until it does.
  for (let waited = 0; ; waited += POLL_MS) {
    const { held } = await locks.query();
    if (held?.some((l) => l.name === name)) break;
    if (waited >= TAKE_TIMEOUT_MS) return;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  await locks.request(name, () => onEnd());
}
