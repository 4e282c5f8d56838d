// CLOB market channel frames -> typed messages. Frames may be one object or an array of them.
import type { BookLevel, Side } from '../domain/index.js';
import {
  excerpt,
  isObj,
  json,
  optPrice,
  ParseError,
  price,
  side,
  size,
  str,
  tick,
  timeMs,
  truncate,
  type Obj,
  type Frame,
} from './fields.js';

export type MarketMsg =
  | {
      readonly type: 'book';
      readonly conditionId: string;
      readonly tokenId: string;
      readonly bids: BookLevel[];
      readonly asks: BookLevel[];
      readonly tsMs: number;
      readonly hash?: string;
    }
  | {
      readonly type: 'priceChange';
      readonly conditionId: string;
      readonly tsMs: number;
      readonly changes: readonly {
        readonly tokenId: string;
        readonly price: number;
        readonly size: number;
        readonly side: Side;
        readonly bestBid?: number;
        readonly bestAsk?: number;
        readonly hash?: string;
      }[];
    }
  | {
      readonly type: 'tickSize';
      readonly conditionId: string;
      readonly tokenId: string;
      readonly tickSize: number;
      readonly tsMs: number;
    }
  | {
      readonly type: 'lastTrade';
      readonly conditionId: string;
      readonly tokenId: string;
      readonly price: number;
      readonly size: number;
      readonly side: Side;
      readonly tsMs: number;
    }
  | {
      readonly type: 'bestBidAsk';
      readonly conditionId: string;
      readonly tokenId: string;
      readonly bestBid?: number;
      readonly bestAsk?: number;
      readonly tsMs: number;
    }
  | {
      readonly type: 'marketResolved';
      readonly conditionId: string;
      readonly winningTokenId: string;
      readonly winningOutcome?: string;
      readonly tsMs: number;
    }
  | { readonly type: 'newMarket'; readonly conditionId: string; readonly slug?: string; readonly tsMs: number };

export type Parsed<T> =
  { readonly ok: true; readonly msg: T } | { readonly ok: false; readonly reason: string; readonly raw: string };

const levels = (v: unknown, name: string): BookLevel[] => {
  if (!Array.isArray(v)) throw new ParseError(`missing ${name}`);
  return v.map((l) => {
    if (!isObj(l)) throw new ParseError(`bad ${name} level`);
    return { price: price(l, 'price'), size: size(l, 'size') };
  });
};

/** The event type, inferred for the fixture forms that omit `event_type`. */
function typeOf(o: Obj): string {
  if (typeof o.event_type === 'string') return o.event_type;
  if (Array.isArray(o.price_changes)) return 'price_change';
  if (Array.isArray(o.bids) && Array.isArray(o.asks)) return 'book';
  if ('new_tick_size' in o) return 'tick_size_change';
  if ('winning_asset_id' in o) return 'market_resolved';
  if ('best_bid' in o && 'best_ask' in o && 'asset_id' in o) return 'best_bid_ask';
  if ('fee_rate_bps' in o && 'price' in o && 'asset_id' in o) return 'last_trade_price';
  return 'unknown';
}

function parseOne(o: Obj, nowMs: number): MarketMsg {
  const t = typeOf(o);
  const tsMs = timeMs(o, 'timestamp') ?? nowMs;
  switch (t) {
    case 'book': {
      // Best first, whatever order the venue sent.
      const bids = levels(o.bids, 'bids').sort((a, b) => b.price - a.price);
      const asks = levels(o.asks, 'asks').sort((a, b) => a.price - b.price);
      return {
        type: 'book',
        conditionId: str(o, 'market'),
        tokenId: str(o, 'asset_id'),
        bids,
        asks,
        tsMs,
        hash: typeof o.hash === 'string' ? o.hash : undefined,
      };
    }
    case 'price_change': {
      if (!Array.isArray(o.price_changes)) {
        // Legacy schema (asset_id + changes, before 15 Sep 2025): its sizes cannot be trusted
        // against the current book semantics, so it is rejected and counted, never applied.
        throw new ParseError('legacy price_change schema (asset_id + changes) is not supported');
      }
      const changes = o.price_changes.map((c) => {
        if (!isObj(c)) throw new ParseError('bad price_changes entry');
        return {
          tokenId: str(c, 'asset_id'),
          price: price(c, 'price'),
          size: size(c, 'size'),
          side: side(c),
          bestBid: optPrice(c, 'best_bid'),
          bestAsk: optPrice(c, 'best_ask'),
          hash: typeof c.hash === 'string' ? c.hash : undefined,
        };
      });
      return { type: 'priceChange', conditionId: str(o, 'market'), tsMs, changes };
    }
    case 'tick_size_change':
      return {
        type: 'tickSize',
        conditionId: str(o, 'market'),
        tokenId: str(o, 'asset_id'),
        tickSize: tick(o, 'new_tick_size'),
        tsMs,
      };
    case 'last_trade_price':
      return {
        type: 'lastTrade',
        conditionId: str(o, 'market'),
        tokenId: str(o, 'asset_id'),
        price: price(o, 'price'),
        size: size(o, 'size'),
        side: side(o),
        tsMs,
      };
    case 'best_bid_ask':
      return {
        type: 'bestBidAsk',
        conditionId: str(o, 'market'),
        tokenId: str(o, 'asset_id'),
        bestBid: optPrice(o, 'best_bid'),
        bestAsk: optPrice(o, 'best_ask'),
        tsMs,
      };
    case 'market_resolved':
      return {
        type: 'marketResolved',
        conditionId: str(o, 'market'),
        winningTokenId: str(o, 'winning_asset_id'),
        winningOutcome: typeof o.winning_outcome === 'string' ? o.winning_outcome : undefined,
        tsMs,
      };
    case 'new_market':
      return {
        type: 'newMarket',
        conditionId: str(o, 'market'),
        slug: typeof o.slug === 'string' ? o.slug : undefined,
        tsMs,
      };
    default:
      throw new ParseError(`unknown event_type ${JSON.stringify(o.event_type ?? null)}`);
  }
}

/** Parse one market-channel frame; every object becomes a message or a counted skip. */
export function parseMarketFrame(text: Frame, nowMs: number): Parsed<MarketMsg>[] {
  if (text === 'PONG' || text === 'pong') return [];
  let value: unknown;
  try {
    value = json(text);
  } catch (e) {
    return [{ ok: false, reason: (e as Error).message, raw: truncate(text) }];
  }
  const items = Array.isArray(value) ? value : [value];
  return items.map((item): Parsed<MarketMsg> => {
    try {
      if (!isObj(item)) throw new ParseError('not an object');
      return { ok: true, msg: parseOne(item, nowMs) };
    } catch (e) {
      return { ok: false, reason: e instanceof ParseError ? e.message : String(e), raw: excerpt(item) };
    }
  });
}
