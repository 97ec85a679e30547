/** Every failure Kineto can explain to a person has a code; the UI maps codes to a sentence with a remedy. */
export const ERROR_CODES = [
  'bad-prompt',
  'bad-parameter',
  'bad-manifest',
  'model-file-missing',
  'model-file-corrupt',
  'model-load-failed',
  'webgpu-unavailable',
  'backend-failed',
  'out-of-memory',
  /** A new model and the one in use do not fit in memory together: the person is asked before the old one goes. */
  'release-needed',
  'quota-exceeded',
  'network',
  'encode-failed',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * A finer cause under a code, where the remedy differs: `space-short` is a quota check that knows how many bytes are
 * missing (its message says so), unlike a browser that refuses storage outright.
 */
export const ERROR_REASONS = ['space-short'] as const;
export type ErrorReason = (typeof ERROR_REASONS)[number];

/** The data form of an error, as it crosses the worker boundary. */
export type ErrorInfo = { code: ErrorCode; message: string; reason?: ErrorReason };

export class KinetoError extends Error {
  readonly code: ErrorCode;
  readonly reason: ErrorReason | undefined;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; reason?: ErrorReason }) {
    super(message, options);
    this.name = 'KinetoError';
    this.code = code;
    this.reason = options?.reason;
  }
  toInfo(): ErrorInfo {
    const info: ErrorInfo = { code: this.code, message: this.message };
    if (this.reason) info.reason = this.reason;
    return info;
  }
}

/** Thrown (and caught by the loop's caller) when the user cancels; cancelling is not an error. */
export class CancelledError extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'CancelledError';
  }
}

/** Any thrown value as `ErrorInfo`, keeping a KinetoError's code and recognising out-of-memory messages. */
export function toErrorInfo(e: unknown): ErrorInfo {
  if (e instanceof KinetoError) return e.toInfo();
  const message = e instanceof Error ? e.message : String(e);
  if (/out of memory|OOM|allocat(e|ion) failed|bad_alloc/i.test(message)) return { code: 'out-of-memory', message };
  return { code: 'internal', message };
}
