/** The Schedule chart against the samplers' own timesteps and ᾱ. */
import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../../src/engine/schedulers';
import { alphasCumprod } from '../../../src/engine/schedulers/schedule';
import { SCHEDULER_KINDS } from '../../../src/engine/types';
import { scheduleChart } from '../../../src/lab/schedule-chart';
import { SHAPES_SCHEDULER as config } from '../../fixtures/settings';

describe('Schedule chart data', () => {
  for (const kind of SCHEDULER_KINDS) {
    it(`${kind}: one marker per step at the sampler's own timesteps and noise levels`, () => {
      const steps = kind === 'lcm' ? 4 : 12;
      const chart = scheduleChart(config, kind, steps);
      const s = createScheduler(kind, config, steps);
      expect(chart.markers.map((m) => m.t)).toEqual(s.timesteps);
      chart.markers.forEach((m, i) => {
        expect(m.signal).toBe(s.levels[i]!.alpha);
        expect(m.noise).toBe(s.levels[i]!.sigma);
        expect(m.logSnr).toBeCloseTo(Math.log(m.signal ** 2 / m.noise ** 2), 10);
      });
    });
  }

  it('draws the curve from the training ᾱ', () => {
    const ac = alphasCumprod(config);
    const chart = scheduleChart(config, 'ddim', 10);
    expect(chart.curve[0]!.t).toBe(0);
    expect(chart.curve.at(-1)!.t).toBe(999);
    for (const p of chart.curve) {
      expect(p.signal).toBe(Math.sqrt(ac[p.t]!));
      expect(p.noise).toBe(Math.sqrt(1 - ac[p.t]!));
      expect(p.signal ** 2 + p.noise ** 2).toBeCloseTo(1, 12);
    }
    // DDIM's markers sit on the training curve (integer timesteps).
    const m = chart.markers[3]!;
    expect(m.signal).toBe(Math.sqrt(ac[m.t]!));
  });
});
