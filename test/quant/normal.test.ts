import { describe, expect, it } from 'vitest';
import { normalCdf } from '../../src/quant/index.js';

describe('normalCdf', () => {
  it.each([
    [0, 0.5],
    [1, 0.8413447460685429],
    [-1, 0.15865525393145707],
    [1.96, 0.9750021048517795],
    [-1.96, 0.024997895148220435],
    [3, 0.9986501019683699],
    [-3, 0.0013498980316301035],
    [5, 0.9999997133484281],
    [-5, 2.866515718791939e-7],
    [-8, 6.220960574271786e-16],
    [8, 1],
    [0.3, 0.6179114221889527],
  ])('Phi(%d) = %d to 1e-7', (x, expected) => {
    expect(Math.abs(normalCdf(x) - expected)).toBeLessThan(1e-7);
  });

  it('is accurate in relative terms deep in the tail', () => {
    expect(normalCdf(-8) / 6.220960574271786e-16).toBeCloseTo(1, 6);
  });

  it('handles non-finite input', () => {
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(NaN)).toBe(0.5);
  });

  it('is monotone', () => {
    let last = 0;
    for (let x = -10; x <= 10; x += 0.01) {
      const v = normalCdf(x);
      expect(v).toBeGreaterThanOrEqual(last);
      last = v;
    }
  });
});
