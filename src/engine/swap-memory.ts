/**
 * Make before break: a new model is loaded beside the one in use and the old one is released only once the new one
 * works. That needs room for both at once; this says whether there is, from the same estimates the gate uses.
 */
import { DEVICE_MEMORY_CAP_GB, estimateMemoryGb, formatGb, WASM_MEMORY_LIMIT_GB } from './requirements';
import type { ModelManifest } from './types';

/** Whether `current` and `next` fit in memory together; when not, the sentence that asks before releasing. */
export type SwapRoom = { fits: true } | { fits: false; neededGb: number; limitGb: number; message: string };

/**
 * On the CPU both models share onnxruntime's one 32-bit WASM heap (4 GiB). On WebGPU the browser reports no GPU
 * memory, so the device's RAM hint (`navigator.deviceMemory`, capped at 8 GB by browsers; null: unknown, taken as
 * the cap) stands in for it.
 */
export function swapRoom(current: ModelManifest, next: ModelManifest, backend: 'webgpu' | 'wasm', deviceMemoryGb: number | null): SwapRoom {
  const neededGb = estimateMemoryGb(current).gb + estimateMemoryGb(next).gb;
  const limitGb = backend === 'wasm' ? WASM_MEMORY_LIMIT_GB : Math.min(deviceMemoryGb ?? DEVICE_MEMORY_CAP_GB, DEVICE_MEMORY_CAP_GB);
  if (neededGb <= limitGb) return { fits: true };
  const where = backend === 'wasm' ? `the CPU's (WASM) ${formatGb(limitGb)}` : `this device's ${formatGb(limitGb)}`;
  return {
    fits: false,
    neededGb,
    limitGb,
    message:
      `${current.name} and ${next.name} together need about ${formatGb(neededGb)}, more than ${where}. ` +
      `Loading ${next.name} first releases ${current.name}; if ${next.name} then fails, ${current.name} has to be loaded again.`,
  };
}
