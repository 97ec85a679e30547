/** The Lab's Pipeline view: each stage with the loaded model's tensor shapes. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/engine/manifest';
import { pipelineStages } from '../../../src/lab/pipeline-stages';

describe('pipelineStages', () => {
  it('describes the pipeline stages with the loaded model\'s shapes', () => {
    const m = parseManifest(JSON.parse(readFileSync('public/models/kineto-shapes/manifest.json', 'utf8')));
    const stages = pipelineStages(m, { steps: 30, frames: 16, guidanceScale: 3, fps: 8, outputSize: 256 });
    expect(stages.map((s) => s.shape)).toEqual(['text', '[2, 16]', '[2, 16, 128]', '[2, 4, 16, 16, 16]', '[16, 3, 128, 128]', '16 frames, 256×256']);
    const pixel = { ...m, components: { text_encoder: m.components.text_encoder, denoiser: m.components.denoiser } };
    expect(pipelineStages(pixel, { steps: 4, frames: 8, guidanceScale: 1, fps: 8, outputSize: 64 })[4]!.note).toMatch(/denoises pixels/);
  });
});
