/**
 * The one entry point the worker and the CLI call: picks the generation algorithm the manifest's `pipeline` names.
 */
import { generateFrames, type PipelineHooks, type PipelineModels, type PipelineResult } from './pipeline';
import { generateText2VideoZero, type Text2VideoZeroHooks } from './text2video-zero';
import type { GenerateParams, ModelManifest } from './types';

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
