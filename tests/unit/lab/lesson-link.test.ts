import { describe, expect, it } from 'vitest';
import { lessonHash, parseLessonHash, type LessonSettings } from '../../../src/lab/lesson-link';

describe('lesson link', () => {
  const defaults: LessonSettings = { prompt: 'a red circle', negativePrompt: '', seed: 1, steps: 30, guidanceScale: 3, scheduler: 'ddim', frames: 16, view: 'step', step: 30 };

  it('round-trips every setting', () => {
    const s: LessonSettings = { prompt: 'a blue star moving up & away', negativePrompt: 'noise', seed: 4242, steps: 8, guidanceScale: 7.5, scheduler: 'euler-karras', frames: 8, view: 'guidance', step: 3 };
    const parsed = parseLessonHash(lessonHash(s), defaults, 16);
    expect(parsed).toEqual({ settings: s, isLesson: true, problems: [] });
  });

  it('names bad and missing values and uses the defaults in their place', () => {
    const parsed = parseLessonHash('#/lab?prompt=a%20cat&seed=-4&steps=12&guidance=abc&scheduler=magic&view=step&step=99', defaults, 16);
    expect(parsed.settings).toEqual({ ...defaults, prompt: 'a cat', steps: 12, step: 12 });
    expect(parsed.problems).toEqual([
      'The link\'s seed "-4" is not valid; using 1.',
      'The link\'s guidance "abc" is not valid; using 3.',
      'The link\'s scheduler "magic" is not valid; using ddim.',
      'The link\'s step "99" is not valid; using 12.',
    ]);
    expect(parseLessonHash('#/lab?view=forward', defaults, 16).problems).toContain('The link has no seed; using 1.');
    expect(parseLessonHash('#/lab', defaults, 16)).toEqual({ settings: defaults, isLesson: false, problems: [] });
  });
});
