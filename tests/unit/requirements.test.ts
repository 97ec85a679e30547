import { describe, expect, it } from 'vitest';
import { checkRequirements } from '../../src/engine/requirements';

const sdTurbo = { webgpu: true, shaderF16: true, memoryGb: 8 };
const kinds = (issues: { requirement: string }[]) => issues.map((i) => i.requirement);

describe('checkRequirements', () => {
  it('passes a capable device and models without requirements', () => {
    expect(checkRequirements(sdTurbo, { webgpu: true, shaderF16: true, memoryGb: 8 })).toEqual([]);
    expect(checkRequirements(undefined, { webgpu: false, shaderF16: false })).toEqual([]);
  });

  it('names each unmet requirement with a sentence', () => {
    const noGpu = checkRequirements(sdTurbo, { webgpu: false, shaderF16: false, memoryGb: 4 });
    expect(kinds(noGpu)).toEqual(['webgpu', 'memory']); // no separate fp16 complaint without WebGPU at all
    expect(noGpu[0]!.message).toMatch(/needs WebGPU/);
    expect(noGpu[1]!.message).toMatch(/about 8 GB.*reports 4 GB/);
    expect(kinds(checkRequirements(sdTurbo, { webgpu: true, shaderF16: false, memoryGb: 8 }))).toEqual(['shader-f16']);
  });

  it('treats the browsers’ 8 GB cap of deviceMemory as enough, and unknown memory as no objection', () => {
    expect(checkRequirements({ ...sdTurbo, memoryGb: 12 }, { webgpu: true, shaderF16: true, memoryGb: 8 })).toEqual([]);
    expect(checkRequirements(sdTurbo, { webgpu: true, shaderF16: true, memoryGb: null })).toEqual([]);
    expect(kinds(checkRequirements({ ...sdTurbo, memoryGb: 12 }, { webgpu: true, shaderF16: true, memoryGb: 4 }))).toEqual(['memory']);
  });
});
