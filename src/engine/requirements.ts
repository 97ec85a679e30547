/**
 * Capability gating: what a model needs of the device, checked before any download so that a person learns up
 * front that, say, SD-Turbo needs WebGPU with fp16 shaders. Pure: the worker's probe (and the page, for
 * `navigator.deviceMemory`) supply the device facts; `assessModel` turns manifest + facts into a verdict and the
 * sentence to show.
 *
 * What a browser can tell: whether it has WebGPU, the adapter's features (`shader-f16`) and limits (the largest
 * buffer, `maxBufferSize`, and storage-buffer binding, `maxStorageBufferBindingSize`). WebGPU does not report how
 * much GPU memory there is. `navigator.deviceMemory` gives the device's RAM as a coarse power of two within bounds
 * the browser chooses (Chromium capped it at 8 GB for years; Chromium 156 reported 16 on the build machine, in the page and in
 * workers alike); Firefox and Safari do not offer it at all. So a memory verdict can only say no when the browser
 * reports less than the model needs; otherwise it stays "cannot confirm".
 */
import type { ComponentSpec, ModelManifest, Requirements } from './types';
import { describePicks, pickVariants, type VariantPick, type VariantTarget } from './variants';

/**
 * What the device offers, as the worker probes it. `memoryGb` is `navigator.deviceMemory` (null or absent: the
 * browser does not say); limits are in bytes (absent: unknown or no WebGPU).
 */
export type DeviceCapabilities = {
  webgpu: boolean;
  shaderF16: boolean;
  memoryGb?: number | null;
  maxBufferBytes?: number | null;
  maxStorageBufferBindingBytes?: number | null;
  /** The adapter as a person would name it ("SwiftShader", "NVIDIA …"). */
  adapterName?: string | null;
  /** A software (fallback) adapter: WebGPU on the CPU. */
  softwareAdapter?: boolean;
  /** The person set Backend to CPU (WASM): WebGPU is not used even where the browser has it. */
  wasmChosen?: boolean;
  /** The person set Backend to WebGPU: used even on a software adapter (which Auto never picks for a model WASM runs). */
  webgpuChosen?: boolean;
};

export const REQUIREMENT_KINDS = ['webgpu', 'shader-f16', 'memory', 'buffer', 'wasm-memory'] as const;
export type RequirementKind = (typeof REQUIREMENT_KINDS)[number];

/** One unmet requirement with the sentence to show. */
export type RequirementIssue = { requirement: RequirementKind; message: string };

/**
 * Browsers have long capped `navigator.deviceMemory` at this (newer Chromium reports more), so a report this high
 * counts as enough for any model: the device may have any amount above it.
 */
export const DEVICE_MEMORY_CAP_GB = 8;

/**
 * Without `requirements.memory_gb`, a model is taken to need this many times the bytes of its weight files: once
 * for the weights where they run (GPU buffers or the WASM heap), and as much again for activations and for the copy
 * that passes through JavaScript while a session is created.
 */
export const MEMORY_PER_WEIGHT_BYTE = 2;

/** onnxruntime-web's WASM build addresses 32 bits: weights and activations must fit in 4 GiB on the CPU backend. */
export const WASM_MEMORY_LIMIT_GB = 4;

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/** Bytes of a component's weight files (the ONNX file and its external data). */
function componentBytes(c: ComponentSpec): number {
  return c.bytes + (c.externalData ?? []).reduce((a, x) => a + x.bytes, 0);
}

/**
 * Every weight file a manifest (as picked) may load, each once: its components, the VAE encoder (for known frames)
 * included, then each speed preset's denoiser and its denoiser for windows with known frames.
 */
export function modelComponents(m: ModelManifest): ComponentSpec[] {
  const { text_encoder, denoiser, vae_decoder, vae_encoder } = m.components;
  const presets = Object.values(m.presets ?? {});
  const specs = [text_encoder, denoiser, vae_decoder, vae_encoder, ...presets.map((p) => p.denoiser), ...presets.map((p) => p.knownFramesDenoiser)];
  const byFile = new Map(specs.filter((c): c is ComponentSpec => c !== undefined).map((c) => [c.file, c]));
  return [...byFile.values()];
}

/** Bytes of the weight files a manifest (as picked) may load (`modelComponents`; the tokenizer is not counted). */
export function weightBytes(m: ModelManifest): number {
  return modelComponents(m).reduce((a, c) => a + componentBytes(c), 0);
}

