/** src/store/start-image-slice.ts: where a pasted picture goes. (Fitting pictures needs a page: tests/browser/extend.) */
import { describe, expect, it } from 'vitest';
import { pasteTarget } from '../../../src/store/start-image-slice';

describe('pasteTarget', () => {
  it('fills the start first, then the end', () => {
    expect(pasteTarget({ start: false, end: false }, null)).toBe('start');
    expect(pasteTarget({ start: true, end: false }, null)).toBe('end');
  });

  it('replaces the picture of the field with the focus', () => {
    expect(pasteTarget({ start: true, end: true }, 'end')).toBe('end');
    expect(pasteTarget({ start: true, end: false }, 'start')).toBe('start');
    expect(pasteTarget({ start: true, end: true }, 'start')).toBe('start');
  });

  it('with both set and neither focused, replaces the start; never an end without a start', () => {
    expect(pasteTarget({ start: true, end: true }, null)).toBe('start');
    expect(pasteTarget({ start: false, end: false }, 'end')).toBe('start');
  });
});
