// Desired vs live orders (pure): what to cancel and what to create, keyed by (token, level).
// The desired set already passed the churn rules, so a level whose resting order has the desired
// price and (nearly) the desired remaining size is kept; anything else is replaced; live orders
// matching no level are cancelled. Cancels always go before creates.
import type { DesiredOrder, DesiredOrderSet, LiveOrder } from '../domain/index.js';

export interface OrderPlan {
  readonly cancels: readonly string[];
  readonly creates: readonly DesiredOrder[];
  /** Live orders kept, with the level they now stand for. */
  readonly keep: ReadonlyMap<string, number>;
}

const EPS = 1e-9;
const keyOf = (outcome: string, level: number): string => `${outcome}:${level}`;

export function diffOrders(desired: DesiredOrderSet, live: readonly LiveOrder[], minSizeChange: number): OrderPlan {
  const byKey = new Map<string, LiveOrder[]>();
  const unlevelled: LiveOrder[] = [];
  for (const o of live) {
    if (o.level === undefined) unlevelled.push(o);
    else byKey.set(keyOf(o.outcome, o.level), [...(byKey.get(keyOf(o.outcome, o.level)) ?? []), o]);
  }
  const cancels: string[] = [];
  const creates: DesiredOrder[] = [];
  const keep = new Map<string, number>();
  const fits = (o: LiveOrder, d: DesiredOrder): boolean =>
    o.tokenId === d.tokenId &&
    o.side === d.side &&
    Math.abs(o.price - d.price) < EPS &&
    Math.abs(o.size - o.sizeMatched - d.size) < Math.max(minSizeChange, EPS);
  for (const d of desired.orders) {
    const k = keyOf(d.outcome, d.level);
    const candidates = byKey.get(k) ?? [];
    byKey.delete(k);
    let kept = candidates.find((o) => fits(o, d));
    if (!kept) {
      const i = unlevelled.findIndex((o) => fits(o, d));
      if (i >= 0) kept = unlevelled.splice(i, 1)[0];
    }
    for (const o of candidates) if (o !== kept) cancels.push(o.orderId);
    if (kept) keep.set(kept.orderId, d.level);
    else creates.push(d);
  }
  for (const rest of byKey.values()) for (const o of rest) cancels.push(o.orderId);
  for (const o of unlevelled) cancels.push(o.orderId);
  return { cancels, creates, keep };
}

/** Split into batches of at most `n` (the venue takes up to 15 orders per POST /orders). */
export function batches<T>(items: readonly T[], n = 15): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
}
