// REFERENCE (tests only): the churn rules in their plain form, string keys and lookups by `find`, as
// before commit 774ef3d made them numbers and loops (the rule itself as src/strategy/churn.ts has it
// now). test/strategy/churnReference.test.ts checks src/strategy/churn.ts against it on random sets.
import type { DesiredOrder, DesiredOrderSet } from '../../../src/domain/index.js';
import type { Limits } from '../../../src/strategy/evaluate.js';

export interface ChurnRules {
  readonly minUpdateIntervalMs: number;
  readonly minPriceChangeTicks: number;
  readonly minSizeChange: number;
}

export interface ChurnState {
  /** The last set passed on. */
  readonly sent?: DesiredOrderSet;
  /** When each level (`up:0`, `down:2`…) last changed. */
  readonly changedAt: ReadonlyMap<string, number>;
  /** Since when each level has wanted a small change it was not given. */
  readonly pendingSince?: ReadonlyMap<string, number>;
}

export const EMPTY_CHURN: ChurnState = { changedAt: new Map() };

const keyOf = (o: DesiredOrder): string => `${o.outcome}:${o.level}`;
const EPS = 1e-9;

function sameOrders(a: readonly DesiredOrder[], b: readonly DesiredOrder[]): boolean {
  return (
    a.length === b.length &&
    a.every((o, i) => {
      const p = b[i]!;
      return keyOf(o) === keyOf(p) && Math.abs(o.price - p.price) < EPS && Math.abs(o.size - p.size) < EPS;
    })
  );
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
    const twin = a.find((x) => x.level === o.level && x.outcome !== o.outcome);
    if (twin && o.price + twin.price > targetTotal + EPS) return false;
  }
  return true;
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
    const changedAt = new Map(next.orders.map((o) => [keyOf(o), now]));
    return { state: { sent: next, changedAt }, emit: next };
  }
  // The same set again (most evaluations): nothing to send, the state as it was (not a copy).
  if (prev.reason === next.reason && unchanged(prev.orders, next.orders, limits.targetTotal))
    return { state: state.pendingSince?.size ? { sent: prev, changedAt: state.changedAt } : state };
  const old = new Map(prev.orders.map((o) => [keyOf(o), o]));
  const changedAt = new Map(state.changedAt);
  const pendingSince = new Map<string, number>();
  const chosen: DesiredOrder[] = next.orders.map((o) => {
    const was = old.get(keyOf(o));
    if (!was) {
      changedAt.set(keyOf(o), now);
      return o;
    }
    const dPrice = Math.abs(o.price - was.price);
    const dSize = Math.abs(o.size - was.size);
    if (dPrice < EPS && dSize < EPS) return was;
    const large = dPrice >= rules.minPriceChangeTicks * tick - EPS || dSize >= rules.minSizeChange - EPS;
    const since = state.pendingSince?.get(keyOf(o)) ?? now;
    const waited = now - since >= rules.minUpdateIntervalMs;
    const cap = o.outcome === 'up' ? limits.capUp : limits.capDown;
    const oldSafe = was.price <= cap + EPS;
    if (large || waited || !oldSafe) {
      changedAt.set(keyOf(o), now);
      return o;
    }
    if (changedAt.get(keyOf(o)) !== now) pendingSince.set(keyOf(o), since);
    return was;
  });
  // Levels kept from before must still respect the combined target pairwise.
  const fixed = chosen.map((o) => {
    const twin = chosen.find((x) => x.level === o.level && x.outcome !== o.outcome);
    if (!twin || o.price + twin.price <= limits.targetTotal + EPS) return o;
    const fresh = next.orders.find((x) => keyOf(x) === keyOf(o))!;
    changedAt.set(keyOf(o), now);
    pendingSince.delete(keyOf(o));
    return fresh;
  });
  for (const k of changedAt.keys()) if (!fixed.some((o) => keyOf(o) === k)) changedAt.delete(k);
  const candidate: DesiredOrderSet = { ...next, orders: fixed };
  if (sameOrders(prev.orders, fixed) && prev.reason === next.reason)
    return { state: { sent: prev, changedAt, pendingSince } };
  return { state: { sent: candidate, changedAt, pendingSince }, emit: candidate };
}
