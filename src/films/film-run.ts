/**
 * Makes the planned shots in the board's order through a `FilmEngine`, keeping each result by its key: a continuing
 * shot gets the result of the shot before (made in this run or kept from an earlier one). Stops at the first shot
 * that fails, since the shots after it may continue from it; Stop aborts the shot being made.
 */
import type { FilmEngine, ShotResult } from './film-engine';
import type { ShotPlan } from './film-plan';

/** A shot that could not be made; `index` is its place in the board. */
export class ShotFailure extends Error {
  constructor(readonly index: number, message: string) {
    super(message);
  }
}

export type RunHooks = {
  signal: AbortSignal;
  /** Shot `index` is being made: the `done`th of `total` in this run. */
  started(index: number, done: number, total: number): void;
  progress(fraction: number): void;
  /** Shot `index` is made (and in `results`); the run goes on once this has kept it. */
  made(index: number): void | Promise<void>;
};

/**
 * Makes `indices` (ascending, with the shots they continue from either among them or in `results`). Resolves when all
 * are made or the run was stopped (`signal` aborted); rejects with a ShotFailure.
 */
export async function makeShots(plan: readonly ShotPlan[], indices: readonly number[], engine: Pick<FilmEngine, 'makeShot'>, results: Map<string, ShotResult>, hooks: RunHooks): Promise<void> {
  for (const [done, index] of indices.entries()) {
    if (hooks.signal.aborted) return;
    const { key, request, after } = plan[index]!;
    const previous = after === null ? undefined : results.get(plan[after]!.key);
    if (after !== null && !previous) throw new ShotFailure(index, `Shot ${index + 1} continues shot ${after + 1}, which is not made`);
    hooks.started(index, done, indices.length);
    let result: ShotResult;
    try {
      result = await engine.makeShot(request, previous, { signal: hooks.signal, progress: hooks.progress });
    } catch (e) {
      if (hooks.signal.aborted) return;
      throw new ShotFailure(index, e instanceof Error ? e.message : String(e));
    }
    if (hooks.signal.aborted) return;
    if (result.frames.rgba.length !== request.frames)
      throw new ShotFailure(index, `The engine made ${result.frames.rgba.length} frames for shot ${index + 1}; it needs ${request.frames}`);
    results.set(key, result);
    await hooks.made(index);
  }
}
