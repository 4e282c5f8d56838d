// The TWAP settlement model: the average itself, properties of q_up, and a Monte-Carlo
// calibration against simulated paths settled exactly as the venue settles them.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  firstAfter,
  firstAtOrAfter,
  qUp,
  qUpTwap,
  twapOf,
  type PricePoint,
  type TwapQuery,
} from '../../src/quant/index.js';
import { createRng } from '@polymm/venue';

const pts = (...xs: [number, number][]) => xs.map(([tsMs, price]) => ({ tsMs, price }));

describe('twapOf', () => {
  it('averages the ticks of (end - window, end], each over the span since the tick before', () => {
    const ticks = pts([0, 1], [1000, 10], [2000, 20], [3000, 30], [4000, 40]);
    expect(twapOf(ticks, 3000, 2000)).toBe(25); // ticks at 2000 and 3000, 1 s each
    expect(twapOf(ticks, 4000, 4000)).toBe(25); // 10, 20, 30, 40
  });

  it('weighs a tick that absorbed a gap over the whole gap, and ignores ticks after the end', () => {
    const ticks = pts([0, 100], [1000, 100], [4000, 200], [5000, 100], [9000, 1e9]);
    // window (0, 5000]: 100 over 1 s, 200 over 3 s, 100 over 1 s
    expect(twapOf(ticks, 5000, 5000)).toBeCloseTo((100 + 600 + 100) / 5, 9);
  });

  it('is undefined with no tick in the window', () => {
    expect(twapOf(pts([0, 1]), 5000, 1000)).toBeUndefined();
    expect(twapOf([], 5000, 1000)).toBeUndefined();
  });
});

const base: TwapQuery = { s0: 100_000, spot: 100_000, tauS: 300, lookbackS: 60, muPerS: 0, varPerS: 1e-8 };
const tauArb = fc.double({ min: 0, max: 900, noNaN: true });
const spotArb = fc.double({ min: 99_000, max: 101_000, noNaN: true });

describe('qUpTwap properties', () => {
  it('stays in [0, 1] and is monotone in the spot price and in the known partial average', () => {
    fc.assert(
      fc.property(tauArb, spotArb, spotArb, fc.double({ min: 0, max: 200, noNaN: true }), (tauS, a, b, dAvg) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const known = 100_000 - 100 + dAvg;
        const q = (spot: number, knownAvg: number) => qUpTwap({ ...base, tauS, spot, knownAvg });
        expect(q(lo, known)).toBeGreaterThanOrEqual(0);
        expect(q(hi, known)).toBeLessThanOrEqual(1);
        expect(q(hi, known)).toBeGreaterThanOrEqual(q(lo, known));
        expect(q(lo, known + 10)).toBeGreaterThanOrEqual(q(lo, known));
      }),
    );
  });

  it('tends to 1{known average >= S0} as tau -> 0, ties going Up', () => {
    fc.assert(
      fc.property(spotArb, spotArb, (spot, knownAvg) => {
        const q = qUpTwap({ ...base, tauS: 1e-9, spot, knownAvg });
        expect(q).toBeCloseTo(knownAvg >= base.s0 ? 1 : 0, 6);
      }),
    );
    expect(qUpTwap({ ...base, tauS: 0, spot: 1, knownAvg: base.s0 })).toBe(1);
    expect(qUpTwap({ ...base, tauS: 0, spot: 1e9, knownAvg: base.s0 - 0.01 })).toBe(0);
  });

  it('is continuous where the averaging window begins', () => {
    for (const spot of [99_900, 100_000, 100_050]) {
      const before = qUpTwap({ ...base, spot, tauS: 60 });
      const inside = qUpTwap({ ...base, spot, knownAvg: spot, tauS: 60 - 1e-9 });
      expect(Math.abs(before - inside)).toBeLessThan(0.01);
    }
  });

  it('is less uncertain than the spot model late in the market (same distance from S0)', () => {
    const spot = 100_030;
    expect(qUpTwap({ ...base, spot, tauS: 120 })).toBeGreaterThan(qUp(base.s0, spot, 120, 0, base.varPerS));
    expect(qUpTwap({ ...base, spot, knownAvg: spot, tauS: 20 })).toBeGreaterThan(
      qUp(base.s0, spot, 20, 0, base.varPerS),
    );
  });

  it('falls back to one half on nonsense inputs', () => {
    expect(qUpTwap({ ...base, s0: Number.NaN })).toBe(0.5);
    expect(qUpTwap({ ...base, spot: -1 })).toBe(0.5);
    expect(qUpTwap({ ...base, lookbackS: 0 })).toBe(0.5);
  });
});

// ---- Monte-Carlo calibration ----
const W = 60;
const VAR = 1e-8;
const PATHS = 20_000;

interface Case {
  readonly q: number;
  readonly spotQ: number;
  readonly up: boolean;
}

/**
 * Paths of 1-second Chainlink-like ticks (log-normal increments of variance VAR per second)
 * ending at T; the outcome is twapOf(ticks, T, 60 s) >= S0, as the venue settles. The model is
 * asked at T - tauS with what a bot knows then: the spot and the window's observed part.
 */
