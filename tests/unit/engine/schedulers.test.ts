/**
 * Samplers against the published formulas. The expected side is computed here, plainly and independently of
 * src/engine/schedulers/schedule.ts (only the function under test is imported from there), plus a few values that
 * diffusers is known to produce (DDIM [801, 601, 401, 201, 1], SD σ_max 14.6146 / σ_min 0.0292, LCM [999, 759, 499,
 * 259], trailing 13 steps from huggingface/diffusers#9261).
 */
import { describe, expect, it } from 'vitest';
import { SCHEDULER_KINDS, type PredictionType, type SchedulerConfig, type SchedulerKind } from '../../../src/engine/types';
import { createScheduler, SCHEDULER_LABELS, type Scheduler } from '../../../src/engine/schedulers/index';
import { alphasCumprod, betas } from '../../../src/engine/schedulers/schedule';
import { createLcmScheduler } from '../../../src/engine/schedulers/lcm';

// ---------------------------------------------------------------------------------------------------------------
// Configs

const SD: SchedulerConfig = {
  numTrainTimesteps: 1000, betaSchedule: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012,
  predictionType: 'epsilon', timestepSpacing: 'leading', stepsOffset: 1, setAlphaToOne: false,
};
/** The config training/export.py writes for Kineto's own model. */
const KINETO: SchedulerConfig = {
  numTrainTimesteps: 1000, betaSchedule: 'squaredcos_cap_v2', betaStart: 0.0001, betaEnd: 0.02,
  predictionType: 'v_prediction', timestepSpacing: 'trailing', stepsOffset: 0, setAlphaToOne: true,
};
const DDPM: SchedulerConfig = {
  numTrainTimesteps: 1000, betaSchedule: 'linear', betaStart: 0.0001, betaEnd: 0.02,
  predictionType: 'epsilon', timestepSpacing: 'linspace', stepsOffset: 0, setAlphaToOne: true,
};

// ---------------------------------------------------------------------------------------------------------------
// Reference math, written out plainly

function refBetas(c: SchedulerConfig): number[] {
  const n = c.numTrainTimesteps;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (c.betaSchedule === 'linear') out.push(c.betaStart + ((c.betaEnd - c.betaStart) * i) / (n - 1));
    else if (c.betaSchedule === 'scaled_linear') {
      const r = Math.sqrt(c.betaStart) + ((Math.sqrt(c.betaEnd) - Math.sqrt(c.betaStart)) * i) / (n - 1);
      out.push(r * r);
    } else {
      const f = (t: number) => Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
      out.push(Math.min(1 - f((i + 1) / n) / f(i / n), 0.999));
    }
  }
  return out;
}

function refAlphaBar(c: SchedulerConfig): number[] {
  let p = 1;
  return refBetas(c).map((b) => (p *= 1 - b));
}

const refSigmas = (c: SchedulerConfig) => refAlphaBar(c).map((a) => Math.sqrt((1 - a) / a));

/** numpy rounds halves to even. */
function half(x: number): number {
  const f = Math.floor(x);
  if (x - f !== 0.5) return Math.round(x);
  return f % 2 === 0 ? f : f + 1;
}

/**
 * DDIM / Euler spacing from diffusers' definitions, with numpy's arithmetic (it decides which values land on .5):
 * linspace(0, N−1, n)_i = i·((N−1)/(n−1)), last = N−1; arange(N, 0, −N/n)_i = N + i·δ, δ = (N − N/n) − N.
 */
function refTimesteps(c: SchedulerConfig, n: number, keepFractions: boolean): number[] {
  const N = c.numTrainTimesteps;
  const out: number[] = [];
  for (let i = n - 1; i >= 0; i--) {
    if (c.timestepSpacing === 'leading') out.push(i * Math.floor(N / n) + c.stepsOffset);
    else if (c.timestepSpacing === 'linspace') {
      const t = n === 1 ? 0 : i === n - 1 ? N - 1 : i * ((N - 1) / (n - 1)); // numpy: linspace(0, N−1, 1) = [0]
      out.push(keepFractions ? Math.fround(t) : half(t));
    }
  }
  if (c.timestepSpacing === 'trailing') {
    const delta = N - N / n - N;
    for (let i = 0; i < n; i++) out.push(half(i < 2 ? N - i * (N / n) : N + i * delta) - 1);
  }
  return out;
}

