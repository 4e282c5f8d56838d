// The pair-cost cap (issue 12): the short side may pay at most target total − the excess side's average cost.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EMPTY_INVENTORY, type Inventory, type MarketIdentity } from '../../src/domain/index.js';
import { pairCostCaps, quoteCaps, quoteMarket } from '../../src/quant/index.js';
import { loadConfig } from '../../src/config/load.js';
import { classifyToxicity } from '../../src/quant/index.js';

const market: MarketIdentity = {
  slug: 'btc-updown-15m-1000',
  conditionId: '0xc',
  question: 'q',
  tokenUp: 'UP',
  tokenDown: 'DOWN',
  startMs: 1_000_000,
  endMs: 1_900_000,
  tickSize: 0.01,
  minSize: 5,
  negRisk: false,
  feesEnabled: true,
  feeSchedule: { rate: 0.072, exponent: 1, takerOnly: true, rebateRate: 0.2 },
  acceptingOrders: true,
  active: true,
  closed: false,
  resolutionSource: 'chainlink',
};
const cfg = loadConfig({});
const now = 1_300_000;
const normal = classifyToxicity(
  { nowMs: now, varPerS: 1e-8, chainlink: { price: 1e5, tsMs: now }, binance: { price: 1e5, tsMs: now } },
  cfg.alpha,
);
const params = {
  cutoffMs: cfg.cutoffMs,
  requiredEdge: cfg.alpha.requiredEdge,
  ladder: cfg.ladder,
  skew: cfg.skew,
  pairCostCap: true,
};
const holding = (up: [number, number], down: [number, number]): Inventory => ({
  ...EMPTY_INVENTORY,
  up: { shares: up[0], notional: up[0] * up[1] },
  down: { shares: down[0], notional: down[0] * down[1] },
});

describe('pairCostCaps', () => {
  it('caps the short side at target − the excess average cost, on the grid, 0 below a tick', () => {
    expect(pairCostCaps('up', 0.6, 0.98, 0.01)).toEqual({ capDown: 0.38 });
    expect(pairCostCaps('down', 0.333, 0.98, 0.01)).toEqual({ capUp: 0.64 });
    expect(pairCostCaps('up', 0.975, 0.98, 0.01)).toEqual({ capDown: 0 });
    expect(pairCostCaps(undefined, 0.6, 0.98, 0.01)).toEqual({});
  });

  it('property: a pair completed at the cap costs at most the target', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.double({ min: 0.9, max: 0.99, noNaN: true }),
        (cost, target) => {
          const cap = pairCostCaps('up', cost, target, 0.01).capDown!;
          expect(cap === 0 || (cap >= 0.01 && cost + cap <= target + 1e-9)).toBe(true);
        },
      ),
    );
  });
});

describe('quoteCaps / quoteMarket with pairCostCap', () => {
  const base = { qUp: 0.5, targetTotal: 0.98, market };

  it('leaves the model caps alone when flat or when unpaired is below the minimum size', () => {
    expect(quoteCaps({ ...base, inventory: EMPTY_INVENTORY }, params)).toEqual({ capUp: 0.48, capDown: 0.48 });
    expect(quoteCaps({ ...base, inventory: holding([3, 0.7], [0, 0]) }, params)).toEqual({
      capUp: 0.48,
      capDown: 0.48,
    });
  });

  it('a dear first leg lowers the other side; off, it does not', () => {
    const inventory = holding([40, 0.62], [10, 0.4]);
    expect(quoteCaps({ ...base, inventory }, params)).toEqual({ capUp: 0.48, capDown: 0.36 });
    expect(quoteCaps({ ...base, inventory }, { ...params, pairCostCap: false })).toEqual({
      capUp: 0.48,
      capDown: 0.48,
    });
    const set = quoteMarket(
      {
        nowMs: now,
        market,
        qUp: 0.5,
        toxicity: normal,
        targetTotal: 0.98,
        inventory,
        halts: [],
        bookUp: { bestBid: 0.45, bestAsk: 0.52, tickSize: 0.01, tsMs: now },
        bookDown: { bestBid: 0.44, bestAsk: 0.53, tickSize: 0.01, tsMs: now },
      },
      params,
    );
    const down = set.orders.filter((o) => o.outcome === 'down').map((o) => o.price);
    expect(down.length).toBeGreaterThan(0);
    expect(Math.max(...down)).toBeLessThanOrEqual(0.36);
  });
});
