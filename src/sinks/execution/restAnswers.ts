// The CLOB's REST answers, read: posts, cancels, heartbeats, balances and the pages of open orders
// and trades. The venue's JSON is checked field by field, never cast: an answer of the wrong shape is
// a typed `bad_answer` ExchangeError naming the call and what was wrong (the caller's error path:
// retried, counted, logged), never a TypeError from deep in a loop, never NaN in an order.
import { ExchangeError } from './errors.js';
import type { PostResult, RestOrder } from './exchange.js';

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);

/** A 2xx answer of the wrong shape. */
export const badAnswer = (call: string, what: string): ExchangeError =>
  new ExchangeError(`malformed answer to ${call}: ${what}`, { kind: 'bad_answer', status: 200 });

/** A finite number from a JSON number or a numeric string (the CLOB sends decimals as strings). */
function num(call: string, field: string, x: unknown): number {
  const n = typeof x === 'number' ? x : typeof x === 'string' && x.trim() !== '' ? Number(x) : Number.NaN;
  if (!Number.isFinite(n)) throw badAnswer(call, `${field} is not a number`);
  return n;
}

/** Epoch seconds as ms (a number of seconds so large its ms overflow is not a time). */
function epochMs(call: string, field: string, x: unknown): number {
  const ms = num(call, field, x) * 1000;
  if (!Number.isFinite(ms)) throw badAnswer(call, `${field} is not a time`);
  return ms;
}

/** One order's result in a post answer; anything but an object is no result for that order. */
export function orderResult(r: unknown): PostResult {
  if (!isObject(r)) return { ok: false, error: 'no response for this order' };
  const orderId = str(r.orderID) || undefined;
  const status = str(r.status) || undefined;
  if (r.success === true && orderId) return { ok: true, orderId, ...(status ? { status } : {}) };
  return { ok: false, error: str(r.errorMsg) || str(r.error) || 'rejected', ...(orderId ? { orderId } : {}) };
}

/** `POST /orders`: one result per order sent, in order. */
export function postAnswer(data: unknown, sent: number): PostResult[] {
  if (!Array.isArray(data)) throw badAnswer('POST /orders', 'not a list of order results');
  return Array.from({ length: sent }, (_, i) => orderResult(data[i]));
}

/** `DELETE /orders`: the ids cancelled, and why the others were not. */
export function cancelAnswer(data: unknown): { canceled: string[]; notCanceled: Record<string, string> } {
  const call = 'DELETE /orders';
  if (!isObject(data)) throw badAnswer(call, 'not an object');
  const canceled = data.canceled ?? [];
  if (!Array.isArray(canceled) || !canceled.every((id) => typeof id === 'string'))
    throw badAnswer(call, 'canceled is not a list of order ids');
  const notCanceled: Record<string, string> = {};
  const nc = data.not_canceled ?? {};
  if (!isObject(nc)) throw badAnswer(call, 'not_canceled is not an object');
  for (const [id, why] of Object.entries(nc)) notCanceled[id] = typeof why === 'string' ? why : JSON.stringify(why);
  return { canceled: canceled as string[], notCanceled };
}

/** `POST /v1/heartbeats`: the id to send next, or the venue's refusal. */
export function heartbeatAnswer(data: unknown): { heartbeatId?: string; error?: string } {
  if (data === undefined) return {};
  if (!isObject(data)) throw badAnswer('POST /v1/heartbeats', 'not an object');
  const heartbeatId = str(data.heartbeat_id) || undefined;
  const error = str(data.error_msg) || undefined;
  return { ...(heartbeatId ? { heartbeatId } : {}), ...(error ? { error } : {}) };
}

/** `GET /balance-allowance`: the balance in shares (the venue counts in millionths). */
export function balanceAnswer(data: unknown): number {
  const call = 'GET /balance-allowance';
  if (!isObject(data)) throw badAnswer(call, 'not an object');
  return data.balance === undefined ? 0 : num(call, 'balance', data.balance) / 1e6;
}

interface Page<T> {
  readonly items: T[];
  /** Absent: the last page. */
  readonly nextCursor?: string;
}

function page(call: string, data: unknown): { items: unknown[]; nextCursor?: string } {
  if (!isObject(data)) throw badAnswer(call, 'not an object');
  const items = data.data ?? [];
  if (!Array.isArray(items)) throw badAnswer(call, 'data is not a list');
  const next = data.next_cursor;
  if (next !== undefined && next !== null && typeof next !== 'string')
    throw badAnswer(call, 'next_cursor is not a string');
  return { items, ...(next ? { nextCursor: next } : {}) };
}

/** One open order of `GET /data/orders`. */
export function restOrder(o: unknown): RestOrder {
  const call = 'GET /data/orders';
  if (!isObject(o)) throw badAnswer(call, 'an order is not an object');
  const orderId = str(o.id);
  const conditionId = str(o.market);
  const tokenId = str(o.asset_id);
  if (!orderId || !conditionId || !tokenId) throw badAnswer(call, 'an order lacks its id, market or asset_id');
  if (o.side !== 'BUY' && o.side !== 'SELL') throw badAnswer(call, `order ${orderId}: side is not BUY or SELL`);
  return {
    orderId,
    conditionId,
    tokenId,
    side: o.side,
    price: num(call, `order ${orderId}: price`, o.price),
    size: num(call, `order ${orderId}: original_size`, o.original_size),
    sizeMatched: num(call, `order ${orderId}: size_matched`, o.size_matched ?? 0),
    orderType: str(o.order_type) ?? 'GTC',
    tsMs: epochMs(call, `order ${orderId}: created_at`, o.created_at ?? 0),
  };
}

/** A page of `GET /data/orders`: every order well formed, or the page is a bad answer. */
export function openOrdersPage(data: unknown): Page<RestOrder> {
  const p = page('GET /data/orders', data);
  return { ...p, items: p.items.map(restOrder) };
}

/** A page of `GET /data/trades`: the raw trades (each read by the user-channel parser, which skips what it cannot read). */
export function tradesPage(data: unknown): Page<unknown> {
  return page('GET /data/trades', data);
}