function interp(t: number, table: number[]): number {
  const j = Math.min(Math.floor(t), table.length - 2);
  return table[j]! + (table[j + 1]! - table[j]!) * (t - j);
}

/** σ⁻¹ by linear interpolation of log σ between neighbouring training steps. */
function refSigmaToT(sigma: number, sigmas: number[]): number {
  const l = Math.log(sigma);
  for (let j = 0; j < sigmas.length - 1; j++) {
    const lo = Math.log(sigmas[j]!);
    const hi = Math.log(sigmas[j + 1]!);
    if (l <= hi || j === sigmas.length - 2) return j + Math.min(1, Math.max(0, (l - lo) / (hi - lo)));
  }
  throw new Error('unreachable');
}

/** Euler's σ_0 … σ_{n−1} (without the final 0) and model timesteps. */
function refEuler(c: SchedulerConfig, n: number, karras: boolean): { sigmas: number[]; timesteps: number[] } {
  const table = refSigmas(c);
  const ts = refTimesteps(c, n, true);
  const plain = ts.map((t) => interp(t, table));
  if (!karras) return { sigmas: plain, timesteps: ts };
  const max = plain[0]! ** (1 / 7);
  const min = plain[n - 1]! ** (1 / 7);
  const sigmas = plain.map((_, i) => (max + (n === 1 ? 0 : i / (n - 1)) * (min - max)) ** 7);
  return { sigmas, timesteps: sigmas.map((s) => refSigmaToT(s, table)) };
}

// ---------------------------------------------------------------------------------------------------------------
// Test data

function gaussian(seed: number): (count: number) => Float32Array {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (count) => {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
    return out;
  };
}

const D = 64;
const X0 = gaussian(1)(D).map((v) => 0.5 * v);
const EPS = gaussian(2)(D);
const X = gaussian(3)(D);
const M = gaussian(4)(D);
const M2 = gaussian(5)(D);

const lin = (a: number, u: ArrayLike<number>, b: number, v: ArrayLike<number>) =>
  Array.from({ length: u.length }, (_, i) => a * u[i]! + b * v[i]!);

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst).toBeLessThan(tol);
}

const expectSeq = (actual: readonly number[], expected: number[], digits = 4) => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, digits));
};

// ---------------------------------------------------------------------------------------------------------------

describe('training schedule', () => {
  it.each([SD, KINETO, DDPM])('betas and ᾱ follow the %# schedule', (c) => {
    const b = betas(c);
    const ref = refBetas(c);
    b.forEach((v, i) => expect(Math.abs(v - ref[i]!)).toBeLessThan(1e-12));
    const ac = alphasCumprod(c);
    const refAc = refAlphaBar(c);
    ac.forEach((v, i) => expect(Math.abs(v - refAc[i]!) / refAc[i]!).toBeLessThan(1e-9));
  });

  it('caps the cosine betas at 0.999 and scales SD betas in √ space', () => {
    expect(betas(KINETO)[999]).toBe(0.999);
    expect(betas(KINETO)[998]).toBeLessThan(0.999);
    expect(betas(SD)[0]).toBeCloseTo(0.00085, 12);
    expect(betas(SD)[999]).toBeCloseTo(0.012, 12);
    const w = 500 / 999;
    expect(betas(SD)[500]).toBeCloseTo(((1 - w) * Math.sqrt(0.00085) + w * Math.sqrt(0.012)) ** 2, 12);
    expect(Math.abs(betas(SD)[500]! - ((1 - w) * 0.00085 + w * 0.012))).toBeGreaterThan(1e-4); // not linear in β
  });
});