/** The memory a model needs, in GiB: `requirements.memory_gb`, else its weights × `MEMORY_PER_WEIGHT_BYTE`. */
export function estimateMemoryGb(m: ModelManifest): { gb: number; estimated: boolean } {
  if (m.requirements?.memoryGb !== undefined) return { gb: m.requirements.memoryGb, estimated: false };
  return { gb: (weightBytes(m) * MEMORY_PER_WEIGHT_BYTE) / GIB, estimated: true };
}

/** "8 GB", "3.6 GB", "18 MB": what a person reads (GiB and MiB, as browsers and the Hub show sizes). */
export function formatGb(gb: number): string {
  if (gb < 1) return `${Math.max(1, Math.round(gb * 1024))} MB`;
  return `${Number(gb.toFixed(1))} GB`;
}

/** The requirements this device does not meet (empty when it can run the model, or when the model states none). */
export function checkRequirements(req: Requirements | undefined, device: DeviceCapabilities): RequirementIssue[] {
  if (!req) return [];
  const issues: RequirementIssue[] = [];
  const webgpu = device.webgpu && !device.wasmChosen;
  if (req.webgpu && !webgpu)
    issues.push({
      requirement: 'webgpu',
      message: device.webgpu
        ? 'This model needs WebGPU, and Backend is set to CPU (WASM); set it to Auto to use WebGPU.'
        : 'This model needs WebGPU, which this browser does not offer here; it cannot run on the CPU (WASM).',
    });
  if (req.shaderF16 && webgpu && !device.shaderF16)
    issues.push({ requirement: 'shader-f16', message: 'This model needs a GPU with 16-bit float shaders (WebGPU "shader-f16"), which this GPU or browser does not offer.' });
  if (req.memoryGb !== undefined) issues.push(...memoryIssues(req.memoryGb, device));
  if (req.largestBufferMb !== undefined && webgpu) {
    const limit = bufferLimit(device);
    if (limit !== null && req.largestBufferMb * MIB > limit)
      issues.push({
        requirement: 'buffer',
        message: `This model needs GPU buffers of ${formatGb(req.largestBufferMb / 1024)}; this WebGPU adapter allows at most ${formatGb(limit / GIB)} in one buffer.`,
      });
  }
  return issues;
}

function memoryIssues(neededGb: number, device: DeviceCapabilities): RequirementIssue[] {
  if (typeof device.memoryGb !== 'number') return [];
  // A device that reports the cap may have any amount above it, so the cap counts as enough.
  if (device.memoryGb >= Math.min(neededGb, DEVICE_MEMORY_CAP_GB)) return [];
  return [{ requirement: 'memory', message: `This model needs about ${formatGb(neededGb)} of memory; this device reports ${formatGb(device.memoryGb)}.` }];
}

/** The largest buffer a WebGPU shader can use here: the smaller of the two limits; null when unknown. */
function bufferLimit(device: DeviceCapabilities): number | null {
  const limits = [device.maxBufferBytes, device.maxStorageBufferBindingBytes].filter((x): x is number => typeof x === 'number' && x > 0);
  return limits.length > 0 ? Math.min(...limits) : null;
}

/** What `assessModel` concludes for one model on one device. */
export type ModelVerdict = {
  /** Nothing known rules the model out here (memory may still be unconfirmed: see `sentence`). */
  runs: boolean;
  /** Where it would run. */
  backend: VariantTarget['backend'];
  /** The weight variants it would use (empty when the manifest offers none). */
  picks: VariantPick[];
  /** Memory it needs, in GiB; `memoryEstimated` when computed from its file sizes rather than stated. */
  memoryGb: number;
  memoryEstimated: boolean;
  /** Bytes of the weight files it would download (the picked variants; approximate where the manifest says so). */
  downloadBytes: number;
  /** Some of those sizes are estimates from a public listing (`bytes_approximate`). */
  downloadApproximate: boolean;
  issues: RequirementIssue[];
  /** What the model needs: "WebGPU with shader-f16 and about 8 GB of GPU memory". */
  needs: string;
  /** Short verdict for a list: "runs here (WebGPU)", "needs shader-f16". */
  label: string;
  /** What the model needs and what this browser has, in one or two plain sentences. */
  sentence: string;
};

const SHORT_NEED: Record<RequirementKind, string> = {
  webgpu: 'WebGPU',
  'shader-f16': 'shader-f16',
  memory: 'more memory',
  buffer: 'larger GPU buffers',
  'wasm-memory': 'WebGPU (too big for WASM)',
};

