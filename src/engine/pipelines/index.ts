/**
 * The one entry point the worker and the CLI call: picks the generation algorithm the manifest's `pipeline` names.
 * One file per pipeline (`text-to-video.ts`, `text2video-zero.ts`); what they share is in `shared.ts`.
 */
import type { GenerateParams, ModelManifest } from '../types';
import type { PipelineHooks, PipelineModels, PipelineResult } from './shared';
import { generateFrames } from './text-to-video';
import { generateText2VideoZero, type Text2VideoZeroHooks } from './text2video-zero';

export type RunHooks = PipelineHooks & Pick<Text2VideoZeroHooks, 'onMotion'>;

export function runPipeline(manifest: ModelManifest, models: PipelineModels, params: GenerateParams,
  hooks: RunHooks = {}): Promise<PipelineResult> {
  switch (manifest.pipeline) {
    case 'text-to-video':
      return generateFrames(manifest, models, params, hooks);
    case 'text2video-zero':
      return generateText2VideoZero(manifest, models, params, hooks);
    default: {
      const unknown: never = manifest.pipeline;
      throw new RangeError(`Unknown pipeline "${String(unknown)}".`);
    }
  }
}
