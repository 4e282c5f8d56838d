// Market identity, books and prices: immutable records shared by every layer of the bot.

import type { LiveOrder } from './orders.js';

export type Outcome = 'up' | 'down';
export type Side = 'BUY' | 'SELL';

/** The CLOB's tick sizes (the official client's `TickSize`); any other value is a malformed input. */
export const TICK_SIZES: readonly number[] = [0.1, 0.01, 0.001, 0.0001];
export const isTickSize = (n: unknown): n is number => typeof n === 'number' && TICK_SIZES.includes(n);

/** Per-market taker fee schedule as Gamma publishes it (`feeSchedule`). */
export interface FeeSchedule {
  /** Taker fee in USDC = shares * rate * (p * (1 - p)) ^ exponent. */
  readonly rate: number;
  readonly exponent: number;
  readonly takerOnly: boolean;
  /** Share of taker fees paid to makers as rebates (0..1). */
  readonly rebateRate: number;
}

export interface MarketIdentity {
  readonly slug: string;
  readonly conditionId: string;
  readonly question: string;
  readonly tokenUp: string;
  readonly tokenDown: string;
  /** Interval start (Gamma `eventStartTime`), epoch ms. */
  readonly startMs: number;
  /** Interval end (Gamma `endDate`), epoch ms. */
  readonly endMs: number;
  readonly tickSize: number;
  readonly minSize: number;
  readonly negRisk: boolean;
  readonly feesEnabled: boolean;
  readonly feeSchedule: FeeSchedule;
  readonly acceptingOrders: boolean;
  readonly active: boolean;
  readonly closed: boolean;
  /** Settlement source text the market names, e.g. the Chainlink BTC/USD data stream URL. */
  readonly resolutionSource: string;
  /** Set once the market has resolved. */
  readonly winner?: Outcome;
  /** How the market settles, from Gamma (absent only in hand-built markets: treated as firstTick). */
  readonly resolution?: Resolution;
  /** Gamma's `eventMetadata.priceToBeat` / `finalPrice`, once the venue publishes them. */
  readonly priceToBeat?: number;
  readonly finalPrice?: number;
}

/**
 * The settlement rule of a market. `twap`: price to beat and final price are the trailing
 * `lookbackS`-second average of the Chainlink stream at the start and at the end (since August
 * 2026); `firstTick`: the first Chainlink tick at or after each (older markets); `unknown`: the
 * bot cannot establish it and does not quote the market (`reason` says why).
 */
export type Resolution =
  | { readonly rule: 'twap'; readonly lookbackS: number }
  | { readonly rule: 'firstTick' }
  | { readonly rule: 'unknown'; readonly reason: string };

export const FIRST_TICK: Resolution = { rule: 'firstTick' };

/** The rule in force for a market (hand-built markets without one settle by first tick). */
export const resolutionOf = (m: MarketIdentity): Resolution => m.resolution ?? FIRST_TICK;

export interface BookLevel {
  readonly price: number;
  readonly size: number;
}

/** Local L2 book of one token: bids sorted best (highest) first, asks best (lowest) first. */
export interface Book {
  readonly tokenId: string;
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
  /** Venue timestamp of the last change, epoch ms. */
  readonly tsMs: number;
  /** True after a reconnect or an untrusted delta, until a fresh snapshot arrives. */
  readonly stale: boolean;
}

export interface BookTop {
  readonly bestBid?: number;
  readonly bestAsk?: number;
  readonly tickSize: number;
  readonly tsMs: number;
}

/**
 * Where a reference price came from. `chainlink` is the settlement source of the BTC up/down
 * markets; `chainlink-twap` its 60 s TWAP stream (RTDS `crypto_prices_twap_sixty`, PolyBolt
 * `price.crypto.twap`), what TWAP markets settle on; `binance` the fast feed; `pyth` PolyBolt's
 * `price.crypto` source.
 */
export type PriceSource = 'chainlink' | 'chainlink-twap' | 'binance' | 'pyth';

