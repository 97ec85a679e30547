import { describe, expect, it } from 'vitest';
import { saveFailureMessage } from '../../../src/library/storage';

describe('save failures', () => {
  it('say the storage is full (with the quota when known), else why; the clip is still on screen either way', () => {
    const full = saveFailureMessage(new DOMException('quota', 'QuotaExceededError'), 2_000_000);
    expect(full).toContain("storage for Kineto is full (quota 2.0 MB)");
    expect(saveFailureMessage(new DOMException('quota', 'QuotaExceededError'), null)).not.toContain('quota ');
    const other = saveFailureMessage(new Error('disk on fire'), null);
    expect(other).toContain('(disk on fire)');
    for (const m of [full, other]) expect(m).toContain('still here to watch and download');
    expect(saveFailureMessage(new Error('disk on fire'), null, 'film')).toMatch(/^This film could not be kept in the Library/);
  });
});