describe('timesteps', () => {
  const ts = (kind: SchedulerKind, c: SchedulerConfig, n: number) => [...createScheduler(kind, c, n).timesteps];

  it('DDIM, SD 1.x config (leading, offset 1), 5 steps: [801, 601, 401, 201, 1]', () => {
    expect(ts('ddim', SD, 5)).toEqual([801, 601, 401, 201, 1]);
    expect(ts('ddim', { ...SD, stepsOffset: 0 }, 7)).toEqual([852, 710, 568, 426, 284, 142, 0]);
  });

  it('trailing: 999 first, exactly n values (numpy would append a −1 for 61 steps)', () => {
    expect(ts('ddim', KINETO, 5)).toEqual([999, 799, 599, 399, 199]);
    expect(ts('ddim', KINETO, 13)).toEqual([999, 922, 845, 768, 691, 614, 537, 461, 384, 307, 230, 153, 76]);
    const t61 = ts('ddim', KINETO, 61);
    expect(t61).toHaveLength(61);
    expect(t61.at(-1)).toBe(15);
    expect(t61).toEqual(refTimesteps(KINETO, 61, false));
  });

  it('linspace: DDIM rounds halves to even, Euler keeps the fractions', () => {
    expect(ts('ddim', DDPM, 7)).toEqual([999, 832, 666, 500, 333, 166, 0]);
    expect(ts('euler', DDPM, 7)).toEqual([999, 832.5, 666, 499.5, 333, 166.5, 0]);
    expectSeq(ts('euler', DDPM, 10), refTimesteps(DDPM, 10, true));
  });

  it.each([
    ['leading', 0], ['leading', 1], ['trailing', 0], ['linspace', 0],
  ] as const)('DDIM and Euler match the %s reference (offset %d) for 1…60 steps', (spacing, offset) => {
    const c = { ...SD, timestepSpacing: spacing, stepsOffset: offset };
    for (let n = 1; n <= 60; n++) {
      expect(ts('ddim', c, n)).toEqual(refTimesteps(c, n, false));
      expectSeq(ts('euler', c, n), refTimesteps(c, n, true), 3);
    }
  });

  it('DPM-Solver++ uses its own rules (steps + 1 points, last dropped)', () => {
    expect(ts('dpm-solver++', DDPM, 5)).toEqual([999, 799, 599, 400, 200]);
    expect(ts('dpm-solver++', { ...SD, stepsOffset: 0 }, 5)).toEqual([830, 664, 498, 332, 166]);
    expect(ts('dpm-solver++', SD, 5)).toEqual([831, 665, 499, 333, 167]);
    expect(ts('dpm-solver++', KINETO, 7)).toEqual([999, 856, 713, 570, 428, 285, 142]);
    for (let n = 1; n <= 40; n++) {
      const N = 1000;
      // linspace(0, N−1, n+1) reversed, without its final 0
      const lin = Array.from({ length: n }, (_, k) => (k === 0 ? N - 1 : half((n - k) * ((N - 1) / n))));
      expect(ts('dpm-solver++', DDPM, n)).toEqual(lin);
    }
  });

  it('LCM: every 20th training step, 4 of them → [999, 759, 499, 259]', () => {
    expect(ts('lcm', SD, 4)).toEqual([999, 759, 499, 259]);
    const idx = Array.from({ length: 8 }, (_, i) => Math.floor((i * 50) / 8));
    expect(ts('lcm', SD, 8)).toEqual(idx.map((i) => 999 - 20 * i));
    expect(ts('lcm', KINETO, 1)).toEqual([999]);
    expect([...createLcmScheduler(SD, 2, { originalInferenceSteps: 10 }).timesteps]).toEqual([999, 499]);
    expect(() => createScheduler('lcm', SD, 51)).toThrow(RangeError);
  });

  it('rejects impossible step counts', () => {
    for (const kind of SCHEDULER_KINDS) {
      expect(() => createScheduler(kind, SD, 0)).toThrow(RangeError);
      expect(() => createScheduler(kind, SD, 2.5)).toThrow(RangeError);
    }
    expect(() => createScheduler('ddim', SD, 1001)).toThrow(RangeError);
    expect(() => createScheduler('ddim', SD, 1000)).toThrow(RangeError); // leading + offset 1 reaches t = 1000
  });
});

