import { describe, expect, it } from 'vitest';
import { ewmaInit, ewmaUpdate, type EwmaState } from '../../src/quant/index.js';

describe('ewma', () => {
  it('needs two prices before it has a return, and starts from the prior, not from the first return', () => {
    const s = ewmaUpdate(ewmaInit(), 100, 0, 60, 8e-9);
    expect(s).toMatchObject({ samples: 0, varPerS: 0, lastPrice: 100 });
    const s2 = ewmaUpdate(s, 101, 1000, 60, 8e-9);
    const r = Math.log(1.01);
    const w = 1 - Math.pow(2, -1 / 60);
    expect(s2.samples).toBe(1);
    expect(s2.varPerS).toBeCloseTo(8e-9 + w * (r * r - 8e-9), 15);
    expect(s2.driftPerS).toBeCloseTo(w * r, 15);
    // One squared return no longer is the estimate (it used to be, and the drift was the return).
    expect(s2.varPerS).toBeLessThan((r * r) / 10);
  });

  it('a flat start keeps the variance near the prior and the drift near zero', () => {
    let s = ewmaUpdate(ewmaInit(), 100_000, 0, 60, 8e-9);
    s = ewmaUpdate(s, 100_010, 1000, 60, 8e-9); // a 1 bp first second
    for (let k = 2; k <= 20; k++) s = ewmaUpdate(s, k % 2 ? 100_012 : 100_008, k * 1000, 60, 8e-9);
    expect(s.varPerS).toBeGreaterThan(4e-9);
    expect(s.varPerS).toBeLessThan(1.6e-8);
    expect(Math.abs(s.driftPerS)).toBeLessThan(1e-5);
  });

  it('weights by elapsed time, not by the number of updates', () => {
    const seed = [ewmaInit()].map((s) => ewmaUpdate(ewmaUpdate(s, 100, 0, 10), 100.1, 1000, 10))[0]!;
    // A quiet period: flat prices. Ten 1 s updates vs one 10 s update decay the variance alike.
    let many = seed;
    for (let k = 2; k <= 11; k++) many = ewmaUpdate(many, 100.1, k * 1000, 10);
    const one = ewmaUpdate(seed, 100.1, 11_000, 10);
    expect(many.varPerS).toBeCloseTo(one.varPerS, 12);
    // One half-life of flat prices halves the variance.
    expect(one.varPerS / seed.varPerS).toBeCloseTo(0.5, 12);
  });

  it('ignores and counts duplicates, out-of-order and invalid prices', () => {
    let s = ewmaUpdate(ewmaUpdate(ewmaInit(), 100, 1000, 60), 101, 2000, 60);
    const before = s;
    s = ewmaUpdate(s, 105, 2000, 60); // duplicate timestamp
    s = ewmaUpdate(s, 99, 1500, 60); // out of order
    s = ewmaUpdate(s, NaN, 3000, 60);
    s = ewmaUpdate(s, -1, 3000, 60);
    expect(s.ignored).toBe(4);
    expect({ ...s, ignored: 0 }).toEqual({ ...before, ignored: 0 });
  });
});

describe('ewma with jumps split off (alpha.jumpClipSd)', () => {
  const JUMPS = { clipSd: 4, halfLifeS: 1_800 };
  /** A seeded normal draw (Box-Muller over a small LCG), so the paths are the same on every run. */
  function normals(seed: number): () => number {
    let x = seed >>> 0;
    const u = (): number => {
      x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0;
      return (x + 0.5) / 4_294_967_296;
    };
    return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  }
  /** One-second prices: diffusion at `varPerS`, and a jump of `jumpSd` every `jumpEveryS` seconds on average. */
  function path(seconds: number, varPerS: number, jumpSd: number, jumpEveryS: number, seed: number): number[] {
    const n = normals(seed);
    const out = [100_000];
    for (let k = 1; k <= seconds; k++) {
      let r = Math.sqrt(varPerS) * n();
      if (jumpEveryS > 0 && (n() + 10) % 1 < 1 / jumpEveryS) r += jumpSd * n();
      out.push(out[k - 1]! * Math.exp(r));
    }
    return out;
  }
  const fold = (prices: readonly number[], jumps?: typeof JUMPS): EwmaState[] => {
    let s = ewmaInit();
    const out: EwmaState[] = [];
    prices.forEach((p, k) => {
      s = ewmaUpdate(s, p, k * 1000, 60, 8e-9, jumps);
      out.push(s);
    });
    return out;
  };

  it('one 0.75 % jump no longer multiplies the volatility for minutes', () => {
    const prices = path(600, 6.4e-9, 0, 0, 1);
    for (let k = 300; k < prices.length; k++) prices[k] = prices[k]! * 1.0075;
    const plain = fold(prices);
    const split = fold(prices, JUMPS);
    const volRatio = (xs: EwmaState[], k: number): number => Math.sqrt(xs[k]!.varPerS / 6.4e-9);
    expect(volRatio(plain, 301)).toBeGreaterThan(5);
    expect(volRatio(split, 301)).toBeLessThan(2.5);
    expect(volRatio(split, 360)).toBeLessThan(2.5);
    expect(volRatio(plain, 360)).toBeGreaterThan(3.5);
    // What the clip cut off is not lost: it is the jump part, added back.
    expect(split[301]!.jumpVarPerS).toBeGreaterThan(0);
    expect(split[301]!.varPerS).toBeCloseTo(split[301]!.diffVarPerS + split[301]!.jumpVarPerS, 20);
  });

  it('with frequent jumps, still prices their variance on average, and more steadily', () => {
    // jumpy-like: diffusion 1.5e-8/s, a 0.4 % jump every 45 s on average (3.6e-7/s): jumps are ~96 %.
    const prices = path(6 * 3600, 1.5e-8, 0.004, 45, 7);
    const truth = 1.5e-8 + 0.004 ** 2 / 45;
    const after = (xs: EwmaState[]): number[] => xs.slice(3600).map((s) => s.varPerS);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const sdLog = (xs: number[]): number => {
      const m = mean(xs.map(Math.log));
      return Math.sqrt(mean(xs.map((x) => (Math.log(x) - m) ** 2)));
    };
    const plain = after(fold(prices));
    const split = after(fold(prices, JUMPS));
    expect(mean(split) / truth).toBeGreaterThan(0.6);
    expect(mean(split) / truth).toBeLessThan(1.5);
    expect(sdLog(split)).toBeLessThan(sdLog(plain) / 2);
  });

  it('without a clip, is the plain EWMA', () => {
    const prices = path(300, 6.4e-9, 0.003, 30, 3);
    const plain = fold(prices);
    const off = fold(prices, { clipSd: 0, halfLifeS: 1_800 });
    expect(off.map((s) => s.varPerS)).toEqual(plain.map((s) => s.varPerS));
  });
});
