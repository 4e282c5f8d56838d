// Wire encoders: core records -> Polymarket's JSON shapes (field names and encodings as in the
// public fixtures: numbers as strings where Polymarket sends strings, JSON-string arrays in Gamma).
import type { VBook, VMarket, VOrder, VTrade } from '../core/types.js';

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const num = (x: number, d = 2): string => x.toFixed(d);
const price = (x: number): string => String(Math.round(x * 1e6) / 1e6);
/** API keys are UUIDs; owners on the wire are identified by API key. */
export type KeyOf = (address: string) => string;

export function gammaMarket(m: VMarket, book?: { bestBid?: number; bestAsk?: number }): Record<string, unknown> {
  const resolved = m.status === 'resolved' && m.winner;
  const outcomePrices = resolved ? (m.winner === 'Up' ? ['1', '0'] : ['0', '1']) : ['0.5', '0.5'];
  return {
    id: String(Math.floor(m.startMs / 1000) % 10_000_000),
    question: m.question,
    conditionId: m.conditionId,
    slug: m.slug,
    resolutionSource: 'https://data.chain.link/streams/btc-usd',
    endDate: iso(m.endMs),
    startDate: iso(m.createdMs),
    eventStartTime: iso(m.startMs),
    description: 'This market will resolve to "Up" if the Bitcoin price at the end of the time range specified in the title is greater than or equal to the price at the beginning of that range. Otherwise, it will resolve to "Down". (simulated venue)',
    outcomes: JSON.stringify(['Up', 'Down']),
    outcomePrices: JSON.stringify(outcomePrices),
    clobTokenIds: JSON.stringify([m.tokenUp, m.tokenDown]),
    questionID: m.questionId,
    active: m.status !== 'resolved',
    closed: m.status === 'closed' || m.status === 'resolved',
    acceptingOrders: m.status === 'open' || m.status === 'scheduled',
    enableOrderBook: true,
    orderPriceMinTickSize: m.tickSize,
    orderMinSize: m.minSize,
    negRisk: false,
    feesEnabled: true,
    feeType: 'crypto_fees',
    feeSchedule: { rate: m.feeSchedule.rate, exponent: m.feeSchedule.exponent, takerOnly: m.feeSchedule.takerOnly, rebateRate: m.feeSchedule.rebateRate },
    makerRebatesFeeShareBps: Math.round(m.feeSchedule.rebateRate * 10_000),
    makerBaseFee: 1000,
    takerBaseFee: 1000,
    umaResolutionStatuses: JSON.stringify(resolved ? ['resolved'] : []),
    bestBid: book?.bestBid ?? 0,
    bestAsk: book?.bestAsk ?? 1,
    createdAt: iso(m.createdMs),
    updatedAt: iso(m.createdMs),
  };
}

export function gammaEvent(m: VMarket): Record<string, unknown> {
  return {
    id: String(Math.floor(m.startMs / 1000) % 10_000_000),
    ticker: m.slug,
    slug: m.slug,
    title: m.question,
    startDate: iso(m.createdMs),
    endDate: iso(m.endMs),
    startTime: iso(m.startMs),
    active: m.status !== 'resolved',
    closed: m.status === 'closed' || m.status === 'resolved',
    markets: [gammaMarket(m)],
  };
}

const levels = (ls: VBook['bids']) => ls.map((l) => ({ price: price(l.price), size: num(l.size) }));

export function bookMessage(b: VBook, hash: string): Record<string, unknown> {
  return { event_type: 'book', market: b.conditionId, asset_id: b.tokenId, bids: levels(b.bids), asks: levels(b.asks), timestamp: String(b.tsMs), hash };
}

/** REST /book: like Polymarket, levels worst-first (the best price last). */
export function restBook(b: VBook, hash: string): Record<string, unknown> {
  return {
    market: b.conditionId, asset_id: b.tokenId, timestamp: String(b.tsMs), hash,
    bids: levels([...b.bids].reverse()), asks: levels([...b.asks].reverse()),
    min_order_size: '5', tick_size: '0.01', neg_risk: false,
  };
}

export function userOrderMessage(o: VOrder, change: string, keyOf: KeyOf, tsMs: number, reason?: string): Record<string, unknown> {
  const status = change === 'CANCELLATION' ? (reason ? `CANCELED_${reason}` : 'CANCELED') : o.status === 'MATCHED' ? 'MATCHED' : 'LIVE';
  return {
    event_type: 'order', type: change, id: o.id, owner: keyOf(o.owner), order_owner: keyOf(o.owner), maker_address: o.owner,
    market: o.conditionId, asset_id: o.tokenId, side: o.side, outcome: o.outcome, price: price(o.price),
    original_size: num(o.originalSize), size_matched: num(o.sizeMatched), order_type: o.orderType, status,
    associate_trades: [], created_at: String(o.createdMs), expiration: String(o.expirationS), timestamp: String(tsMs),
  };
}

export function restOrder(o: VOrder, keyOf: KeyOf): Record<string, unknown> {
  return {
    associate_trades: [], id: o.id, status: o.status, market: o.conditionId, original_size: num(o.originalSize, 4),
    outcome: o.outcome, maker_address: o.owner, owner: keyOf(o.owner), price: num(o.price, 4), side: o.side,
    size_matched: num(o.sizeMatched, 4), asset_id: o.tokenId, expiration: String(o.expirationS), order_type: o.orderType,
    created_at: Math.floor(o.createdMs / 1000),
  };
}

/** A trade as seen by `viewer` (taker, or maker through its maker_orders entries). */
/** A trade's settlement transaction: there is none before it is mined (nor for a failed one). */
export const txHashOf = (t: VTrade): string => (t.status === 'MINED' || t.status === 'CONFIRMED' ? `0x${t.id.slice(2).padStart(64, '0').slice(-64)}` : '');

export function tradeRecord(t: VTrade, viewer: string, keyOf: KeyOf): Record<string, unknown> {
  const isTaker = t.takerOwner === viewer;
  return {
    id: t.id, taker_order_id: t.takerOrderId, market: t.conditionId, asset_id: t.tokenId, side: t.side,
    size: num(t.size, 4), fee_rate_bps: String(t.feeRateBps), price: price(t.price), status: t.status,
    match_time: String(Math.floor(t.matchMs / 1000)), last_update: String(Math.floor(t.lastUpdateMs / 1000)), outcome: t.outcome,
    bucket_index: 0, owner: keyOf(isTaker ? t.takerOwner : viewer), maker_address: t.takerOwner, transaction_hash: txHashOf(t),
    trader_side: isTaker ? 'TAKER' : 'MAKER',
    maker_orders: t.makers.map((m) => ({
      order_id: m.orderId, owner: keyOf(m.owner), maker_address: m.owner, matched_amount: num(m.matchedAmount, 4),
      price: price(m.price), fee_rate_bps: '0', asset_id: m.tokenId, outcome: m.outcome, side: m.side,
    })),
  };
}

export function userTradeMessage(t: VTrade, viewer: string, keyOf: KeyOf): Record<string, unknown> {
  return { event_type: 'trade', type: 'TRADE', ...tradeRecord(t, viewer, keyOf), trade_owner: keyOf(viewer), timestamp: String(t.lastUpdateMs) };
}
