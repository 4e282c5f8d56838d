// Ids of our orders known closed (cancelled or filled), so that a late, duplicated or reordered
// order event cannot revive them. Retention rule: per holder (each market in the strategy's state,
// the execution sink), at least the last CLOSED_KEPT closed ids are remembered (at most
// CLOSED_KEPT + GENERATION), in generations of GENERATION ids: when the newest is full it joins the
// older ones and the oldest is forgotten. So memory is bounded on a long-running market, and a close
// copies at most one small generation (a set of all closed ids copied per close grew without bound,
// and quadratically in time; two generations of 256 still cost a 256-id copy per close).
// Immutable: an old state keeps the ids it had.
export const CLOSED_KEPT = 256;
const GENERATION = 32;
const FULL_GENERATIONS = CLOSED_KEPT / GENERATION;

export class ClosedOrders {
  static readonly EMPTY = new ClosedOrders(new Set(), []);

  private constructor(
    private readonly recent: ReadonlySet<string>,
    /** Full generations, newest first. */
    private readonly older: readonly ReadonlySet<string>[],
  ) {}

  has(orderId: string): boolean {
    if (this.recent.has(orderId)) return true;
    for (const g of this.older) if (g.has(orderId)) return true;
    return false;
  }

  get size(): number {
    return this.older.reduce((n, g) => n + g.size, this.recent.size);
  }

  /** This set with `orderId` (the same object when it is already known). */
  add(orderId: string): ClosedOrders {
    if (this.has(orderId)) return this;
    if (this.recent.size < GENERATION) return new ClosedOrders(new Set(this.recent).add(orderId), this.older);
    return new ClosedOrders(new Set([orderId]), [this.recent, ...this.older.slice(0, FULL_GENERATIONS - 1)]);
  }
}
