// One market's life as the bot's events, for runs of many markets (test/sinks/longRun.test.ts,
// bench/longRun.ts): discovered, quoted, a book on each token, a set bought (confirmed), resolved Up,
// a late decision, redeemed.
import type { AlphaEvent, BotEvent, MarketIdentity } from '../../src/domain/index.js';

export const START = 1_800_000_000_000;
export const INTERVAL = 900_000;

const template: Omit<MarketIdentity, 'slug' | 'conditionId' | 'tokenUp' | 'tokenDown' | 'startMs' | 'endMs'> = {
  question: 'Bitcoin Up or Down?',
  tickSize: 0.01,
  minSize: 5,
  negRisk: false,
  feesEnabled: true,
  feeSchedule: { rate: 0.072, exponent: 1, takerOnly: true, rebateRate: 0.2 },
  acceptingOrders: true,
  active: true,
  closed: false,
  resolutionSource: 'https://data.chain.link/streams/btc-usd',
};

/** The i-th market from START (resolved when `winner` is given). */
export const marketNo = (i: number, winner?: 'up' | 'down'): MarketIdentity => ({
  ...template,
  slug: `btc-updown-15m-${i}`,
  conditionId: `0xc${i}`,
  tokenUp: `U${i}`,
  tokenDown: `D${i}`,
  startMs: START + i * INTERVAL,
  endMs: START + (i + 1) * INTERVAL,
  ...(winner ? { winner } : {}),
});

/** Market i's life: discovered, quoted, a set bought (confirmed), resolved Up, redeemed. */
export function marketLife(i: number, traded = true): BotEvent[] {
  const m = marketNo(i);
  const t = m.startMs;
  const alpha: AlphaEvent = {
    kind: 'alpha',
    tsMs: t + 1,
    conditionId: m.conditionId,
    regime: i % 2 ? 'FAST_MOVE' : 'NORMAL',
    regimeReasons: [],
    qUp: 0.5,
    capUp: 0.5,
    capDown: 0.5,
    targetTotal: 0.98,
    sizeScalar: 1,
    varPerS: 0,
    driftPerS: 0,
  };
  const fill = (tokenId: string, k: number): BotEvent => ({
    kind: 'fill',
    tsMs: t + 10 + k,
    reversal: false,
    fill: {
      tradeId: `t${i}-${k}`,
      orderId: `o${i}-${k}`,
      conditionId: m.conditionId,
      tokenId,
      outcome: tokenId === m.tokenUp ? 'up' : 'down',
      side: 'BUY',
      price: 0.45,
      size: 10,
      role: 'MAKER',
      feeRateBps: 0,
      status: 'CONFIRMED',
      tsMs: t + 10 + k,
    },
  });
  const book = (tokenId: string): BotEvent => ({
    kind: 'book',
    tsMs: t + 5,
    conditionId: m.conditionId,
    book: { tokenId, bids: [{ price: 0.45, size: 10 }], asks: [{ price: 0.55, size: 10 }], tsMs: t + 5, stale: false },
  });
  return [
    { kind: 'market', tsMs: t - INTERVAL, market: m },
    alpha,
    { kind: 'decision', tsMs: t + 2, desired: { slug: m.slug, conditionId: m.conditionId, orders: [], tsMs: t + 2 } },
    book(m.tokenUp),
    book(m.tokenDown),
    ...(traded ? [fill(m.tokenUp, 0), fill(m.tokenDown, 1)] : []),
    { kind: 'market', tsMs: m.endMs + 60_000, market: marketNo(i, 'up') },
    {
      kind: 'settlement',
      tsMs: m.endMs + 61_000,
      conditionId: m.conditionId,
      slug: m.slug,
      rule: 'twap',
      gammaDiff: 0,
    },
    // The strategy still follows the market a little after its end: a late decision.
    {
      kind: 'decision',
      tsMs: m.endMs + 62_000,
      desired: { slug: m.slug, conditionId: m.conditionId, orders: [], tsMs: m.endMs + 62_000 },
    },
    ...(traded
      ? [
          {
            kind: 'inventoryOp',
            tsMs: m.endMs + 120_000,
            id: `redeem:${m.conditionId}`,
            action: 'redeem',
            conditionId: m.conditionId,
            phase: 'done',
            proceedsUsdc: 10,
          } as const,
        ]
      : []),
  ];
}
