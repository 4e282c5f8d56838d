// Builders for domain events in tests.
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import type {
  Book,
  BookEvent,
  ClockEvent,
  ConnectionEvent,
  FillEvent,
  LiveOrder,
  MarketEvent,
  MarketIdentity,
  PriceEvent,
} from '../../src/domain/index.js';

export const START = 1_800_000_000_000;
export const END = START + 900_000;

export const market: MarketIdentity = {
  slug: 'btc-updown-15m-1800000000',
  conditionId: '0xcond',
  question: 'Bitcoin Up or Down?',
  tokenUp: 'UP',
  tokenDown: 'DOWN',
  startMs: START,
  endMs: END,
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

/** Defaults with warm-up off so a few ticks suffice. */
export const testConfig = (over: Record<string, unknown> = {}): Config =>
  loadConfig({ flags: { alpha: { minVolSamples: 0 }, ...over } });

export const marketEv = (tsMs: number, m: MarketIdentity = market): MarketEvent => ({
  kind: 'market',
  tsMs,
  market: m,
});
export const clockEv = (tsMs: number): ClockEvent => ({ kind: 'clock', tsMs });
export const up = (feed: ConnectionEvent['feed'], tsMs: number): ConnectionEvent => ({
  kind: 'connection',
  tsMs,
  feed,
  state: 'up',
});
export const down = (feed: ConnectionEvent['feed'], tsMs: number): ConnectionEvent => ({
  kind: 'connection',
  tsMs,
  feed,
  state: 'down',
});
export const chainlink = (tsMs: number, price: number): PriceEvent => ({
  kind: 'price',
  tsMs,
  tick: { source: 'chainlink', symbol: 'btc/usd', price, tsMs },
});
export const binance = (tsMs: number, price: number): PriceEvent => ({
  kind: 'price',
  tsMs,
  tick: { source: 'binance', symbol: 'btcusdt', price, tsMs },
});

export function bookEv(tokenId: string, tsMs: number, bid: number, ask: number, size = 100): BookEvent {
  const book: Book = { tokenId, bids: [{ price: bid, size }], asks: [{ price: ask, size }], tsMs, stale: false };
  return { kind: 'book', tsMs, conditionId: market.conditionId, book };
}

export function fillEv(
  tokenId: string,
  size: number,
  price: number,
  tsMs: number,
  tradeId = `t${tsMs}`,
  reversal = false,
): FillEvent {
  return {
    kind: 'fill',
    tsMs,
    reversal,
    fill: {
      tradeId,
      orderId: `o${tradeId}`,
      conditionId: market.conditionId,
      tokenId,
      outcome: tokenId === 'UP' ? 'up' : 'down',
      side: 'BUY',
      price,
      size,
      role: 'MAKER',
      feeRateBps: 0,
      status: 'MATCHED',
      tsMs,
    },
  };
}

/** A healthy market just after its start: feeds up, S0 seen, books two-sided around 0.5. */
export function healthyOpening(t0 = START - 2_000) {
  return [
    marketEv(t0),
    up('market', t0),
    up('user', t0),
    chainlink(t0, 100_000),
    binance(t0, 100_000),
    chainlink(START, 100_000),
    binance(START, 100_000),
    chainlink(START + 1_000, 100_010),
    binance(START + 1_000, 100_010),
    bookEv('UP', START + 1_000, 0.45, 0.55),
    bookEv('DOWN', START + 1_000, 0.45, 0.55),
  ];
}

/** One of our orders resting on the market's Up token: a 10-share bid at 0.40 (fields as `over` says). */
export const liveOrder = (orderId: string, over: Partial<LiveOrder> = {}): LiveOrder => ({
  orderId,
  conditionId: market.conditionId,
  tokenId: market.tokenUp,
  outcome: 'up',
  side: 'BUY',
  price: 0.4,
  size: 10,
  sizeMatched: 0,
  orderType: 'GTC',
  status: 'live',
  tsMs: START,
  ...over,
});
