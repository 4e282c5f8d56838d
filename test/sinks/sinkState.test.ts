// The execution sink's state fold (pure): adoption of orders found at start, the order facts, the
// rate-limit buckets' answers (429 with Retry-After, 425 / 503 back-offs, success forgives) and the
// dead-man fallback's deadline.
import { describe, expect, it } from 'vitest';
import {
  capacityWaitMs,
  initialSinkState,
  MAX_CUTOFF_MARGIN_MS,
  reduceSink,
  type SinkFact,
  type SinkRules,
  type SinkState,
} from '../../src/sinks/execution/sinkState.js';
import type { RestOrder } from '../../src/sinks/execution/exchange.js';
import type { LiveOrder } from '../../src/domain/index.js';
import { START, liveOrder, market } from '../support/events.js';

const rules: SinkRules = {
  limits: { order: { ratePerS: 10, burst: 10 }, cancel: { ratePerS: 10, burst: 10 } },
  cancelDeadlineMs: 30_000,
};
const fold = (facts: readonly SinkFact[], s: SinkState = initialSinkState(rules, START)): SinkState =>
  facts.reduce((acc, f) => reduceSink(acc, f, rules), s);
const rest = (orderId: string, tokenId: string, conditionId = market.conditionId): RestOrder => ({
  orderId,
  conditionId,
  tokenId,
  side: 'BUY',
  price: 0.4,
  size: 10,
  sizeMatched: 0,
  orderType: 'GTC',
  tsMs: START,
});
const live = (orderId: string, over: Partial<LiveOrder> = {}): LiveOrder => liveOrder(orderId, { level: 0, ...over });

