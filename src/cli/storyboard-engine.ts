/**
 * The storyboard CLI's film engine: each shot through the continuation engine (src/engine/continuation) on
 * onnxruntime-node with the preset's sampler settings — what the app's worker does for a `make-shot` request
 * (worker/make-shot.ts), given the same inputs (films/shot-inputs.ts), in this process.
 */
import { generateClip, modelFrameSize } from '../engine/continuation';
import { defaultParams } from '../engine/params';
import type { Frames } from '../engine/types';
import type { FilmEngine } from '../films/film-engine';
import { continuedFrames, shotParams } from '../films/shot-inputs';
import type { LoadedModel, PresetRun } from '../runtime/load-model';

/** `pictures`: the frame each shot that starts from a picture starts from, by the shot's index. */
export function nodeFilmEngine(model: LoadedModel, run: PresetRun, pictures: ReadonlyMap<number, Frames>): Pick<FilmEngine, 'makeShot'> {
  const base = defaultParams(run.manifest, '', 0, run.preset);
  return {
    async makeShot(request, previous, { signal, progress }) {
      let start: { kind: 'clip'; frames: Frames } | { kind: 'image'; image: Frames } | undefined;
      if (request.start === 'continue') {
        if (!previous) throw new Error('the shot before is not made');
        start = { kind: 'clip', frames: continuedFrames(previous.frames, run.manifest) };
      } else if (request.start !== 'cut') {
        const image = pictures.get(request.index);
        if (!image) throw new Error('its picture was not read');
        start = { kind: 'image', image };
      }
      const models = start ? { ...run.models, vaeEncoder: (await model.vaeEncoder()) ?? undefined } : run.models;
      const rgba: Uint8ClampedArray[] = [];
      const result = await generateClip(run.manifest, models, { params: shotParams(base, request), start }, {
        onFrames: (f, first) => f.rgba.forEach((frame, i) => (rgba[first + i] = frame)),
        onProgress: (p) => progress((p.window * p.totalSteps + p.step) / (p.windows * p.totalSteps)),
        isCancelled: () => signal.aborted,
      });
      if (result.unknownWords.length) console.warn(`Shot ${request.index + 1}: unknown words (ignored by the model): ${result.unknownWords.join(', ')}`);
      const { width, height } = modelFrameSize(run.manifest);
      return { frames: { width, height, count: rgba.length, rgba } };
    },
  };
}