describe('Euler sigmas', () => {
  /** σ_i read back through the public API: zero sample, ε̂ = 1 → x̂0 = −σ_i; the last step lands on σ = 0. */
  function readSigmas(s: Scheduler): number[] {
    const out: number[] = [];
    const n = s.timesteps.length;
    for (let i = 0; i < n; i++) {
      const r = s.step(new Float32Array([1]), i, new Float32Array([0]));
      out.push(-r.predOriginal[0]!);
      if (i === n - 1) expect(r.prevSample[0]).toBeCloseTo(-out[i]!, 5); // σ_n = 0: x_n = 0 + (0 − σ)·1
    }
    return out;
  }

  it('SD: σ_max = 14.6146 and σ_min = 0.0292 (trailing / linspace endpoints)', () => {
    const t = createScheduler('euler', { ...SD, timestepSpacing: 'trailing' }, 1000);
    const sig = readSigmas(t);
    expect(sig[0]).toBeCloseTo(14.6146, 4);
    expect(sig.at(-1)).toBeCloseTo(0.0292, 4);
  });

  it.each([
    [SD, 5], [{ ...SD, timestepSpacing: 'linspace' as const }, 7], [{ ...SD, timestepSpacing: 'trailing' as const }, 9],
    [KINETO, 6], [DDPM, 10], [{ ...DDPM, timestepSpacing: 'leading' as const, stepsOffset: 1 }, 25],
  ])('plain and Karras σ, timesteps, initNoiseSigma and input scaling (%#)', (c, n) => {
    for (const karras of [false, true]) {
      const s = createScheduler(karras ? 'euler-karras' : 'euler', { ...c, predictionType: 'epsilon' }, n);
      const ref = refEuler(c, n, karras);
      const sig = readSigmas(s);
      sig.forEach((v, i) => expect(Math.abs(v - ref.sigmas[i]!) / ref.sigmas[i]!).toBeLessThan(1e-5));
      expectSeq(s.timesteps, ref.timesteps, 2);
      const max = ref.sigmas[0]!;
      const init = c.timestepSpacing === 'leading' ? Math.sqrt(max * max + 1) : max;
      expect(s.initNoiseSigma).toBeCloseTo(init, 4);
      const fresh = createScheduler(karras ? 'euler-karras' : 'euler', c, n);
      for (let i = 0; i < n; i++) {
        const scaled = fresh.scaleModelInput(new Float32Array([2, -3]), i);
        expect(scaled[0]).toBeCloseTo(2 / Math.sqrt(ref.sigmas[i]! ** 2 + 1), 6);
        expect(scaled[1]).toBeCloseTo(-3 / Math.sqrt(ref.sigmas[i]! ** 2 + 1), 6);
      }
    }
  });

  it('Karras σ share the end points of the plain ones and are evenly spaced in σ^(1/7)', () => {
    const c = { ...SD, timestepSpacing: 'trailing' as const };
    const plain = readSigmas(createScheduler('euler', c, 10));
    const karras = readSigmas(createScheduler('euler-karras', c, 10));
    expect(karras[0]).toBeCloseTo(plain[0]!, 3);
    expect(karras[9]).toBeCloseTo(plain[9]!, 3);
    const gaps = (s: number[]) => s.slice(1).map((v, i) => v ** (1 / 7) - s[i]! ** (1 / 7));
    for (const g of gaps(karras)) expect(g).toBeCloseTo(gaps(karras)[0]!, 5);
    expect(Math.abs(gaps(plain)[8]! - gaps(plain)[0]!)).toBeGreaterThan(0.01);
  });
});

