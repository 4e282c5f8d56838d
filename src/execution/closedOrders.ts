// Ids of our orders known closed (cancelled or filled), so that a late, duplicated or reordered
// order event cannot revive them. Retention rule: per holder (each market in the strategy's state,
// the execution sink), exactly the last CLOSED_KEPT closed ids are remembered, so memory is bounded
// on a long-running market. Immutable: an old state keeps the ids it had.
//
// A set is a window over a log that its versions share: each id closed is numbered in closing
// order, and a set of `count` ids sees those numbered in [count - CLOSED_KEPT, count). The newest
// version of a log appends in place (one Map write, one lookup per `has`); any other version, or
// a log grown to twice the window, starts a new log with its own window copied (at most
// CLOSED_KEPT entries, once in CLOSED_KEPT closes on a straight run). Two earlier layouts: a set of
// all closed ids copied per close (grew without bound, quadratic in time), then generations of 32
// (up to nine Set lookups per `has`, a 32-id copy per close).
export const CLOSED_KEPT = 256;

interface Log {
  /** Each id's number in closing order. */
  readonly seq: Map<string, number>;
  /** Ids numbered so far: the count of the log's newest version. */
  count: number;
}

export class ClosedOrders {
  static readonly EMPTY = new ClosedOrders({ seq: new Map(), count: 0 }, 0);

  private constructor(
    private readonly log: Log,
    private readonly count: number,
  ) {}

  has(orderId: string): boolean {
    const n = this.log.seq.get(orderId);
    return n !== undefined && n < this.count && n >= this.count - CLOSED_KEPT;
  }

  get size(): number {
    return Math.min(this.count, CLOSED_KEPT);
  }

  /** This set with `orderId` (the same object when it is already known). */
  add(orderId: string): ClosedOrders {
    if (this.has(orderId)) return this;
    const { log, count } = this;
    // In place only as the log's newest version and for an id the log never numbered (a forgotten
    // one may still be in an older version's window): no other version sees the change.
    if (log.count === count && !log.seq.has(orderId) && log.seq.size < 2 * CLOSED_KEPT) {
      log.seq.set(orderId, count);
      log.count = count + 1;
      return new ClosedOrders(log, count + 1);
    }
    const seq = new Map<string, number>();
    for (const [id, n] of log.seq) if (n < count && n >= count - CLOSED_KEPT) seq.set(id, n);
    seq.set(orderId, count);
    return new ClosedOrders({ seq, count: count + 1 }, count + 1);
  }
}
