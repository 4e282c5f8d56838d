// The execution sink's state, as a fold (pure): what orders we have live, the markets and their
// latest desired sets, the halts in force, the two rate-limit buckets, and whether the sink is
// closing. The sink changes it only by applying a fact here, in one place, whether the fact is an
// input (market, order, decision, halt) or the answer to an exchange call.
import type { GlobalHalt } from '../../domain/halts.js';
import type { DesiredOrderSet, LiveOrder, MarketIdentity } from '../../domain/index.js';
import { withEntry, without } from '../../domain/maps.js';
import {
  afterFailure,
  forgive,
  newBucket,
  observePacing,
  takeTokens,
  type Bucket,
  type BucketParams,
  type VenuePacing,
} from '../../execution/rateLimit.js';
import type { RestOrder } from './exchange.js';
import { liveOrderOf } from './liveOrder.js';
import { ClosedOrders } from '../../execution/closedOrders.js';
import { applyOrderUpdate } from '../../execution/liveOrders.js';

/** Polymarket's two per-signer buckets. */
export type BucketKind = 'order' | 'cancel';

export interface SinkRules {
  readonly limits: Readonly<Record<BucketKind, BucketParams>>;
  /** A halt's cancel-all unconfirmed this long: fall back on the exchange's dead-man switch. */
  readonly cancelDeadlineMs: number;
}

export interface SinkState {
  readonly orders: ReadonlyMap<string, LiveOrder>;
  /** Ids the user channel reported cancelled or filled: a late report or a slow post's answer cannot revive them. */
  readonly closed: ClosedOrders;
  readonly markets: ReadonlyMap<string, MarketIdentity>;
  readonly desired: ReadonlyMap<string, DesiredOrderSet>;
  /** Orders found open at start, adopted once their market is known. */
  readonly pendingAdopt: readonly RestOrder[];
  readonly halts: readonly GlobalHalt[];
  /** The halts have cleared at least once: a halt before that is the start's (feeds not up yet), not news. */
  readonly everClear: boolean;
  readonly buckets: Readonly<Record<BucketKind, Bucket>>;
  /** The input completed (shutdown) or the sink was unsubscribed: no order is created, ever. */
  readonly closing: boolean;
  /**
   * The recent worst post round trip (capped): a post sent later than this before the cutoff may land after it.
   * A spike is remembered, halving with each later post, so one fast answer does not undo it.
   */
  readonly postRoundTripMs: number;
  readonly cancelAllFailingSinceMs?: number;
  /** The cancel-all stayed unconfirmed past the deadline: heartbeats are stopped meanwhile. */
  readonly deadman: boolean;
}

export type SinkFact =
  | { readonly kind: 'market'; readonly market: MarketIdentity }
  /** The market channel's tick_size_change: orders are signed on the new grid (as the strategy prices on it). */
  | { readonly kind: 'tickSize'; readonly conditionId: string; readonly tickSize: number }
  | { readonly kind: 'order'; readonly order: LiveOrder }
  | { readonly kind: 'desired'; readonly desired: DesiredOrderSet }
  | { readonly kind: 'halts'; readonly reasons: readonly GlobalHalt[] }
  | { readonly kind: 'levels'; readonly keep: ReadonlyMap<string, number> }
  | { readonly kind: 'spent'; readonly bucket: BucketKind; readonly n: number; readonly atMs: number }
  /** An exchange call's answer: a success resets the back-off; a typed failure (its kind) paces the bucket; the venue's headers correct our count. */
  | {
      readonly kind: 'answered';
      readonly bucket: BucketKind;
      readonly atMs: number;
      readonly ok: boolean;
      readonly failure?: string | undefined;
      readonly pacing?: VenuePacing | undefined;
    }
  | { readonly kind: 'posted'; readonly order: LiveOrder }
  | { readonly kind: 'postRoundTrip'; readonly ms: number }
  | { readonly kind: 'gone'; readonly orderIds: readonly string[] }
  | { readonly kind: 'allCancelled' }
  | { readonly kind: 'cancelAllFailed'; readonly atMs: number }
  | { readonly kind: 'closing' };

export function initialSinkState(rules: SinkRules, nowMs: number, adopted: readonly RestOrder[] = []): SinkState {
  return {
    orders: new Map(),
    closed: ClosedOrders.EMPTY,
    markets: new Map(),
    desired: new Map(),
    pendingAdopt: adopted,
    halts: [],
    everClear: false,
    buckets: { order: newBucket(rules.limits.order, nowMs), cancel: newBucket(rules.limits.cancel, nowMs) },
    closing: false,
    postRoundTripMs: 0,
    deadman: false,
  };
}

