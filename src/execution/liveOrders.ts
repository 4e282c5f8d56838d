// Our live orders as the venue reports them, and the one rule that updates them: the strategy's
// state (per market) and the execution sink (all markets) both apply updates through here.
import type { LiveOrder } from '../domain/index.js';
import type { ClosedOrders } from './closedOrders.js';

export interface OrdersView {
  readonly orders: ReadonlyMap<string, LiveOrder>;
  /** Ids known cancelled or filled: a late, duplicated or reordered update cannot revive them. */
  readonly closed: ClosedOrders;
}

/**
 * An order update applied: a live order is (re)placed, keeping the ladder level we gave it (the
 * venue's reports carry none); a cancelled or matched one leaves and is remembered as closed. The
 * same view when the order is already known closed; otherwise always a new one.
 */
export function applyOrderUpdate(v: OrdersView, o: LiveOrder): OrdersView {
  if (v.closed.has(o.orderId)) return v;
  const orders = new Map(v.orders);
  if (o.status === 'live') {
    const known = orders.get(o.orderId);
    orders.set(o.orderId, known?.level !== undefined && o.level === undefined ? { ...o, level: known.level } : o);
    return { orders, closed: v.closed };
  }
  orders.delete(o.orderId);
  return { orders, closed: v.closed.add(o.orderId) };
}
