/**
 * onnxruntime-web, loaded in the build this browser runs (`platform/ort-builds.ts`). A dynamic import, so the engine
 * worker fetches one build's JavaScript and WASM, not both.
 */
import type { OrtBuild } from '../platform/ort-builds';

export type OrtWeb = typeof import('onnxruntime-web/webgpu');

export async function loadOrt(build: OrtBuild): Promise<OrtWeb> {
  return build === 'jspi' ? await import('onnxruntime-web/jspi') : await import('onnxruntime-web/webgpu');
}
