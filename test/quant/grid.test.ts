import { describe, expect, it } from 'vitest';
import {
  clampPrice,
  enforceCombinedCap,
  isOnGrid,
  modelCaps,
  roundAskUp,
  roundBidDown,
  roundSize,
  tickDecimals,
} from '../../src/quant/index.js';

describe('tick rounding', () => {
  it.each([
    [0.29, 0.01, 0.29, 0.29],
    [0.291, 0.01, 0.29, 0.3],
    [0.2999999999, 0.01, 0.29, 0.3],
    [0.58 * 0.5 * 2, 0.01, 0.58, 0.58],
    [0.1 + 0.2, 0.01, 0.3, 0.3],
    [0.005, 0.01, 0.01, 0.01],
    [0, 0.01, 0.01, 0.01],
    [1, 0.01, 0.99, 0.99],
    [0.995, 0.01, 0.99, 0.99],
    [0.5555, 0.001, 0.555, 0.556],
    [0.37, 0.1, 0.3, 0.4],
  ])('%d on %d: bid %d, ask %d', (price, tick, bid, ask) => {
    expect(roundBidDown(price, tick)).toBe(bid);
    expect(roundAskUp(price, tick)).toBe(ask);
    expect(isOnGrid(bid, tick)).toBe(true);
  });

  it('clamps and knows decimals', () => {
    expect(clampPrice(1.2, 0.01)).toBe(0.99);
    expect(clampPrice(-3, 0.01)).toBe(0.01);
    expect(tickDecimals(0.001)).toBe(3);
    expect(tickDecimals(0.01)).toBe(2);
    expect(isOnGrid(0.295, 0.01)).toBe(false);
    expect(isOnGrid(1, 0.01)).toBe(false);
  });

  it.each([
    [5.129, 5.12],
    [4.999, 4.99],
    [0.1 * 3, 0.3],
    [-1, 0],
    [NaN, 0],
  ])('roundSize(%d) = %d', (size, expected) => expect(roundSize(size)).toBe(expected));
});

describe('caps', () => {
  it('leaves room for the edge and keeps the sum within the target', () => {
    expect(modelCaps(0.5, 0.02, 0.98, 0.01)).toEqual({ capUp: 0.48, capDown: 0.48 });
    const c = modelCaps(0.7, 0.01, 0.96, 0.01);
    expect(c.capUp + c.capDown).toBeLessThanOrEqual(0.96 + 1e-9);
    expect(c.capUp).toBeGreaterThan(c.capDown);
  });

  it('enforces the combined cap on the grid', () => {
    const r = enforceCombinedCap(0.6, 0.45, 0.97, 0.01);
    expect(r.pUp + r.pDown).toBeLessThanOrEqual(0.97 + 1e-9);
    expect(isOnGrid(r.pUp, 0.01) && isOnGrid(r.pDown, 0.01)).toBe(true);
    expect(enforceCombinedCap(0.4, 0.4, 0.97, 0.01)).toEqual({ pUp: 0.4, pDown: 0.4 });
    const q = enforceCombinedCap(0.99, 0.99, 0.955, 0.01);
    expect(q.pUp + q.pDown).toBeLessThanOrEqual(0.955);
  });

  it('never leaves the price range for extreme probabilities', () => {
    for (const q of [0, 1, 0.999, NaN]) {
      const c = modelCaps(q, 0.02, 0.98, 0.01);
      for (const x of [c.capUp, c.capDown]) expect(x >= 0.01 && x <= 0.99).toBe(true);
    }
  });
});