describe('single steps against the paper formulas', () => {
  it.each(['epsilon', 'v_prediction', 'sample'] as const)('DDIM eq. 12 (η = 0), %s', (type) => {
    const c = { ...SD, predictionType: type };
    const ac = refAlphaBar(c);
    const s = createScheduler('ddim', c, 5);
    const [a, aPrev] = [ac[801]!, ac[601]!];
    const x0 =
      type === 'epsilon' ? lin(1 / Math.sqrt(a), X, -Math.sqrt(1 - a) / Math.sqrt(a), M)
      : type === 'v_prediction' ? lin(Math.sqrt(a), X, -Math.sqrt(1 - a), M)
      : Array.from(M);
    const eps = lin(1 / Math.sqrt(1 - a), X, -Math.sqrt(a) / Math.sqrt(1 - a), x0); // ε̂ from x_t = √ᾱ x0 + √(1−ᾱ) ε
    const r = s.step(M, 0, X);
    expectClose(r.predOriginal, x0, 1e-4);
    expectClose(r.prevSample, lin(Math.sqrt(aPrev), x0, Math.sqrt(1 - aPrev), eps), 1e-4);
  });

  it.each([true, false])('DDIM final ᾱ_prev with setAlphaToOne = %s', (one) => {
    const c = { ...SD, setAlphaToOne: one };
    const ac = refAlphaBar(c);
    const s = createScheduler('ddim', c, 2); // leading, offset 1: [501, 1]
    expect([...s.timesteps]).toEqual([501, 1]);
    s.step(M, 0, X);
    const r = s.step(M, 1, X);
    const a = ac[1]!;
    const x0 = lin(1 / Math.sqrt(a), X, -Math.sqrt(1 - a) / Math.sqrt(a), M);
    const aPrev = one ? 1 : ac[0]!;
    expectClose(r.prevSample, lin(Math.sqrt(aPrev), x0, Math.sqrt(1 - aPrev), M), 1e-4);
    if (!one) expect(Math.abs(r.prevSample[0]! - x0[0]!)).toBeGreaterThan(1e-4);
  });

  it('DDIM steps to the next timestep of the list, also for linspace spacing', () => {
    const c = { ...DDPM, predictionType: 'v_prediction' as const };
    const ac = refAlphaBar(c);
    const s = createScheduler('ddim', c, 7); // [999, 832, 666, …]
    s.step(M, 0, X);
    const r = s.step(M, 1, X);
    const [a, aPrev] = [ac[832]!, ac[666]!];
    const x0 = lin(Math.sqrt(a), X, -Math.sqrt(1 - a), M);
    const eps = lin(Math.sqrt(1 - a), X, Math.sqrt(a), M);
    expectClose(r.prevSample, lin(Math.sqrt(aPrev), x0, Math.sqrt(1 - aPrev), eps), 1e-4);
  });

  it.each(['epsilon', 'v_prediction', 'sample'] as const)('Euler (Karras Alg. 2, S_churn = 0), %s', (type) => {
    for (const kind of ['euler', 'euler-karras'] as const) {
      const c = { ...SD, predictionType: type };
      const ref = refEuler(c, 5, kind === 'euler-karras');
      const s = createScheduler(kind, c, 5);
      const [sg, sgNext] = [ref.sigmas[0]!, ref.sigmas[1]!];
      const x = lin(sg, X, 0, X); // a sample at the scale of σ
      const denoised =
        type === 'epsilon' ? lin(1, x, -sg, M)
        : type === 'v_prediction' ? lin(1 / (sg * sg + 1), x, -sg / Math.sqrt(sg * sg + 1), M)
        : Array.from(M);
      const r = s.step(M, 0, Float32Array.from(x));
      expectClose(r.predOriginal, denoised, 1e-4);
      const d = lin(1 / sg, x, -1 / sg, denoised);
      expectClose(r.prevSample, lin(1, x, sgNext - sg, d), 1e-3);
    }
  });

  // ε-prediction on the cosine schedule divides by √ᾱ_999 ≈ 5e-5 (float32 noise ≈ 4e-3), so ε uses SD's betas.
  it.each([
    ['epsilon', { ...SD, timestepSpacing: 'trailing', stepsOffset: 0 }],
    ['v_prediction', KINETO],
  ] as const)('DPM-Solver++(2M): DDIM first step, 2M middle, first-order last (%s)', (type, base) => {
    const c = { ...base, predictionType: type };
    const ac = refAlphaBar(c);
    const s = createScheduler('dpm-solver++', c, 4); // trailing: [999, 749, 499, 249]
    expect([...s.timesteps]).toEqual([999, 749, 499, 249]);
    const lvl = (t: number) => ({ al: Math.sqrt(ac[t]!), sg: Math.sqrt(1 - ac[t]!), lam: Math.log(Math.sqrt(ac[t]!) / Math.sqrt(1 - ac[t]!)) });
    const toX0 = (t: number, x: ArrayLike<number>, m: ArrayLike<number>) => {
      const { al, sg } = lvl(t);
      return type === 'epsilon' ? lin(1 / al, x, -sg / al, m) : lin(al, x, -sg, m);
    };
    // Step 0: x̃ = (σ_t/σ_s)·x − α_t·(e^{−h} − 1)·x_θ
    const [s0, s1, s2] = [lvl(999), lvl(749), lvl(499)];
    const m0 = toX0(999, X, M);
    const h1 = s1.lam - s0.lam;
    const r0 = s.step(M, 0, X);
    expectClose(r0.predOriginal, m0, 1e-3);
    expectClose(r0.prevSample, lin(s1.sg / s0.sg, X, -s1.al * (Math.exp(-h1) - 1), m0), 1e-4);
    // Step 1: r = h_{i−1}/h_i, D = (1 + 1/2r)·x_θ(i−1) − (1/2r)·x_θ(i−2)
    const x1 = r0.prevSample;
    const m1 = toX0(749, x1, M2);
    const h2 = s2.lam - s1.lam;
    const r = h1 / h2;
    const dd = lin(1 + 1 / (2 * r), m1, -1 / (2 * r), m0);
    const r1 = s.step(M2, 1, x1);
    expectClose(r1.prevSample, lin(s2.sg / s1.sg, x1, -s2.al * (Math.exp(-h2) - 1), dd), 1e-4);
    // The first-order update would differ: the 2M term is really used.
    const firstOrder = lin(s2.sg / s1.sg, x1, -s2.al * (Math.exp(-h2) - 1), m1);
    expect(Math.max(...r1.prevSample.map((v, i) => Math.abs(v - firstOrder[i]!)))).toBeGreaterThan(1e-3);
    // Step 2, then the last step lands on σ = 0: first order, returns x_θ exactly.
    const r2 = s.step(M, 2, r1.prevSample);
    const r3 = s.step(M2, 3, r2.prevSample);
    expectClose(r3.prevSample, toX0(249, r2.prevSample, M2), 1e-4);
    expectClose(r3.prevSample, r3.predOriginal, 1e-6);
  });

  it('DPM-Solver++: the last step is first order at 20 steps too (final σ = 0)', () => {
    const s = createScheduler('dpm-solver++', SD, 20);
    let x = X;
    let last = s.step(M, 0, x);
    for (let i = 1; i < 20; i++) {
      x = last.prevSample;
      last = s.step(i % 2 ? M2 : M, i, x);
    }
    expectClose(last.prevSample, last.predOriginal, 1e-6);
    expect(Number.isFinite(last.prevSample[0]!)).toBe(true);
  });

  it.each(['epsilon', 'v_prediction'] as const)('LCM: boundary scalings and re-noising (%s)', (type) => {
    const c = { ...SD, predictionType: type };
    const ac = refAlphaBar(c);
    const s = createScheduler('lcm', c, 4); // [999, 759, 499, 259]
    const z = gaussian(9)(D);
    const noise = (n: number) => {
      expect(n).toBe(D);
      return z;
    };
    const a = ac[999]!;
    const x0 = type === 'epsilon' ? lin(1 / Math.sqrt(a), X, -Math.sqrt(1 - a) / Math.sqrt(a), M) : lin(Math.sqrt(a), X, -Math.sqrt(1 - a), M);
    const st = 999 * 10;
    const cSkip = 0.25 / (st * st + 0.25);
    const cOut = st / Math.sqrt(st * st + 0.25);
    const denoised = lin(cOut, x0, cSkip, X);
    const r = s.step(M, 0, X, noise);
    expectClose(r.predOriginal, denoised, 1e-4);
    const aNext = ac[759]!;
    expectClose(r.prevSample, lin(Math.sqrt(aNext), denoised, Math.sqrt(1 - aNext), z), 1e-4);
  });

  it('LCM c_skip is not negligible at small timesteps', () => {
    const c = { ...SD, predictionType: 'sample' as const };
    const s = createLcmScheduler(c, 1000, { originalInferenceSteps: 1000 });
    expect(s.timesteps.at(-1)).toBe(0);
    const noise = () => new Float32Array(D);
    let x = X;
    for (let i = 0; i < 998; i++) x = s.step(M, i, x, noise).prevSample;
    const r = s.step(M, 998, x, noise); // t = 1: scaled 10
    const cSkip = 0.25 / (100 + 0.25);
    const cOut = 10 / Math.sqrt(100.25);
    expectClose(r.predOriginal, lin(cOut, M, cSkip, x), 1e-5);
    const last = s.step(M, 999, r.prevSample); // t = 0: c_skip = 1, c_out = 0
    expectClose(last.prevSample, r.prevSample, 1e-6);
  });
});

