import { describe, expect, it } from 'vitest';
import { ewmaInit, ewmaUpdate } from '../../src/quant/index.js';

describe('ewma', () => {
  it('needs two prices before it has a return', () => {
    const s = ewmaUpdate(ewmaInit(), 100, 0, 60);
    expect(s).toMatchObject({ samples: 0, varPerS: 0, lastPrice: 100 });
    const s2 = ewmaUpdate(s, 101, 1000, 60);
    const r = Math.log(1.01);
    expect(s2.samples).toBe(1);
    expect(s2.varPerS).toBeCloseTo(r * r, 15);
    expect(s2.driftPerS).toBeCloseTo(r, 15);
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