describe('execution sink state', () => {
  it('orders found at start are adopted once their market is known, if they are one of its tokens', () => {
    const s0 = initialSinkState(rules, START, [
      rest('a', market.tokenUp),
      rest('b', 'OTHER'),
      rest('c', 'X', '0xother'),
    ]);
    const s = fold([{ kind: 'market', market }], s0);
    expect([...s.orders.keys()]).toEqual(['a']);
    expect(s.pendingAdopt.map((o) => o.orderId)).toEqual(['c']);
  });

  it("the market channel's tick size change moves the market's tick (orders are signed on it); a later Gamma market event sets Gamma's", () => {
    let s = fold([{ kind: 'market', market }]);
    s = fold([{ kind: 'tickSize', conditionId: market.conditionId, tickSize: 0.001 }], s);
    expect(s.markets.get(market.conditionId)?.tickSize).toBe(0.001);
    expect(fold([{ kind: 'tickSize', conditionId: '0xother', tickSize: 0.001 }], s)).toBe(s); // an unknown market
    expect(fold([{ kind: 'tickSize', conditionId: market.conditionId, tickSize: 0.001 }], s)).toBe(s);
    s = fold([{ kind: 'market', market }], s);
    expect(s.markets.get(market.conditionId)?.tickSize).toBe(market.tickSize);
  });

  it('an order report keeps the level we gave it; a non-live one removes it; gone forgets', () => {
    let s = fold([{ kind: 'posted', order: live('o1', { level: 2 }) }]);
    s = fold([{ kind: 'order', order: live('o1', { level: undefined, sizeMatched: 3 }) }], s);
    expect(s.orders.get('o1')).toMatchObject({ level: 2, sizeMatched: 3 });
    s = fold([{ kind: 'order', order: live('o1', { status: 'matched' }) }], s);
    expect(s.orders.has('o1')).toBe(false);
    s = fold(
      [
        { kind: 'posted', order: live('o2') },
        { kind: 'posted', order: live('o3') },
        { kind: 'gone', orderIds: ['o2', 'nope'] },
      ],
      s,
    );
    expect([...s.orders.keys()]).toEqual(['o3']);
  });

  it('a 429 blocks the bucket for Retry-After, else the back-off; the unavailable (425, 503, 5xx) back off; a refused order does not; a success forgives', () => {
    const at = START + 1_000;
    let s = fold([
      {
        kind: 'answered',
        bucket: 'order',
        atMs: at,
        ok: false,
        failure: 'rate_limited',
        pacing: { retryAfterMs: 5_000 },
      },
    ]);
    expect(s.buckets.order.blockedUntilMs).toBe(at + 5_000);
    expect(capacityWaitMs(s, at + 1_000, rules)).toBe(4_000);
    s = fold([{ kind: 'answered', bucket: 'order', atMs: at, ok: false, failure: 'rate_limited' }], s);
    expect(s.buckets.order.blockedUntilMs).toBe(at + 2_000); // the second penalty: 2 s
    s = fold(
      [
        { kind: 'answered', bucket: 'cancel', atMs: at, ok: false, failure: 'unavailable' },
        { kind: 'answered', bucket: 'cancel', atMs: at, ok: false, failure: 'unavailable' },
      ],
      s,
    );
    expect(s.buckets.cancel.penalties).toBe(2);
    const before = s.buckets.cancel;
    expect(
      fold([{ kind: 'answered', bucket: 'cancel', atMs: at, ok: false, failure: 'rejected' }], s).buckets.cancel,
    ).toBe(before);
    expect(fold([{ kind: 'answered', bucket: 'order', atMs: at, ok: true }], s).buckets.order.penalties).toBe(0);
  });

  it('a failing cancel-all turns the dead-man fallback on at the deadline; a success clears it and every order', () => {
    let s = fold([
      { kind: 'posted', order: live('o1') },
      { kind: 'cancelAllFailed', atMs: START },
      { kind: 'cancelAllFailed', atMs: START + 29_999 },
    ]);
    expect(s.deadman).toBe(false);
    s = fold([{ kind: 'cancelAllFailed', atMs: START + 30_000 }], s);
    expect(s.deadman).toBe(true);
    s = fold([{ kind: 'allCancelled' }], s);
    expect(s).toMatchObject({ deadman: false, cancelAllFailingSinceMs: undefined });
    expect(s.orders.size).toBe(0);
  });

  it('a cancel or fill reported by the user channel is final: neither a late live report nor a slow post answer revives it', () => {
    const { level: _none, ...reported } = live('a');
    const s = fold([
      { kind: 'posted', order: live('a', { level: 2 }) },
      { kind: 'order', order: { ...reported, sizeMatched: 3 } },
    ]);
    // The venue's report carries no ladder level: ours stays.
    expect(s.orders.get('a')).toMatchObject({ level: 2, sizeMatched: 3 });
    const gone = fold([{ kind: 'order', order: live('a', { status: 'cancelled' }) }], s);
    expect(gone.orders.has('a')).toBe(false);
    const late = fold([{ kind: 'order', order: live('a') }], gone);
    expect(late.orders.has('a')).toBe(false);
    // A fill reported before the post's own answer came back (a slow REST answer under load).
    const raced = fold([
      { kind: 'order', order: live('b', { status: 'matched', sizeMatched: 10 }) },
      { kind: 'posted', order: live('b') },
    ]);
    expect(raced.orders.has('b')).toBe(false);
  });

  it("keeps the recent worst post round trip, capped, as the cutoff's margin, halving with each later post", () => {
    expect(fold([{ kind: 'postRoundTrip', ms: 320 }]).postRoundTripMs).toBe(320);
    expect(fold([{ kind: 'postRoundTrip', ms: 60_000 }]).postRoundTripMs).toBe(MAX_CUTOFF_MARGIN_MS);
    expect(
      fold([
        { kind: 'postRoundTrip', ms: 60_000 },
        { kind: 'postRoundTrip', ms: 150 },
      ]).postRoundTripMs,
    ).toBe(MAX_CUTOFF_MARGIN_MS / 2);
    expect(
      fold([
        { kind: 'postRoundTrip', ms: 2_000 },
        { kind: 'postRoundTrip', ms: 100 },
        { kind: 'postRoundTrip', ms: 100 },
        { kind: 'postRoundTrip', ms: 100 },
        { kind: 'postRoundTrip', ms: 300 },
      ]).postRoundTripMs,
    ).toBe(300);
  });
});
