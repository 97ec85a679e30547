/**
 * Capability gating: what a model's manifest `requirements` ask of the device, checked before any download so that
 * a person learns up front that, say, SD-Turbo needs WebGPU with fp16 shaders. Pure: the worker's probe supplies
 * the device facts.
 */
import type { Requirements } from './types';

/** What the device offers, as the worker probes it. `memoryGb` is `navigator.deviceMemory` (absent → unknown). */
export type DeviceCapabilities = { webgpu: boolean; shaderF16: boolean; memoryGb?: number | null };

export const REQUIREMENT_KINDS = ['webgpu', 'shader-f16', 'memory'] as const;
export type RequirementKind = (typeof REQUIREMENT_KINDS)[number];

/** One unmet requirement with the sentence to show. */
export type RequirementIssue = { requirement: RequirementKind; message: string };

/** Browsers report `navigator.deviceMemory` rounded down to a power of two and capped at this. */
export const DEVICE_MEMORY_CAP_GB = 8;

/** The requirements this device does not meet (empty when it can run the model, or when the model states none). */
export function checkRequirements(req: Requirements | undefined, device: DeviceCapabilities): RequirementIssue[] {
  if (!req) return [];
  const issues: RequirementIssue[] = [];
  if (req.webgpu && !device.webgpu)
    issues.push({ requirement: 'webgpu', message: 'This model needs WebGPU, which this browser does not offer here; it cannot run on the CPU (WASM).' });
  if (req.shaderF16 && device.webgpu && !device.shaderF16)
    issues.push({ requirement: 'shader-f16', message: 'This model needs a GPU with 16-bit float shaders (WebGPU "shader-f16"), which this GPU or browser does not offer.' });
  if (req.memoryGb !== undefined && typeof device.memoryGb === 'number') {
    // A device that reports the cap may have any amount above it, so the cap counts as enough.
    const needed = Math.min(req.memoryGb, DEVICE_MEMORY_CAP_GB);
    if (device.memoryGb < needed)
      issues.push({ requirement: 'memory', message: `This model needs about ${req.memoryGb} GB of memory; this device reports ${device.memoryGb} GB.` });
  }
  return issues;
}
