import { describe, expect, it } from 'vitest';
import { ewmaInit, ewmaUpdate } from '../../src/quant/index.js';

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