describe('noise-free sanity: an exact model leads every sampler to x0', () => {
  /**
   * The exact model for a point-mass data distribution at X0: fit the model input as z = a·x0 + b·e (e = the noise in
   * the sample: EPS, or the last noise LCM injected) and answer ε = e, v = a·e − b·x0, or x0. a² + b² = 1 checks that
   * the model sees a variance-preserving sample (for Euler: that scaleModelInput divides by √(σ² + 1)).
   */
  function exactModel(z: Float32Array, e: Float32Array, type: PredictionType): Float32Array {
    let [xx, xe, ee, xz, ez] = [0, 0, 0, 0, 0];
    for (let i = 0; i < D; i++) {
      xx += X0[i]! * X0[i]!; xe += X0[i]! * e[i]!; ee += e[i]! * e[i]!; xz += X0[i]! * z[i]!; ez += e[i]! * z[i]!;
    }
    const det = xx * ee - xe * xe;
    const a = (xz * ee - ez * xe) / det;
    const b = (ez * xx - xz * xe) / det;
    expect(a * a + b * b).toBeCloseTo(1, 3);
    if (type === 'epsilon') return e.slice();
    if (type === 'sample') return X0.slice();
    return Float32Array.from(lin(a, e, -b, X0));
  }

  const cases: [string, SchedulerConfig][] = [
    ['SD eps leading+1', SD],
    ['SD v trailing', { ...SD, predictionType: 'v_prediction', timestepSpacing: 'trailing', stepsOffset: 0 }],
    ['SD eps linspace', { ...SD, timestepSpacing: 'linspace', stepsOffset: 0 }],
    ['Kineto cosine v trailing', KINETO],
    ['cosine v linspace', { ...KINETO, timestepSpacing: 'linspace' }],
    ['cosine v leading+1', { ...KINETO, timestepSpacing: 'leading', stepsOffset: 1 }],
    ['cosine sample trailing', { ...KINETO, predictionType: 'sample' }],
    ['DDPM linear eps linspace', DDPM],
    ['DDPM linear v leading', { ...DDPM, predictionType: 'v_prediction', timestepSpacing: 'leading' }],
  ];

  it.each(cases)('%s', (_, base) => {
    const c = { ...base, setAlphaToOne: true };
    const ac = refAlphaBar(c);
    for (const kind of SCHEDULER_KINDS) {
      for (const steps of [1, 4, 7, 25]) {
        const s = createScheduler(kind, c, steps);
        let e = EPS;
        const noise = gaussian(100 + steps);
        const injected = (n: number) => (e = noise(n));
        let x: Float32Array;
        if (kind === 'euler' || kind === 'euler-karras') {
          const sigma0 = refEuler(c, steps, kind === 'euler-karras').sigmas[0]!;
          x = Float32Array.from(lin(1, X0, sigma0, EPS));
        } else {
          const a = ac[s.timesteps[0]!]!;
          x = Float32Array.from(lin(Math.sqrt(a), X0, Math.sqrt(1 - a), EPS));
        }
        for (let i = 0; i < s.timesteps.length; i++) {
          const out = exactModel(s.scaleModelInput(x, i), e, c.predictionType);
          x = s.step(out, i, x, injected).prevSample;
        }
        expectClose(x, X0, 1e-4);
      }
    }
  });
});

