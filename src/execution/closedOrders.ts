// Ids of our orders known closed (cancelled or filled), so that a late, duplicated or reordered
// order event cannot revive them. Retention rule: per holder (each market in the strategy's state,
// the execution sink), the last CLOSED_KEPT to 2 × CLOSED_KEPT closed ids are remembered, in two generations; when the newer one is full it
// becomes the older and the older is forgotten. So memory is bounded on a long-running market and a
// close copies at most one generation (a set of all closed ids copied per close grew without bound,
// and quadratically in time). Immutable: an old state keeps the ids it had.
export const CLOSED_KEPT = 256;

export class ClosedOrders {
  static readonly EMPTY = new ClosedOrders(new Set(), new Set());

  private constructor(
    private readonly recent: ReadonlySet<string>,
    private readonly older: ReadonlySet<string>,
  ) {}

  has(orderId: string): boolean {
    return this.recent.has(orderId) || this.older.has(orderId);
  }

  get size(): number {
    return this.recent.size + this.older.size;
  }

  /** This set with `orderId` (the same object when it is already known). */
  add(orderId: string): ClosedOrders {
    if (this.has(orderId)) return this;
    if (this.recent.size < CLOSED_KEPT) return new ClosedOrders(new Set(this.recent).add(orderId), this.older);
    return new ClosedOrders(new Set([orderId]), this.recent);
  }
}
