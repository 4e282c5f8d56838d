import { describe, expect, it } from 'vitest';
import type { Fill } from '../../src/domain/index.js';
import { EMPTY_INVENTORY } from '../../src/domain/index.js';
import {
  applyFill,
  applyMerge,
  applySkew,
  avgCost,
  buildLadder,
  markToMarket,
  pairedShares,
  skewLevel,
  unpairedShares,
} from '../../src/quant/index.js';

const base = { tick: 0.01, levels: 3, baseSize: 10, sizeStep: 5, spacingTicks: 1, minSize: 5, sizeScalar: 1 };

describe('buildLadder', () => {
  it('improves the best bid by a tick under the cap', () => {
    expect(buildLadder({ ...base, bestBid: 0.4, bestAsk: 0.45, cap: 0.48 })).toEqual([
      { level: 0, price: 0.41, size: 10 },
      { level: 1, price: 0.4, size: 15 },
      { level: 2, price: 0.39, size: 20 },
    ]);
  });

  it('is capped by the model and never crosses the ask', () => {
    expect(buildLadder({ ...base, bestBid: 0.4, bestAsk: 0.45, cap: 0.38 })[0]!.price).toBe(0.38);
    expect(buildLadder({ ...base, bestBid: 0.44, bestAsk: 0.45, cap: 0.6 })[0]!.price).toBe(0.44);
    expect(buildLadder({ ...base, bestBid: undefined, bestAsk: 0.02, cap: 0.6 }).map((l) => l.price)).toEqual([0.01]);
    expect(buildLadder({ ...base, bestBid: 0.01, bestAsk: 0.01, cap: 0.6 })).toEqual([]);
  });

  it('scales sizes but never below the minimum, and quotes nothing at scalar 0', () => {
    expect(
      buildLadder({ ...base, bestBid: 0.4, bestAsk: 0.5, cap: 0.48, sizeScalar: 0.25 }).map((l) => l.size),
    ).toEqual([5, 5, 5]);
    expect(buildLadder({ ...base, bestBid: 0.4, bestAsk: 0.5, cap: 0.48, sizeScalar: 0 })).toEqual([]);
  });

  it('stops at the bottom of the grid and spaces levels', () => {
    expect(buildLadder({ ...base, bestBid: 0.01, bestAsk: 0.05, cap: 0.02, levels: 5 }).map((l) => l.price)).toEqual([
      0.02, 0.01,
    ]);
    expect(buildLadder({ ...base, bestBid: 0.3, bestAsk: 0.5, cap: 0.9, spacingTicks: 2 }).map((l) => l.price)).toEqual(
      [0.31, 0.29, 0.27],
    );
  });
});

describe('skew', () => {
  const sk = { mildShares: 20, moderateShares: 50, severeShares: 100, mildSizeScalar: 0.5, moderateSizeScalar: 0.5 };
  const ladder = [
    { level: 0, price: 0.45, size: 20 },
    { level: 1, price: 0.44, size: 12 },
  ];
  it.each([
    [0, 'none'],
    [19, 'none'],
    [-20, 'mild'],
    [50, 'moderate'],
    [100, 'severe'],
  ])('unpaired %d is %s', (u, level) => expect(skewLevel(u, sk)).toBe(level));

  it('shrinks the excess side, drops its level 0, then all of it', () => {
    expect(applySkew(ladder, ladder, 25, sk, 5).up).toEqual([
      { level: 0, price: 0.45, size: 10 },
      { level: 1, price: 0.44, size: 6 },
    ]);
    expect(applySkew(ladder, ladder, -25, sk, 10).down).toEqual([{ level: 0, price: 0.45, size: 10 }]);
    expect(applySkew(ladder, ladder, 60, sk, 5).up).toEqual([{ level: 1, price: 0.44, size: 6 }]);
    const severe = applySkew(ladder, ladder, -150, sk, 5);
    expect(severe).toEqual({ up: ladder, down: [], skew: 'severe' });
  });
});

describe('inventory', () => {
  const fill = (outcome: 'up' | 'down', side: 'BUY' | 'SELL', size: number, price: number): Fill => ({
    tradeId: 't',
    orderId: 'o',
    conditionId: 'c',
    tokenId: outcome,
    outcome,
    side,
    price,
    size,
    role: 'MAKER',
    feeRateBps: 0,
    status: 'MATCHED',
    tsMs: 7,
  });
  it('tracks shares, cost, pairing and reversals', () => {
    let inv = applyFill(EMPTY_INVENTORY, fill('up', 'BUY', 10, 0.4), false);
    inv = applyFill(inv, fill('up', 'BUY', 10, 0.5), false);
    inv = applyFill(inv, fill('down', 'BUY', 5, 0.45), false);
    expect(avgCost(inv.up)).toBeCloseTo(0.45, 12);
    expect(unpairedShares(inv)).toBe(15);
    expect(pairedShares(inv)).toBe(5);
    expect(markToMarket(inv, 0.5, 0.5)).toBeCloseTo(12.5 - 9 - 2.25, 12);
    const undone = applyFill(inv, fill('down', 'BUY', 5, 0.45), true);
    expect(undone.down).toEqual({ shares: 0, notional: 0 });
    const sold = applyFill(inv, fill('up', 'SELL', 4, 0.9), false);
    expect(sold.up.shares).toBe(16);
    expect(avgCost(sold.up)).toBeCloseTo(0.45, 12);
    const merged = applyMerge(inv, 100);
    expect(merged.up.shares).toBe(15);
    expect(merged.down.shares).toBe(0);
    expect(inv.lastTradeMs).toBe(7);
    expect(applyFill(inv, { ...fill('up', 'BUY', 1, 0.1), outcome: undefined }, false)).toBe(inv);
  });
});