describe('contract', () => {
  it('steps must come in order, once each', () => {
    for (const kind of SCHEDULER_KINDS) {
      const s = createScheduler(kind, SD, 3);
      const noise = gaussian(7);
      expect(() => s.step(M, 1, X, noise)).toThrow(/order/);
      s.step(M, 0, X, noise);
      expect(() => s.step(M, 0, X, noise)).toThrow(/order/);
      expect(() => s.step(M, 2, X, noise)).toThrow(/order/);
      s.step(M, 1, X, noise);
      s.step(M, 2, X, noise);
      expect(() => s.step(M, 3, X, noise)).toThrow(RangeError);
      expect(() => s.scaleModelInput(X, 3)).toThrow(RangeError);
      expect(() => s.scaleModelInput(X, -1)).toThrow(RangeError);
    }
  });

  it('inputs are never mutated and outputs are fresh arrays', () => {
    for (const kind of SCHEDULER_KINDS) {
      const s = createScheduler(kind, KINETO, 2);
      const [x, m] = [X.slice(), M.slice()];
      const scaled = s.scaleModelInput(x, 0);
      expect(scaled).not.toBe(x);
      const r = s.step(m, 0, x, gaussian(3));
      expect(x).toEqual(X);
      expect(m).toEqual(M);
      expect(r.prevSample).not.toBe(x);
      expect(r.prevSample).not.toBe(r.predOriginal);
    }
  });

  it('rejects mismatched model output', () => {
    for (const kind of SCHEDULER_KINDS) expect(() => createScheduler(kind, SD, 2).step(M.subarray(1), 0, X, gaussian(1))).toThrow(RangeError);
  });

  it('LCM is deterministic given the noise source and needs one', () => {
    const run = (seed: number) => {
      const s = createScheduler('lcm', SD, 4);
      const noise = gaussian(seed);
      let x = X;
      for (let i = 0; i < 4; i++) x = s.step(M, i, x, noise).prevSample;
      return x;
    };
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
    expect(() => createScheduler('lcm', SD, 4).step(M, 0, X)).toThrow(TypeError);
    const single = createScheduler('lcm', SD, 1);
    expect(() => single.step(M, 0, X)).not.toThrow(); // the last step injects no noise
  });

  it('DDIM, Euler and DPM-Solver++ ignore the noise source (deterministic ODE samplers)', () => {
    for (const kind of ['ddim', 'euler', 'euler-karras', 'dpm-solver++'] as const) {
      const a = createScheduler(kind, SD, 3).step(M, 0, X, gaussian(1)).prevSample;
      const b = createScheduler(kind, SD, 3).step(M, 0, X).prevSample;
      expect(a).toEqual(b);
    }
  });

  it('factory returns the requested kind and every kind has a label', () => {
    for (const kind of SCHEDULER_KINDS) {
      expect(createScheduler(kind, SD, 4).kind).toBe(kind);
      expect(SCHEDULER_LABELS[kind].length).toBeGreaterThan(0);
    }
    expect(SCHEDULER_LABELS['euler-karras']).toBe('Euler (Karras σ)');
    expect(SCHEDULER_LABELS['dpm-solver++']).toBe('DPM-Solver++ 2M');
    expect(createScheduler('ddim', SD, 4).initNoiseSigma).toBe(1);
    expect(createScheduler('dpm-solver++', SD, 4).initNoiseSigma).toBe(1);
    expect(createScheduler('lcm', SD, 4).initNoiseSigma).toBe(1);
  });
});

