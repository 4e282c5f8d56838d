import { describe, expect, it } from 'vitest';
import { feeCurveOf, JAN_2026_CRYPTO, makerRebateUsdc, takerFeePerShare, takerFeeUsdc } from '../../src/quant/index.js';

const late2026 = feeCurveOf({ rate: 0.072, exponent: 1, takerOnly: true, rebateRate: 0.2 });

describe('fees', () => {
  it('January 2026 curve peaks at 1.5625 % of notional at p = 0.5', () => {
    expect(takerFeeUsdc(100, 0.5, JAN_2026_CRYPTO) / (100 * 0.5)).toBeCloseTo(0.015625, 12);
    expect(takerFeeUsdc(100, 0.3, JAN_2026_CRYPTO) / 30).toBeLessThan(0.015625);
    expect(takerFeeUsdc(100, 0.7, JAN_2026_CRYPTO) / 70).toBeLessThan(0.015625);
  });

  it.each([
    [0.5, 100, 1.8],
    [0.1, 100, 0.648],
    [0.9, 100, 0.648],
    [0.01, 100, 0.07128],
  ])('schedule rate 0.072 exponent 1: p=%d, %d shares -> %d USDC', (p, shares, fee) => {
    expect(takerFeeUsdc(shares, p, late2026)).toBeCloseTo(fee, 10);
  });

  it('is symmetric for the schedule form and zero at the edges', () => {
    expect(takerFeePerShare(0.2, late2026)).toBeCloseTo(takerFeePerShare(0.8, late2026), 12);
    for (const p of [0, 1, -0.1, 1.5, NaN]) expect(takerFeePerShare(p, late2026)).toBe(0);
    expect(takerFeeUsdc(-5, 0.5, late2026)).toBe(0);
  });

  it('exponent shapes the curve', () => {
    const e2 = feeCurveOf({ rate: 0.25, exponent: 2, takerOnly: true, rebateRate: 0 });
    expect(takerFeePerShare(0.5, e2)).toBeCloseTo(0.25 * 0.0625, 12);
  });

  it('maker rebate is the rebate share of the taker fee', () => {
    expect(makerRebateUsdc(100, 0.5, late2026, 0.2)).toBeCloseTo(0.36, 12);
    expect(makerRebateUsdc(100, 0.5, late2026, 2)).toBeCloseTo(1.8, 12);
  });
});
