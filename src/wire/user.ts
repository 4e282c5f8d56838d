// CLOB user channel frames -> order and trade messages.
import type { OrderType, Side } from '../domain/index.js';
import {
  excerpt,
  isObj,
  json,
  optNum,
  optStr,
  ParseError,
  price,
  side,
  size,
  str,
  timeMs,
  truncate,
  type Obj,
  type Frame,
} from './fields.js';
import type { Parsed } from './market.js';

export interface UserOrderMsg {
  readonly type: 'order';
  readonly change: 'PLACEMENT' | 'UPDATE' | 'CANCELLATION';
  readonly orderId: string;
  readonly conditionId: string;
  readonly tokenId: string;
  readonly side: Side;
  readonly price: number;
  readonly originalSize: number;
  readonly sizeMatched: number;
  readonly orderType: OrderType;
  readonly status: string;
  readonly makerAddress?: string;
  readonly tsMs: number;
}

export interface MakerOrderMsg {
  readonly orderId: string;
  readonly tokenId: string;
  readonly matchedAmount: number;
  readonly price: number;
  readonly owner?: string;
  readonly makerAddress?: string;
  readonly side?: Side;
}

export interface UserTradeMsg {
  readonly type: 'trade';
  readonly tradeId: string;
  readonly status: 'MATCHED' | 'MINED' | 'CONFIRMED' | 'RETRYING' | 'FAILED';
  readonly conditionId: string;
  readonly tokenId: string;
  readonly side: Side;
  readonly price: number;
  readonly size: number;
  readonly feeRateBps: number;
  readonly takerOrderId: string;
  readonly traderSide?: 'MAKER' | 'TAKER';
  readonly owner?: string;
  readonly makerAddress?: string;
  readonly makers: readonly MakerOrderMsg[];
  readonly tsMs: number;
}

export type UserMsg = UserOrderMsg | UserTradeMsg;

const ORDER_TYPES = new Set(['GTC', 'GTD', 'FOK', 'FAK']);
const TRADE_STATUSES = new Set(['MATCHED', 'MINED', 'CONFIRMED', 'RETRYING', 'FAILED']);

function order(o: Obj, nowMs: number): UserOrderMsg {
  const change = String(o.type).toUpperCase();
  if (change !== 'PLACEMENT' && change !== 'UPDATE' && change !== 'CANCELLATION')
    throw new ParseError(`unknown order type ${String(o.type)}`);
  const orderType = String(o.order_type ?? 'GTC').toUpperCase();
  const orderId = str(o, 'id');
  const originalSize = size(o, 'original_size');
  const sizeMatched =
    o.size_matched === undefined || o.size_matched === null || o.size_matched === '' ? 0 : size(o, 'size_matched');
  if (sizeMatched > originalSize + 1e-9)
    throw new ParseError(`size_matched ${sizeMatched} above original_size ${originalSize}`);
  return {
    type: 'order',
    change,
    orderId,
    conditionId: str(o, 'market'),
    tokenId: str(o, 'asset_id'),
    side: side(o),
    price: price(o, 'price'),
    originalSize,
    sizeMatched,
    orderType: (ORDER_TYPES.has(orderType) ? orderType : 'GTC') as OrderType,
    status: String(o.status ?? ''),
    makerAddress: optStr(o, 'maker_address')?.toLowerCase(),
    tsMs: timeMs(o, 'timestamp') ?? nowMs,
  };
}

function trade(o: Obj, nowMs: number): UserTradeMsg {
  const status = String(o.status ?? '').toUpperCase();
  if (!TRADE_STATUSES.has(status)) throw new ParseError(`unknown trade status ${String(o.status)}`);
  const makers = (Array.isArray(o.maker_orders) ? o.maker_orders : []).map((m): MakerOrderMsg => {
    if (!isObj(m)) throw new ParseError('bad maker_orders entry');
    return {
      orderId: str(m, 'order_id'),
      tokenId: str(m, 'asset_id'),
      matchedAmount: size(m, 'matched_amount'),
      price: price(m, 'price'),
      owner: optStr(m, 'owner'),
      makerAddress: optStr(m, 'maker_address')?.toLowerCase(),
      side: m.side === 'BUY' || m.side === 'SELL' ? m.side : undefined,
    };
  });
  const traderSide = String(o.trader_side ?? '').toUpperCase();
  return {
    type: 'trade',
    tradeId: str(o, 'id'),
    status: status as UserTradeMsg['status'],
    conditionId: str(o, 'market'),
    tokenId: str(o, 'asset_id'),
    side: side(o),
    price: price(o, 'price'),
    size: size(o, 'size'),
    feeRateBps: optNum(o, 'fee_rate_bps') ?? 0,
    takerOrderId: str(o, 'taker_order_id'),
    traderSide: traderSide === 'MAKER' || traderSide === 'TAKER' ? traderSide : undefined,
    owner: optStr(o, 'owner'),
    makerAddress: optStr(o, 'maker_address')?.toLowerCase(),
    makers,
    tsMs: timeMs(o, 'timestamp') ?? timeMs(o, 'last_update') ?? nowMs,
  };
}

export function parseUserObject(o: unknown, nowMs: number): UserMsg {
  if (!isObj(o)) throw new ParseError('not an object');
  const kind =
    typeof o.event_type === 'string'
      ? o.event_type
      : String(o.type).toUpperCase() === 'TRADE' || 'taker_order_id' in o
        ? 'trade'
        : 'order';
  if (kind === 'order') return order(o, nowMs);
  if (kind === 'trade') return trade(o, nowMs);
  throw new ParseError(`unknown event_type ${JSON.stringify(kind)}`);
}

export function parseUserFrame(text: Frame, nowMs: number): Parsed<UserMsg>[] {
  if (text === 'PONG' || text === 'pong') return [];
  let value: unknown;
  try {
    value = json(text);
  } catch (e) {
    return [{ ok: false, reason: (e as Error).message, raw: truncate(text) }];
  }
  return (Array.isArray(value) ? value : [value]).map((item): Parsed<UserMsg> => {
    try {
      return { ok: true, msg: parseUserObject(item, nowMs) };
    } catch (e) {
      return { ok: false, reason: e instanceof ParseError ? e.message : String(e), raw: excerpt(item) };
    }
  });
}
