import { describe, expect, it } from 'vitest';
import { isOtherBuildsWasm, ortBuildFor } from '../../../src/platform/ort-builds';

describe('onnxruntime-web build choice', () => {
  it('takes JSPI where WebAssembly.Suspending is a constructor, Asyncify otherwise', () => {
    expect(ortBuildFor({ Suspending: function Suspending() {} })).toBe('jspi');
    expect(ortBuildFor({})).toBe('asyncify');
    expect(ortBuildFor({ Suspending: undefined })).toBe('asyncify');
  });

  it('names the other build\'s hashed WASM file as one the browser never loads', () => {
    const jspi = '/assets/ort-wasm-simd-threaded.jspi-CZzFqCHi.wasm';
    const asyncify = 'assets/ort-wasm-simd-threaded.asyncify-D5D0fo7z.wasm';
    expect(isOtherBuildsWasm(asyncify, 'jspi')).toBe(true);
    expect(isOtherBuildsWasm(jspi, 'jspi')).toBe(false);
    expect(isOtherBuildsWasm(jspi, 'asyncify')).toBe(true);
    expect(isOtherBuildsWasm(asyncify, 'asyncify')).toBe(false);
    expect(isOtherBuildsWasm('assets/worker-DQGuuwvD.js', 'jspi')).toBe(false);
  });
});