export interface PriceTick {
  readonly source: PriceSource;
  readonly symbol: string;
  readonly price: number;
  /** Venue (payload) timestamp, epoch ms. */
  readonly tsMs: number;
  /** TWAP ticks: the averaging window, seconds. */
  readonly windowS?: number;
}

export function topOf(book: Book, tickSize: number): BookTop {
  return {
    bestBid: book.bids[0]?.price,
    bestAsk: book.asks[0]?.price,
    tickSize,
    tsMs: book.tsMs,
  };
}

/** Our live bids on one outcome: whether there is any, and the remaining size at each price. */
interface OwnBids {
  readonly any: boolean;
  readonly sizeAt: ReadonlyMap<number, number>;
}

/** Per orders map (immutable: a change makes a new map), both outcomes' own bids, worked out once. */
const OWN_BIDS = new WeakMap<ReadonlyMap<string, LiveOrder>, Readonly<Record<Outcome, OwnBids>>>();

function ownBidsOf(orders: ReadonlyMap<string, LiveOrder>, outcome: Outcome): OwnBids {
  let both = OWN_BIDS.get(orders);
  if (!both) {
    const of = (side: Outcome): OwnBids => {
      let any = false;
      const sizeAt = new Map<number, number>();
      for (const o of orders.values()) {
        if (o.outcome !== side || o.side !== 'BUY' || o.status !== 'live') continue;
        any = true;
        const left = o.size - o.sizeMatched;
        if (left > 0) sizeAt.set(priceKey(o.price), (sizeAt.get(priceKey(o.price)) ?? 0) + left);
      }
      return { any, sizeAt };
    };
    both = { up: of('up'), down: of('down') };
    OWN_BIDS.set(orders, both);
  }
  return both[outcome];
}

/**
 * The others' best bid: the best bid left once our own live buys on `outcome` (at their remaining
 * size) are taken out of the book. Quoting against our own best bid would outbid ourselves a tick per
 * re-quote. Only bids: our own bids show on this token's bid side; whether the venue mirrors the
 * other token's bids as asks differs between venues. Our bids per outcome are worked out once per
 * orders map (every evaluation and every book or order update asks this); test/support/ownBids.ts
 * keeps the list-based form it must equal to the last bit.
 */
export function bestBidWithoutOrders(
  book: Book,
  orders: ReadonlyMap<string, LiveOrder>,
  outcome: Outcome,
): number | undefined {
  const own = ownBidsOf(orders, outcome);
  if (!own.any) return book.bids[0]?.price;
  for (const l of book.bids)
    if (l.size - Math.min(l.size, own.sizeAt.get(priceKey(l.price)) ?? 0) > 1e-9) return l.price;
  return undefined;
}

/** Prices compared on a 1e-6 grid (ticks are at least 0.0001). */
const priceKey = (price: number): number => Math.round(price * 1e6);

/** Mid of a book's best bid and ask, if it has both. */
/**
 * How long after its end the run's side folds (summary, status view, live PnL, late fills) keep a
 * market they no longer need: a fill reported late still finds it, and a bot running for weeks keeps
 * an hour of markets rather than every market it ever saw (bench/longRun.ts).
 */
export const ENDED_MARKET_KEPT_MS = 3_600_000;

/** Whether a market that ended at `endMs` is past ENDED_MARKET_KEPT_MS at `nowMs`. */
export const endedLongAgo = (endMs: number, nowMs: number): boolean => endMs + ENDED_MARKET_KEPT_MS < nowMs;

export function midOf(book: Book | undefined): number | undefined {
  const bid = book?.bids[0]?.price;
  const ask = book?.asks[0]?.price;
  return bid !== undefined && ask !== undefined ? (bid + ask) / 2 : undefined;
}

export function tokenOf(market: MarketIdentity, outcome: Outcome): string {
  return outcome === 'up' ? market.tokenUp : market.tokenDown;
}

export function outcomeOf(market: MarketIdentity, tokenId: string): Outcome | undefined {
  if (tokenId === market.tokenUp) return 'up';
  if (tokenId === market.tokenDown) return 'down';
  return undefined;
}
