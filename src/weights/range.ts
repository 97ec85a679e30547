/**
 * HTTP Range logic for resuming a download (RFC 9110 §14): what to ask for, and what a server's answer means for
 * the bytes already stored. Pure functions, so every case is unit-tested without a network.
 */

/** The request header for continuing after `offset` stored bytes; none for a fresh download. */
export function rangeHeader(offset: number): Record<string, string> {
  return offset > 0 ? { Range: `bytes=${offset}-` } : {};
}

/** `Content-Range: bytes a-b/total` (total may be `*`); null when absent or malformed. */
export function parseContentRange(header: string | null): { start: number; end: number; total: number | null } | null {
  if (header === null) return null;
  const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header.trim());
  if (!m) return null;
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (end < start) return null;
  return { start, end, total: m[3] === '*' ? null : Number(m[3]) };
}

/** What to do with a response to a request sent with `rangeHeader(offset)`. */
export type RangeDecision =
  /** Append the body after the stored bytes. */
  | { action: 'append' }
  /** Drop the stored bytes and write the body from byte 0 (the server sent the whole file). */
  | { action: 'restart-with-body'; reason: string }
  /** Drop the stored bytes and ask again without Range (the stored part no longer matches the server's file). */
  | { action: 'restart-request'; reason: string }
  /** Nothing left to fetch (416): the stored bytes are the whole file, or stale; verify them. */
  | { action: 'verify-stored' }
  | { action: 'missing' }
  | { action: 'http-error'; status: number };

/**
 * Interprets a response. `expectedBytes` is the size the manifest promises (null when unknown); `contentRange` is
 * the header's value, or null when absent — or unreadable, since a cross-origin server must list it in
 * `Access-Control-Expose-Headers` for the page to see it; a 206 is then trusted to start where it was asked.
 */
export function interpretResponse(status: number, offset: number, contentRange: string | null, expectedBytes: number | null): RangeDecision {
  if (status === 404 || status === 410) return { action: 'missing' };
  if (status === 416) return offset > 0 ? { action: 'verify-stored' } : { action: 'http-error', status };
  if (status === 200) {
    return offset > 0 ? { action: 'restart-with-body', reason: 'the server does not support resuming (it ignored the Range header)' } : { action: 'append' };
  }
  if (status === 206) {
    if (offset === 0) return { action: 'restart-request', reason: 'the server sent part of the file to a request for all of it' };
    const range = parseContentRange(contentRange);
    if (range && range.start !== offset) return { action: 'restart-request', reason: `the server resumed at byte ${range.start} instead of ${offset}` };
    if (range && range.total !== null && expectedBytes !== null && range.total !== expectedBytes)
      return { action: 'restart-request', reason: `the file on the server is now ${range.total} bytes, not ${expectedBytes}` };
    return { action: 'append' };
  }
  return { action: 'http-error', status };
}

/** The total size from a 416's `Content-Range: bytes *\/total`; null when absent, unreadable or malformed. */
export function parseUnsatisfiedRange(header: string | null): number | null {
  const m = header === null ? null : /^bytes \*\/(\d+)$/.exec(header.trim());
  return m ? Number(m[1]) : null;
}
