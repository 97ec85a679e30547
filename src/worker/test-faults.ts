/**
 * Faults a test can inject into the engine worker (`test-fault` request), so that recovery is tested on the real
 * engine: nothing here runs unless a test asks. Each fault stands in for something that cannot be caused on demand
 * — a GPU driver reset, a session too large for memory, the browser killing the worker.
 */
import type { OrtModule } from '../runtime/sessions';

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
