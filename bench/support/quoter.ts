// The strategy as the order-path benches drive it: one market, healthy feeds, a flat Chainlink
// price, and an Up book whose best bid alternates between two prices, so every tick re-prices Up's
// ladder. `decide(i)` is tick i's decision and its diff against what rests; `rest` makes a
// decision's orders the resting ones (as if the venue had acknowledged them at once) and, every
// 1 000 ticks, keeps the Chainlink price fresh.
import { loadConfig } from '../../src/config/load.js';
import type {
  BookEvent,
  DesiredOrder,
  DesiredOrderSet,
  InputEvent,
  LiveOrder,
  MarketIdentity,
} from '../../src/domain/index.js';
import { diffOrders } from '../../src/execution/diff.js';
import { initialStrategy, strategyStep, type StrategyState } from '../../src/strategy/step.js';

export interface Decision {
  readonly desired: readonly DesiredOrder[];
  readonly creates: readonly DesiredOrder[];
}

export interface Quoter {
  decide(i: number): Decision | undefined;
  rest(desired: readonly DesiredOrder[], i: number): void;
}

const chainlink = (tsMs: number): InputEvent => ({
  kind: 'price',
  tsMs,
  tick: { source: 'chainlink', symbol: 'btc/usd', price: 100_000, tsMs },
});

/** `now`: the clock of the first tick (a minute or more into the market). */
export function alternatingQuoter(market: MarketIdentity, levels: number, now: number): Quoter {
  const cfg = loadConfig({
    flags: {
      ladder: { levels },
      alpha: { minVolSamples: 0 },
      churn: { minPriceChangeTicks: 1, minUpdateIntervalMs: 0 },
    },
  });
  let ts = now;
  const book = (bid: number, tokenId: string): BookEvent => ({
    kind: 'book',
    tsMs: ++ts,
    conditionId: market.conditionId,
    book: { tokenId, bids: [{ price: bid, size: 100 }], asks: [{ price: 0.6, size: 100 }], tsMs: ts, stale: false },
  });
  const t0 = now - 120_000;
  const opening: InputEvent[] = [
    { kind: 'market', tsMs: t0, market },
    { kind: 'connection', tsMs: t0, feed: 'market', state: 'up' },
    { kind: 'connection', tsMs: t0, feed: 'user', state: 'up' },
    chainlink(market.startMs - 500),
    chainlink(market.startMs),
    chainlink(now),
    book(0.3, market.tokenDown),
    book(0.3, market.tokenUp),
  ];
  let s: StrategyState = initialStrategy();
  for (const ev of opening) s = strategyStep(s, ev, cfg).state;
  let live: LiveOrder[] = [];
  return {
    decide(i) {
      const r = strategyStep(s, book(i % 2 ? 0.33 : 0.31, market.tokenUp), cfg);
      s = r.state;
      const desired = r.out.find(
        (o): o is { kind: 'decision'; tsMs: number; desired: DesiredOrderSet } => o.kind === 'decision',
      )?.desired;
      if (!desired) return undefined;
      return { desired: desired.orders, creates: diffOrders(desired, live, cfg.churn.minSizeChange).creates };
    },
    rest(desired, i) {
      live = desired.map((o, k) => ({
        orderId: `${i}-${k}`,
        conditionId: market.conditionId,
        tokenId: o.tokenId,
        outcome: o.outcome,
        side: o.side,
        price: o.price,
        size: o.size,
        sizeMatched: 0,
        orderType: 'GTC' as const,
        status: 'live' as const,
        level: o.level,
        tsMs: ts,
      }));
      // Outside the measured span: a fresh Chainlink print now and then, so a long run (WIRE_TICKS)
      // never sees the oracle go stale. Its own decision is left out; the next tick's diff covers it.
      if (i % 1_000 === 999) s = strategyStep(s, chainlink(ts), cfg).state;
    },
  };
}
