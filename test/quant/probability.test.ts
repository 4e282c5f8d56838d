import { describe, expect, it } from 'vitest';
import { qUp } from '../../src/quant/index.js';

describe('qUp', () => {
  it('is one half at the start price with no drift', () => {
    expect(qUp(100_000, 100_000, 600, 0, 1e-7)).toBeCloseTo(0.5, 12);
  });

  it('is monotone in the current price', () => {
    let last = 0;
    for (let st = 99_000; st <= 101_000; st += 50) {
      const q = qUp(100_000, st, 300, 0, 1e-8);
      expect(q).toBeGreaterThanOrEqual(last);
      last = q;
    }
    expect(qUp(100_000, 100_500, 300, 0, 1e-8)).toBeGreaterThan(0.5);
  });

  it('settles to 0 or 1 at the end with ties going Up', () => {
    expect(qUp(100, 100, 0, 0, 1e-6)).toBe(1);
    expect(qUp(100, 100.01, 0, 0, 1e-6)).toBe(1);
    expect(qUp(100, 99.99, 0, 0, 1e-6)).toBe(0);
    expect(qUp(100, 99.99, -5, 0, 1e-6)).toBe(0);
    expect(qUp(100, 100.5, 1e-9, 0, 1e-8)).toBeCloseTo(1, 9);
  });

  it('tends to one half for huge variance', () => {
    expect(qUp(100, 101, 600, 0, 1e3)).toBeCloseTo(0.5, 2);
  });

  it('drift moves the probability', () => {
    expect(qUp(100, 100, 600, 1e-5, 1e-8)).toBeGreaterThan(0.5);
    expect(qUp(100, 100, 600, -1e-5, 1e-8)).toBeLessThan(0.5);
  });

  it.each([
    [NaN, 100, 10, 0, 1e-6],
    [100, NaN, 10, 0, 1e-6],
    [0, 100, 10, 0, 1e-6],
    [100, 100, NaN, 0, 1e-6],
    [100, 100, 10, NaN, NaN],
    [100, 100, Infinity, 0, 1e-6],
    [100, 101, 10, 0, 0],
    [100, 100, 10, Infinity, -1],
  ])('never NaN: qUp(%d, %d, %d, %d, %d)', (...args) => {
    const q = qUp(...(args as [number, number, number, number, number]));
    expect(Number.isNaN(q)).toBe(false);
    expect(q).toBeGreaterThanOrEqual(0);
    expect(q).toBeLessThanOrEqual(1);
  });
});
