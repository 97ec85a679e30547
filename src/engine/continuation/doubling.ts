/**
 * Doubling a clip's frame rate, fed its source latent frames as they are made: each window of windows.ts'
 * `planDoubling` runs as soon as its source frames are in, then every source frame no later window needs is let go.
 */
import type { LatentFrame } from './known-latents';
import type { WindowRunner } from './window-runner';
import type { DoublingPlan } from './windows';

export type Doubler = {
  /** The next source frames, in order. */
  feed(latents: LatentFrame[]): Promise<void>;
  /** Source frames held now. */
  readonly held: number;
};

export function createDoubler(runner: WindowRunner, plans: DoublingPlan[]): Doubler {
  const sources = new Map<number, LatentFrame>();
  let received = 0;
  let next = 0;
  return {
    get held() {
      return sources.size;
    },
    async feed(latents) {
      for (const l of latents) sources.set(received++, l);
      for (; next < plans.length && plans[next]!.first + plans[next]!.count <= received; next++) {
        const d = plans[next]!;
        const placed = Array.from({ length: d.count }, (_, i) => ({ position: 2 * i, latent: sources.get(d.first + i)! }));
        const known = placed.map((p, i) => ({ position: p.position, from: 'source' as const, index: d.first + i }));
        const { latents: made, report } = await runner.run('double-rate', d.index, d.frames, placed, known);
        await runner.emit(made, d.outputs, report);
        // The next window starts at this one's last source frame.
        for (const k of [...sources.keys()]) if (k < d.first + d.count - 1) sources.delete(k);
      }
    },
  };
}
