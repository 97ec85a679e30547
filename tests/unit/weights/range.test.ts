/** HTTP Range requests and replies as the resumable download reads them. */
import { describe, expect, it } from 'vitest';
import { interpretResponse, parseContentRange, parseUnsatisfiedRange, rangeHeader } from '../../../src/weights/range';

describe('Range handling', () => {
  it('asks for the rest after the stored bytes, nothing for a fresh download', () => {
    expect(rangeHeader(0)).toEqual({});
    expect(rangeHeader(1234)).toEqual({ Range: 'bytes=1234-' });
  });

  it('parses Content-Range', () => {
    expect(parseContentRange('bytes 100-199/1000')).toEqual({ start: 100, end: 199, total: 1000 });
    expect(parseContentRange('bytes 100-199/*')).toEqual({ start: 100, end: 199, total: null });
    expect(parseContentRange('bytes */1000')).toBeNull();
    expect(parseContentRange(null)).toBeNull();
    expect(parseContentRange('items 1-2/3')).toBeNull();
    expect(parseUnsatisfiedRange('bytes */1000')).toBe(1000);
    expect(parseUnsatisfiedRange('bytes 1-2/3')).toBeNull();
  });

  it('appends a 206 that starts where asked', () => {
    expect(interpretResponse(206, 500, 'bytes 500-999/1000', 1000)).toEqual({ action: 'append' });
    // Cross-origin without Access-Control-Expose-Headers the header is unreadable: trusted.
    expect(interpretResponse(206, 500, null, 1000)).toEqual({ action: 'append' });
    expect(interpretResponse(200, 0, null, 1000)).toEqual({ action: 'append' });
  });

  it('restarts from zero when the server ignores Range (200)', () => {
    expect(interpretResponse(200, 500, null, 1000)).toMatchObject({ action: 'restart-with-body', reason: expect.stringContaining('ignored the Range header') });
  });

  it('asks again without Range when the 206 does not fit the stored bytes', () => {
    expect(interpretResponse(206, 500, 'bytes 400-999/1000', 1000)).toMatchObject({ action: 'restart-request', reason: expect.stringContaining('byte 400') });
    expect(interpretResponse(206, 500, 'bytes 500-1999/2000', 1000)).toMatchObject({ action: 'restart-request', reason: expect.stringContaining('2000 bytes') });
    expect(interpretResponse(206, 0, 'bytes 0-9/1000', 1000)).toMatchObject({ action: 'restart-request' });
  });

  it('re-verifies on 416 and names other statuses', () => {
    expect(interpretResponse(416, 1000, 'bytes */1000', 1000)).toEqual({ action: 'verify-stored' });
    expect(interpretResponse(416, 0, null, 1000)).toEqual({ action: 'http-error', status: 416 });
    expect(interpretResponse(404, 500, null, 1000)).toEqual({ action: 'missing' });
    expect(interpretResponse(503, 0, null, 1000)).toEqual({ action: 'http-error', status: 503 });
  });
});
