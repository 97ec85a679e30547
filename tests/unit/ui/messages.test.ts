import { describe, expect, it } from 'vitest';
import { KinetoError, toErrorInfo } from '../../../src/engine/errors';
import { explainError } from '../../../src/ui/messages';
import { quotaError } from '../../../src/weights/quota';

describe('explainError', () => {
  it('tells a quota check that knows the shortfall from a browser that refuses storage, by reason (after the worker boundary)', () => {
    const short = structuredClone(toErrorInfo(quotaError('Big Model', 1_200_000_000, 300_000_000)));
    expect(short.reason).toBe('space-short');
    expect(explainError(short)).toEqual({ sentence: `There is not enough storage for this model. ${short.message}`, detail: null });

    const refused = toErrorInfo(new KinetoError('quota-exceeded', 'This browser refused storage for downloaded models (denied).'));
    expect(refused.reason).toBeUndefined();
    const { sentence, detail } = explainError(refused);
    expect(sentence).toMatch(/^The browser's storage for this site is full/);
    expect(detail).toBe(refused.message);
  });

  it('still has a sentence for a code it does not know (a newer worker)', () => {
    expect(explainError({ code: 'from-the-future' as never, message: 'x' }).sentence).toMatch(/^Something went wrong inside Kineto/);
  });
});