/** What the browser offers, as the second half of the sentence ("WebGPU (SwiftShader, a software adapter) without shader-f16, …"). */
export function describeDevice(device: DeviceCapabilities): string {
  let gpu = 'no WebGPU';
  if (device.webgpu) {
    const who = [device.adapterName || null, device.softwareAdapter ? 'a software adapter' : null].filter(Boolean).join(', ');
    const limit = bufferLimit(device);
    gpu = `WebGPU${who ? ` (${who})` : ''} ${device.shaderF16 ? 'with' : 'without'} shader-f16`
      + (limit !== null ? `, GPU buffers up to ${formatGb(limit / GIB)}` : '')
      + (device.wasmChosen ? ', but Backend is set to CPU (WASM)' : '');
  }
  const memory = typeof device.memoryGb === 'number'
    ? `reports ${formatGb(device.memoryGb)} of memory`
    : 'does not report its memory (only Chromium-based browsers do; WebGPU never reports GPU memory)';
  return `${gpu}, and ${memory}`;
}

/**
 * The gate: can this model run here, on which backend, with which weights, and the sentence to show. Requirements
 * are the manifest's, plus WebGPU with shader-f16 for a component whose weights come in fp16 only.
 */
export function assessModel(m: ModelManifest, device: DeviceCapabilities): ModelVerdict {
  // A component with fp16 weights only needs what fp16 needs, whatever the manifest's own requirements say.
  const fp16Only = m.variants !== undefined && Object.values(m.variants).some((v) => Object.keys(v).every((k) => k === 'fp16'));
  const req: Requirements = { webgpu: false, shaderF16: false, ...m.requirements };
  if (fp16Only) Object.assign(req, { webgpu: true, shaderF16: true });
  const needsWebgpu = req.webgpu || req.shaderF16;
  // Auto never runs a model that WASM can run on a software adapter (engine/backend-choice.ts).
  const avoidSoftware = device.softwareAdapter === true && !device.webgpuChosen && !needsWebgpu;
  const webgpu = device.webgpu && !device.wasmChosen && !avoidSoftware;
  const target: VariantTarget = { backend: webgpu ? 'webgpu' : 'wasm', shaderF16: webgpu && device.shaderF16 };
  const { manifest: picked, picks } = pickVariants(m, target);
  const memory = estimateMemoryGb(picked);

  const issues = checkRequirements({ ...req, memoryGb: memory.gb }, device);
  if (!needsWebgpu && target.backend === 'wasm' && memory.gb > WASM_MEMORY_LIMIT_GB)
    issues.push({
      requirement: 'wasm-memory',
      message: `On the CPU (WASM) a model must fit in ${WASM_MEMORY_LIMIT_GB} GB of WebAssembly memory; this one needs about ${formatGb(memory.gb)}.`,
    });

  const needs = [needsWebgpu ? (req.shaderF16 ? 'WebGPU with shader-f16' : 'WebGPU') : null, `about ${formatGb(memory.gb)} of ${needsWebgpu ? 'GPU memory' : 'memory'}`]
    .filter(Boolean).join(' and ');
  // The buffer and WASM limits are not in the needs/has pair; their own sentences follow it.
  const extra = issues.filter((i) => i.requirement === 'buffer' || i.requirement === 'wasm-memory').map((i) => ` ${i.message}`).join('');
  const gate = `This model needs ${needs}; this browser has ${describeDevice(device)}.${extra}`;
  const runs = issues.length === 0;
  const where = target.backend === 'webgpu' ? 'WebGPU' : 'the CPU (WASM)';
  const weights = describePicks(picks);
  const sentence = runs ? `It can run here on ${where}${weights ? ` with ${weights}` : ''}. ${gate}` : gate;
  const label = runs
    ? `runs here (${target.backend === 'webgpu' ? 'WebGPU' : 'CPU'})`
    : `needs ${[...new Set(issues.map((i) => SHORT_NEED[i.requirement]))].join(', ')}`;
  return {
    runs, backend: target.backend, picks, memoryGb: memory.gb, memoryEstimated: memory.estimated, downloadBytes: weightBytes(picked),
    downloadApproximate: Object.values(picked.components).some((c) => c?.bytesApproximate === true), issues, needs, label, sentence,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Licences: shown before any download; a licence not on this list must be accepted explicitly.

/** SPDX ids of licences that ask nothing of a person who merely downloads and runs the weights. */
export const PERMISSIVE_LICENSES = ['CC0-1.0', 'MIT', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', 'ISC', 'Unlicense', '0BSD', 'Zlib', 'CC-BY-4.0'] as const;

/** Whether `license` (an SPDX id, any case) is permissive; anything else (CC BY-NC, OpenRAIL, custom) is not. */
export function isPermissiveLicense(license: string): boolean {
  const id = license.trim().toLowerCase();
  return PERMISSIVE_LICENSES.some((l) => l.toLowerCase() === id);
}
