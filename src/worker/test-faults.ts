/**
 * Faults a test can inject into the engine worker (`test-fault` request), so that recovery is tested on the real
 * engine: nothing here runs unless a test asks. Each fault stands in for something that cannot be caused on demand
 * — a GPU driver reset, a session too large for memory, the browser killing the worker. The quota override of
 * `storage-settings` lives here too: everything the worker does only for automation, in one place.
 */
/// <reference lib="webworker" />
import type { Backend } from '../engine/backend-choice';
import { KinetoError } from '../engine/errors';
import type { OrtModule } from '../runtime/sessions';

declare const self: DedicatedWorkerGlobalScope;

export const TEST_FAULTS = [
  /** Clears the faults below that persist. */
  'none',
  /** Destroys onnxruntime's WebGPU device, as a driver reset or a lost GPU would. */
  'lose-gpu-device',
  /** Every onnxruntime session creation fails with an allocation error until `none`. */
  'sessions-out-of-memory',
  /** The worker closes itself at once, as if the browser had killed it; its requests never answer. */
  'stop-worker',
] as const;
export type TestFault = (typeof TEST_FAULTS)[number];

/** `ort` whose `InferenceSession.create` fails the way onnxruntime-web does when its heap cannot grow. */
export function withoutSessionMemory(ort: OrtModule): OrtModule {
  const create = () => Promise.reject(new Error('failed to allocate a buffer of the session: out of memory (injected by a test)'));
  const InferenceSession = Object.assign(Object.create(ort.InferenceSession) as object, { create }) as OrtModule['InferenceSession'];
  return { InferenceSession, Tensor: ort.Tensor, env: ort.env };
}

/** Set by the `sessions-out-of-memory` fault. */
let sessionsOutOfMemory = false;
/** Set by `storage-settings`' `quotaBytes`: the quota the worker reports instead of the browser's (null: none). */
let quotaOverride: number | null = null;

/** onnxruntime as the loader sees it: the real module, unless a test took its memory away. */
export function withInjectedFaults(ort: OrtModule): OrtModule {
  return sessionsOutOfMemory ? withoutSessionMemory(ort) : ort;
}

/** Pretends this origin's quota is `quotaBytes` (null: the browser's own figure), for automation and demos. */
export function overrideQuota(quotaBytes: number | null): void {
  quotaOverride = quotaBytes;
}

/** The browser's storage estimate with the pretended quota, if any. */
export function withQuotaOverride(e: StorageEstimate): StorageEstimate {
  return quotaOverride === null ? e : { usage: e.usage, quota: quotaOverride };
}

/** What a fault acts on: the backend of the model in use (null: none) and onnxruntime's WebGPU device. */
export type FaultTarget = { backend: Backend | null; gpuDevice: () => Promise<GPUDevice> };

export async function injectFault(fault: TestFault, target: FaultTarget): Promise<void> {
  switch (fault) {
    case 'none':
      sessionsOutOfMemory = false;
      break;
    case 'lose-gpu-device':
      if (target.backend !== 'webgpu') throw new KinetoError('webgpu-unavailable', 'No model runs on WebGPU, so there is no device to lose.');
      (await target.gpuDevice()).destroy();
      break;
    case 'sessions-out-of-memory':
      sessionsOutOfMemory = true;
      break;
    case 'stop-worker':
      self.close();
      break;
  }
}