function simulate(tauS: number, seed: number): Case[] {
  const rng = createRng(seed);
  const s0 = 100_000;
  const out: Case[] = [];
  const horizon = Math.max(tauS, W); // seconds simulated before T
  const sd = Math.sqrt(VAR);
  const ticks: { tsMs: number; price: number }[] = new Array(horizon + 1);
  for (let n = 0; n < PATHS; n++) {
    // Start far enough from S0 that predictions spread over (0, 1).
    let logP = Math.log(s0) + 0.0012 * rng.normal();
    let qCase = 0.5;
    let spotQ = 0.5;
    for (let k = 0; k <= horizon; k++) {
      if (k > 0) logP += sd * rng.normal();
      const tsMs = (k - horizon) * 1000; // T = 0
      ticks[k] = { tsMs, price: Math.exp(logP) };
      if (k === horizon - tauS) {
        const spot = ticks[k]!.price;
        const knownAvg = twapOf(ticks.slice(0, k + 1), tsMs, W * 1000);
        qCase = qUpTwap({
          s0,
          spot,
          tauS,
          lookbackS: W,
          muPerS: 0,
          varPerS: VAR,
          ...(knownAvg !== undefined && tauS < W ? { knownAvg } : {}),
        });
        spotQ = qUp(s0, spot, tauS, 0, VAR);
      }
    }
    const final = twapOf(ticks, 0, W * 1000)!;
    out.push({ q: qCase, spotQ, up: final >= s0 });
  }
  return out;
}

const brier = (cs: readonly Case[], f: (c: Case) => number): number =>
  cs.reduce((a, c) => a + (f(c) - (c.up ? 1 : 0)) ** 2, 0) / cs.length;

/** Buckets of predicted probability whose observed frequency leaves its 4-sigma binomial band. */
function miscalibrated(cs: readonly Case[], f: (c: Case) => number): string[] {
  const bad: string[] = [];
  for (let b = 0; b < 10; b++) {
    const inB = cs.filter((c) => Math.min(9, Math.floor(f(c) * 10)) === b);
    if (inB.length < 200) continue;
    const p = inB.reduce((a, c) => a + f(c), 0) / inB.length;
    const freq = inB.filter((c) => c.up).length / inB.length;
    const band = 4 * Math.sqrt(Math.max(p * (1 - p), 0.01) / inB.length);
    if (Math.abs(freq - p) > band)
      bad.push(`bucket ${b}: predicted ${p.toFixed(3)} observed ${freq.toFixed(3)} (n ${inB.length})`);
  }
  return bad;
}

describe('qUpTwap Monte-Carlo calibration (20,000 paths, seeded)', () => {
  it.each([
    ['before the averaging window', 240, 11],
    ['inside the averaging window', 30, 12],
  ])('%s (tau %i s): calibrated, and its Brier score beats the spot model', (_name, tauS, seed) => {
    const cases = simulate(tauS, seed);
    expect(cases.length).toBe(PATHS);
    expect(miscalibrated(cases, (c) => c.q)).toEqual([]);
    expect(brier(cases, (c) => c.q)).toBeLessThan(brier(cases, (c) => c.spotQ));
  });

  it('the same test catches a wrong model: the spot model is miscalibrated inside the window', () => {
    expect(miscalibrated(simulate(30, 12), (c) => c.spotQ).length).toBeGreaterThan(0);
  });
});

describe('searching sorted ticks', () => {
  // The definitions the binary searches replace: a scan of every tick.
  const scanTwap = (points: readonly PricePoint[], endMs: number, windowMs: number): number | undefined => {
    const fromMs = endMs - windowMs;
    const inWindow = points.filter((p) => p.tsMs > fromMs && p.tsMs <= endMs);
    let sum = 0;
    let weight = 0;
    let prevMs = fromMs;
    for (const p of inWindow) {
      sum += (p.tsMs - prevMs) * p.price;
      weight += p.tsMs - prevMs;
      prevMs = p.tsMs;
    }
    if (weight > 0) return sum / weight;
    return inWindow.length ? inWindow.reduce((a, p) => a + p.price, 0) / inWindow.length : undefined;
  };
  const sortedTicks = fc
    .array(fc.tuple(fc.integer({ min: 0, max: 5_000 }), fc.double({ min: 1, max: 1e5, noNaN: true })), {
      maxLength: 40,
    })
    .map((xs) => xs.map(([tsMs, price]) => ({ tsMs, price })).sort((a, b) => a.tsMs - b.tsMs));

  it('finds the first tick after / at or after a time as a scan does, and averages the same', () => {
    fc.assert(
      fc.property(
        sortedTicks,
        fc.integer({ min: -100, max: 5_100 }),
        fc.integer({ min: 0, max: 3_000 }),
        (ticks, ms, windowMs) => {
          const scanAfter = ticks.findIndex((t) => t.tsMs > ms);
          const scanAtOrAfter = ticks.findIndex((t) => t.tsMs >= ms);
          expect(firstAfter(ticks, ms)).toBe(scanAfter < 0 ? ticks.length : scanAfter);
          expect(firstAtOrAfter(ticks, ms)).toBe(scanAtOrAfter < 0 ? ticks.length : scanAtOrAfter);
          expect(twapOf(ticks, ms, windowMs)).toBe(scanTwap(ticks, ms, windowMs));
        },
      ),
      { numRuns: 2_000, seed: 20261201 },
    );
  });
});
