/** Storage quota: the check before a download and the message for a refused write. */
import { describe, expect, it } from 'vitest';
import { KinetoError } from '../../../src/engine/errors';
import { checkQuota, isQuotaExceeded, quotaError } from '../../../src/weights/quota';

describe('quota', () => {
  it('says how much is needed and how much is free', async () => {
    const estimate = async () => ({ usage: 700_000_000, quota: 1_000_000_000 });
    const err = await checkQuota('Big Model', 1_200_000_000, estimate).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KinetoError);
    expect((err as KinetoError).code).toBe('quota-exceeded');
    expect((err as KinetoError).message).toMatch(/^Kineto needs 1\.2 GB more for Big Model but only 300 MB is free\./);
    await expect(checkQuota('Big Model', 200_000_000, estimate)).resolves.toBeUndefined();
    // A browser that does not say: no refusal up front.
    await expect(checkQuota('Big Model', 1e12, async () => ({}))).resolves.toBeUndefined();
  });

  it('recognises a refused write', () => {
    expect(isQuotaExceeded(new DOMException('No space', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaExceeded(new Error('x'))).toBe(false);
    expect(quotaError('M', 5_000_000, null).message).toContain('Kineto needs 5.0 MB more for M but the browser has no more room');
  });
});
