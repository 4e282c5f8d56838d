// Churn rules (pure): which desired-order changes are worth sending. A level keeps its resting
// order when the change is small and the old order is still safe (within its cap and the combined
// target); a small change passes once the level has wanted it for the minimum update interval
// without a break, counted from the first instant after the level's last change (a book flickering
// a tick and back re-posts nothing); a large change or a safety transition (an empty set: cutoff,
// pause, halt) passes at once; an unchanged set is never re-sent.
import type { DesiredOrder, DesiredOrderSet } from '../domain/index.js';
import type { Limits } from './evaluate.js';

export interface ChurnRules {
  readonly minUpdateIntervalMs: number;
  readonly minPriceChangeTicks: number;
  readonly minSizeChange: number;
}

export interface ChurnState {
  /** The last set passed on. */
  readonly sent?: DesiredOrderSet;
  /**
   * When each level last changed, by `levelKey` (up 0, down 0, up 1…): a small change wanted at that
   * same instant starts no wait (the instant's other inputs still move the desired set).
   */
  readonly changedAt: ReadonlyMap<number, number>;
  /** Since when each level has wanted a small change it was not given yet (absent: nothing waits). */
  readonly pendingSince?: ReadonlyMap<number, number>;
}

export const EMPTY_CHURN: ChurnState = { changedAt: new Map() };

/** A level's key: a number, not a string (this runs on every evaluation; building strings cost more than the rule). */
const levelKey = (o: DesiredOrder): number => o.level * 2 + (o.outcome === 'up' ? 0 : 1);
const sameLevel = (a: DesiredOrder, b: DesiredOrder): boolean => a.level === b.level && a.outcome === b.outcome;
const EPS = 1e-9;

function sameOrders(a: readonly DesiredOrder[], b: readonly DesiredOrder[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (!sameLevel(x, y) || !(Math.abs(x.price - y.price) < EPS) || !(Math.abs(x.size - y.size) < EPS)) return false;
  }
  return true;
}

/** The other outcome's order at `o`'s level, if any (the first, as `find` gives). */
function twinOf(orders: readonly DesiredOrder[], o: DesiredOrder): DesiredOrder | undefined {
  for (const x of orders) if (x.level === o.level && x.outcome !== o.outcome) return x;
  return undefined;
}

/** Exactly the same orders, level by level, and every level's pair within the target (the rule below would keep them all). */
function unchanged(a: readonly DesiredOrder[], b: readonly DesiredOrder[], targetTotal: number): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.outcome !== y.outcome || x.level !== y.level || x.price !== y.price || x.size !== y.size) return false;
  }
  for (const o of a) {
    const twin = twinOf(a, o);
    if (twin && o.price + twin.price > targetTotal + EPS) return false;
  }
  return true;
}

/** The last of `orders` at `o`'s level (a set holds one per level). */
function atLevel(orders: readonly DesiredOrder[], o: DesiredOrder): DesiredOrder | undefined {
  for (let i = orders.length - 1; i >= 0; i--) if (sameLevel(orders[i]!, o)) return orders[i];
  return undefined;
}

/** Pick, level by level, the old order or the new one. Returns the set to send, or undefined. */
export function applyChurn(
  state: ChurnState,
  next: DesiredOrderSet,
  limits: Limits,
  tick: number,
  rules: ChurnRules,
): { state: ChurnState; emit?: DesiredOrderSet } {
  const prev = state.sent;
  const now = next.tsMs;
  // Safety transitions and first sets pass at once.
  if (!prev || next.orders.length === 0 || prev.orders.length === 0) {
    if (prev && sameOrders(prev.orders, next.orders) && prev.reason === next.reason) return { state };
    const changedAt = new Map<number, number>();
    for (const o of next.orders) changedAt.set(levelKey(o), now);
    return { state: { sent: next, changedAt }, emit: next };
  }
  // The same set again (most evaluations): nothing to send and nothing waiting; the state as it was
  // (not a copy) unless this ends a wait (the level came back to its resting order).
  if (prev.reason === next.reason && unchanged(prev.orders, next.orders, limits.targetTotal))
    return { state: state.pendingSince?.size ? { sent: prev, changedAt: state.changedAt } : state };
  const changedAt = new Map(state.changedAt);
  const pendingSince = new Map<number, number>();
  const chosen: DesiredOrder[] = next.orders.map((o) => {
    const was = atLevel(prev.orders, o);
    if (!was) {
      changedAt.set(levelKey(o), now);
      return o;
    }
    const dPrice = Math.abs(o.price - was.price);
    const dSize = Math.abs(o.size - was.size);
    if (dPrice < EPS && dSize < EPS) return was;
    const large = dPrice >= rules.minPriceChangeTicks * tick - EPS || dSize >= rules.minSizeChange - EPS;
    const key = levelKey(o);
    const since = state.pendingSince?.get(key) ?? now;
    // A resting price above its cap is unsafe; one above the new price but within its cap still has
    // the edge the cap demands, and waits like any other small change.
    const cap = o.outcome === 'up' ? limits.capUp : limits.capDown;
    if (large || now - since >= rules.minUpdateIntervalMs || was.price > cap + EPS) {
      changedAt.set(key, now);
      return o;
    }
    // The wait starts at the first instant after the level's last change (not at the instant its
    // order was just sent, when the same instant's other inputs still move the desired set).
    if (changedAt.get(key) !== now) pendingSince.set(key, since);
    return was;
  });
  // Levels kept from before must still respect the combined target pairwise.
  const fixed = chosen.map((o) => {
    const twin = twinOf(chosen, o);
    if (!twin || o.price + twin.price <= limits.targetTotal + EPS) return o;
    changedAt.set(levelKey(o), now);
    pendingSince.delete(levelKey(o));
    return next.orders.find((x) => sameLevel(x, o))!;
  });
  for (const k of changedAt.keys()) if (!fixed.some((o) => levelKey(o) === k)) changedAt.delete(k);
  if (sameOrders(prev.orders, fixed) && prev.reason === next.reason)
    return { state: { sent: prev, changedAt, pendingSince } };
  const candidate: DesiredOrderSet = { ...next, orders: fixed };
  return { state: { sent: candidate, changedAt, pendingSince }, emit: candidate };
}
