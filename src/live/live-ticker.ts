/**
 * What drives Live's loop: the time now, in seconds, and a call on every display frame. The app's runs on
 * `requestAnimationFrame` and `performance.now()`, so frames change when the screen can show them; the store's tests
 * pass a fake clock that they step by hand.
 */
export type LiveTicker = {
  now(): number;
  /** Calls `tick` once per display frame until the returned function is called. */
  start(tick: () => void): () => void;
};

export const animationFrameTicker: LiveTicker = {
  now: () => performance.now() / 1000,
  start(tick) {
    let id = requestAnimationFrame(function loop() {
      id = requestAnimationFrame(loop);
      tick();
    });
    return () => cancelAnimationFrame(id);
  },
};
