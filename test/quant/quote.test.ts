import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Inventory, MarketIdentity } from '../../src/domain/index.js';
import { EMPTY_INVENTORY } from '../../src/domain/index.js';
import { classifyToxicity, completionOrder, feeCurveOf, quoteMarket, type QuoteInputs } from '../../src/quant/index.js';
import { fairLegCap, takerSpend } from '../../src/quant/risk.js';
import { takerFeePerShare } from '../../src/quant/fees.js';
import { loadConfig } from '../../src/config/load.js';

const cfg = loadConfig({});
export const market: MarketIdentity = {
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
const now = 1_300_000;
const normal = classifyToxicity(
  { nowMs: now, varPerS: 1e-8, chainlink: { price: 1e5, tsMs: now }, binance: { price: 1e5, tsMs: now } },
  cfg.alpha,
);
const params = { cutoffMs: cfg.cutoffMs, requiredEdge: cfg.alpha.requiredEdge, ladder: cfg.ladder, skew: cfg.skew };
const inputs: QuoteInputs = {
  nowMs: now,
  market,
  qUp: 0.5,
  toxicity: normal,
  targetTotal: 0.98,
  inventory: EMPTY_INVENTORY,
  halts: [],
  bookUp: { bestBid: 0.45, bestAsk: 0.52, tickSize: 0.01, tsMs: now },
  bookDown: { bestBid: 0.44, bestAsk: 0.53, tickSize: 0.01, tsMs: now },
};

describe('quoteMarket', () => {
  it('quotes a ladder on both tokens within caps', () => {
    const set = quoteMarket(inputs, params);
    expect(set.reason).toBeUndefined();
    const up = set.orders.filter((o) => o.outcome === 'up');
    const down = set.orders.filter((o) => o.outcome === 'down');
    expect(up.map((o) => o.price)).toEqual([0.46, 0.45, 0.44]);
    expect(down.map((o) => o.price)).toEqual([0.45, 0.44, 0.43]);
    expect(up.every((o) => o.tokenId === 'UP' && o.postOnly && o.side === 'BUY' && o.orderType === 'GTC')).toBe(true);
    expect(up[0]!.price + down[0]!.price).toBeLessThanOrEqual(0.98);
  });

  it.each([
    ['halts', { halts: ['user_feed_down', 'heartbeat_down'] as const }, 'user_feed_down,heartbeat_down'],
    ['cutoff exactly at end - 60 s', { nowMs: market.endMs - 60_000 }, 'cutoff'],
    ['stale oracle', { toxicity: { ...normal, regime: 'STALE_ORACLE' as const } }, 'stale_oracle'],
    ['closed market', { market: { ...market, acceptingOrders: false } }, 'market_closed'],
    ['no book', { bookDown: undefined }, 'no_book'],
    ['before start', { nowMs: market.startMs - 1 }, 'not_started'],
  ])('quotes nothing on %s', (_name, patch, reason) => {
    const set = quoteMarket({ ...inputs, ...patch }, params);
    expect(set.orders).toEqual([]);
    expect(set.reason).toBe(reason);
  });

  it('one millisecond before the cutoff still quotes', () => {
    expect(quoteMarket({ ...inputs, nowMs: market.endMs - 60_001 }, params).orders.length).toBeGreaterThan(0);
  });

  it('follows fair value: a high q_up raises Up bids and lowers Down bids', () => {
    const set = quoteMarket(
      {
        ...inputs,
        qUp: 0.8,
        bookUp: { bestBid: 0.75, bestAsk: 0.8, tickSize: 0.01, tsMs: now },
        bookDown: { bestBid: 0.15, bestAsk: 0.22, tickSize: 0.01, tsMs: now },
      },
      params,
    );
    const top = (o: string) => set.orders.find((x) => x.outcome === o && x.level === 0)!.price;
    expect(top('up')).toBe(0.76);
    expect(top('down')).toBe(0.16);
  });
});

describe('completionOrder', () => {
  const inv: Inventory = { up: { shares: 20, notional: 9 }, down: { shares: 0, notional: 0 }, lastTradeMs: 0 };
  const base = {
    nowMs: 1_100_000,
    cutoffMs: 1_840_000,
    startMs: 1_000_000,
    inventory: inv,
    bestAskUp: 0.5,
    bestAskDown: 0.5,
    tick: 0.01,
    minSize: 5,
    curve: feeCurveOf(market.feeSchedule),
    unpairedSinceMs: 1_000_000,
  };
  const p = { minEdge: 0.02, panicWindowMs: 0, panicMaxLossPerShare: 0.03, minWaitMs: 20_000, maxUnpairedShares: 200 };

  it('buys the missing side with a cap that keeps the pair cost + fee within 1 - edge', () => {
    const c = completionOrder({ ...base, bestAskDown: 0.5 }, p)!;
    expect(c.outcome).toBe('down');
    expect(c.size).toBe(20);
    // avg 0.45 + P + 0.072 P(1-P) <= 0.98: P = 0.51 costs 0.0180 fee -> 0.978 ok; 0.52 -> 0.988 no.
    expect(c.maxPrice).toBe(0.51);
  });

  it('refuses a losing pair, however long it waited and however late it is', () => {
    // 0.45 + 0.55 + fee > 1: the old rule took it (loss <= 0.02 rising to 0.05).
    for (const nowMs of [base.nowMs, base.cutoffMs - 1])
      expect(completionOrder({ ...base, nowMs, bestAskDown: 0.55 }, p)).toBeUndefined();
    // Break-even before fees is still a loss after them.
    expect(completionOrder({ ...base, bestAskDown: 0.53 }, p)).toBeUndefined();
    expect(
      completionOrder({ ...base, bestAskDown: 0.55, inventory: { ...inv, up: { shares: 300, notional: 135 } } }, p),
    ).toBeUndefined();
  });

  it('takes a bounded loss only inside the panic window, when one is configured', () => {
    const panic = { ...p, panicWindowMs: 30_000, panicMaxLossPerShare: 0.03 };
    expect(completionOrder({ ...base, bestAskDown: 0.55 }, panic)).toBeUndefined(); // not yet in the window
    const late = completionOrder({ ...base, nowMs: base.cutoffMs - 10_000, bestAskDown: 0.55 }, panic)!;
    // 0.45 + P + fee - 1 <= 0.03: P = 0.56 (fee 0.0177) -> 0.0277.
    expect(late.maxPrice).toBe(0.56);
    expect(late.reason).toContain('panic');
  });

  it('spends what the shares cost at the asks, not the cap: a marketable BUY spends all its USDC', () => {
    const asks = [
      { price: 0.5, size: 6 },
      { price: 0.52, size: 10 },
      { price: 0.6, size: 100 },
    ];
    // 6 at 0.50 + 4 at 0.52 = 5.08 (at the cap 0.55 it would be 5.50: 10.8 shares bought).
    expect(takerSpend(asks, 10, 0.55, 5)).toBe(5.08);
    // Shares beyond the asks within the cap are priced at the cap; cents round up.
    expect(takerSpend(asks, 20.5, 0.55, 5)).toBe(Math.ceil((3 + 5.2 + 4.5 * 0.55) * 100) / 100);
    // The venue's floors: the share amount (spend / cap) at least the minimum size, and $1.
    expect(takerSpend(asks, 5, 0.55, 5)).toBe(2.75);
    expect(takerSpend([{ price: 0.1, size: 50 }], 5, 0.12, 5)).toBe(1);
    expect(takerSpend([], 10, 0.55, 5)).toBe(5.5);
  });

  it('waits, respects the ask and the cutoff', () => {
    expect(completionOrder({ ...base, unpairedSinceMs: base.nowMs - 1000 }, p)).toBeUndefined();
    expect(
      completionOrder({ ...base, unpairedSinceMs: base.nowMs - 1000 }, { ...p, maxUnpairedShares: 10 }),
    ).toBeDefined();
    expect(completionOrder({ ...base, bestAskDown: 0.6 }, p)).toBeUndefined();
    expect(completionOrder({ ...base, nowMs: base.cutoffMs }, p)).toBeUndefined();
    expect(completionOrder({ ...base, inventory: { ...inv, up: { shares: 4, notional: 2 } } }, p)).toBeUndefined();
  });

  it('with legAtFair, the completing leg must not cost more than its fair value (price + fee), whatever the pair cost', () => {
    const fairP = { ...p, legAtFair: true };
    // The pair rule alone takes Down at 0.50 (pair 0.45 + 0.50 + 0.018 <= 0.98) ...
    expect(completionOrder({ ...base, bestAskDown: 0.5 }, p)?.maxPrice).toBe(0.51);
    // ... but if Down is worth 0.45 (the fast feed moved Up), 0.50 + fee is above fair: no taker.
    expect(completionOrder({ ...base, bestAskDown: 0.5, fairMissing: 0.45 }, fairP)).toBeUndefined();
    // Worth 0.52: the cap is the lower of the pair cap and P + fee(P) <= 0.52 (0.50 + 0.018 = 0.518).
    const c = completionOrder({ ...base, bestAskDown: 0.5, fairMissing: 0.52 }, fairP)!;
    expect(c.maxPrice).toBe(0.5);
    expect(c.reason).toContain('leg at fair');
    // Worth more than the pair cap allows: the pair rule decides.
    expect(completionOrder({ ...base, bestAskDown: 0.5, fairMissing: 0.9 }, fairP)?.maxPrice).toBe(0.51);
    // No fair value (no price to beat yet): no taker.
    expect(completionOrder({ ...base, bestAskDown: 0.5 }, fairP)).toBeUndefined();
  });

  it('the panic allowance, a deliberate bounded loss, skips the leg check', () => {
    const panic = { ...p, legAtFair: true, panicWindowMs: 30_000 };
    const late = { ...base, nowMs: base.cutoffMs - 10_000, bestAskDown: 0.55, fairMissing: 0.3 };
    expect(completionOrder(late, panic)?.maxPrice).toBe(0.56);
  });
});

describe('fairLegCap', () => {
  it('is the largest grid price whose price + taker fee is at most fair, never above 1 - tick', () => {
    const curve = feeCurveOf(market.feeSchedule);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1.2, noNaN: true }), (fair) => {
        const cap = fairLegCap(fair, 0.01, curve);
        if (cap === undefined) return 0.01 + takerFeePerShare(0.01, curve) > fair;
        const next = Number((cap + 0.01).toFixed(2));
        return (
          cap + takerFeePerShare(cap, curve) <= fair + 1e-12 &&
          cap <= 0.99 &&
          (next > 0.99 || next + takerFeePerShare(next, curve) > fair)
        );
      }),
    );
  });
});