/** The most the cutoff is brought forward by a slow venue. */
export const MAX_CUTOFF_MARGIN_MS = 5_000;

function answered(b: Bucket, f: Extract<SinkFact, { kind: 'answered' }>, p: BucketParams): Bucket {
  if (f.ok) return observePacing(forgive(b), f.pacing, f.atMs, p);
  // 429 / 425 / 503 / 5xx: the venue's Retry-After, else our exponential back-off (rateLimit.ts).
  return f.failure === undefined ? b : afterFailure(b, f.failure, f.pacing, f.atMs, p);
}

export function reduceSink(s: SinkState, f: SinkFact, rules: SinkRules): SinkState {
  switch (f.kind) {
    case 'market': {
      const mine = s.pendingAdopt.filter((o) => o.conditionId === f.market.conditionId);
      let orders = s.orders;
      for (const o of mine) {
        const live = liveOrderOf(o, f.market);
        if (live) orders = withEntry(orders, o.orderId, live);
      }
      return {
        ...s,
        markets: withEntry(s.markets, f.market.conditionId, f.market),
        orders,
        pendingAdopt: mine.length ? s.pendingAdopt.filter((o) => !mine.includes(o)) : s.pendingAdopt,
      };
    }
    case 'tickSize': {
      const m = s.markets.get(f.conditionId);
      return !m || m.tickSize === f.tickSize
        ? s
        : { ...s, markets: withEntry(s.markets, f.conditionId, { ...m, tickSize: f.tickSize }) };
    }
    case 'order': {
      const v = applyOrderUpdate(s, f.order);
      return v === s ? s : { ...s, orders: v.orders, closed: v.closed };
    }
    case 'desired':
      return { ...s, desired: withEntry(s.desired, f.desired.conditionId, f.desired) };
    case 'halts':
      return { ...s, halts: f.reasons, everClear: s.everClear || f.reasons.length === 0 };
    case 'levels': {
      let orders = s.orders;
      for (const [oid, level] of f.keep) {
        const o = orders.get(oid);
        if (o && o.level !== level) orders = withEntry(orders, oid, { ...o, level });
      }
      return orders === s.orders ? s : { ...s, orders };
    }
    case 'spent':
      return {
        ...s,
        buckets: {
          ...s.buckets,
          [f.bucket]: takeTokens(s.buckets[f.bucket], f.n, f.atMs, rules.limits[f.bucket]).bucket,
        },
      };
    case 'answered':
      return { ...s, buckets: { ...s.buckets, [f.bucket]: answered(s.buckets[f.bucket], f, rules.limits[f.bucket]) } };
    case 'posted': {
      // The user channel may have reported it first: a fill or cancel seen already stays.
      if (s.closed.has(f.order.orderId)) return s;
      const known = s.orders.get(f.order.orderId);
      return {
        ...s,
        orders: withEntry(s.orders, f.order.orderId, {
          ...f.order,
          sizeMatched: known?.sizeMatched ?? f.order.sizeMatched,
        }),
      };
    }
    case 'postRoundTrip':
      return { ...s, postRoundTripMs: Math.min(MAX_CUTOFF_MARGIN_MS, Math.max(0, f.ms, s.postRoundTripMs / 2)) };
    case 'gone':
      return { ...s, orders: without(s.orders, f.orderIds) };
    case 'allCancelled':
      return { ...s, orders: new Map(), cancelAllFailingSinceMs: undefined, deadman: false };
    case 'cancelAllFailed': {
      const since = s.cancelAllFailingSinceMs ?? f.atMs;
      return { ...s, cancelAllFailingSinceMs: since, deadman: s.deadman || f.atMs - since >= rules.cancelDeadlineMs };
    }
    case 'closing':
      return s.closing ? s : { ...s, closing: true };
  }
}

/** How long before one more of each bucket's tokens is there (0 = now). */
export function capacityWaitMs(s: SinkState, nowMs: number, rules: SinkRules): number {
  return Math.max(
    takeTokens(s.buckets.order, 1, nowMs, rules.limits.order).waitMs,
    takeTokens(s.buckets.cancel, 1, nowMs, rules.limits.cancel).waitMs,
  );
}

/** Tokens left in each bucket now (for metrics). */
export const tokensLeft = (s: SinkState, nowMs: number, rules: SinkRules): Record<BucketKind, number> => ({
  order: takeTokens(s.buckets.order, 0, nowMs, rules.limits.order).bucket.tokens,
  cancel: takeTokens(s.buckets.cancel, 0, nowMs, rules.limits.cancel).bucket.tokens,
});