describe('firstStep: sampling resumes mid-schedule', () => {
  const TRAILING: SchedulerConfig = { ...SD, timestepSpacing: 'trailing' };
  const x = Float32Array.from({ length: 8 }, (_, i) => Math.sin(i + 1));
  const eps = Float32Array.from({ length: 8 }, (_, i) => Math.cos(i * 2));

  it('takes steps from firstStep on, in order, and refuses earlier ones', () => {
    for (const kind of SCHEDULER_KINDS) {
      const s = createScheduler(kind, TRAILING, 5, { firstStep: 2 });
      expect(() => s.step(eps, 0, x, () => new Float32Array(8))).toThrow(/expected step 2/);
      s.step(eps, 2, x, () => new Float32Array(8));
      s.step(eps, 3, x, () => new Float32Array(8));
      expect(() => createScheduler(kind, TRAILING, 5, { firstStep: 5 })).toThrow(RangeError);
    }
  });

  it('gives the same step as a full run at that index (one-step samplers)', () => {
    for (const kind of ['ddim', 'euler'] as const) {
      const full = createScheduler(kind, TRAILING, 4);
      full.step(eps, 0, x);
      const fromFull = full.step(eps, 1, x).prevSample;
      const resumed = createScheduler(kind, TRAILING, 4, { firstStep: 1 }).step(eps, 1, x).prevSample;
      expect(Array.from(resumed)).toEqual(Array.from(fromFull));
    }
  });

  it('starts DPM-Solver++ without history, i.e. first order (= DDIM on the same timesteps)', () => {
    const dpm = createScheduler('dpm-solver++', TRAILING, 5, { firstStep: 2 }).step(eps, 2, x).prevSample;
    const ddim = createScheduler('ddim', TRAILING, 5, { firstStep: 2 }).step(eps, 2, x).prevSample;
    for (let i = 0; i < 8; i++) expect(dpm[i]).toBeCloseTo(ddim[i]!, 5);
  });
});
