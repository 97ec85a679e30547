/// <reference lib="webworker" />
/** The `probe` request: what this browser offers the engine, as seen from inside the worker. */
import { listEncodableCodecs } from '../video/codec';
import { deviceMemoryGb, getAdapter, ortBuild, threads } from './model-host';
import type { Capabilities } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

export async function probe(): Promise<Capabilities> {
  const a = await getAdapter();
  const info = a?.info;
  return {
    webgpu: a !== null,
    adapter: info ? { vendor: info.vendor, architecture: info.architecture, description: info.description, isFallbackAdapter: (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter ?? false } : null,
    shaderF16: a?.features.has('shader-f16') ?? false,
    limits: a ? { maxBufferSize: a.limits.maxBufferSize, maxStorageBufferBindingSize: a.limits.maxStorageBufferBindingSize } : null,
    deviceMemoryGb: deviceMemoryGb(),
    crossOriginIsolated: self.crossOriginIsolated,
    wasmThreads: threads,
    ortBuild,
    codecs: await listEncodableCodecs(256, 256, 8),
  };
}
