// The execution sink against a recording fake exchange: what a freeze-only halt (heartbeat not
// confirmed) lets through, and what a cancelling halt does.
import { describe, expect, it } from 'vitest';
import { Subject, type Subscription } from 'rxjs';
import { executionSink, type SinkInput } from '../../src/sinks/execution/sink.js';
import type { Exchange, PostResult } from '../../src/sinks/execution/exchange.js';
import type { DesiredOrder, DesiredOrderSet, ExecutionEvent } from '../../src/domain/index.js';
import { silentLogger } from '../../src/sinks/logger.js';
import { START, market, testConfig } from '../support/events.js';

interface Calls {
  posts: DesiredOrder[][];
  postTimes: number[];
  cancels: string[][];
  cancelTimes: number[];
  cancelAlls: number;
  takes: number;
}

function fakeExchange(): { exchange: Exchange; calls: Calls } {
  const calls: Calls = { posts: [], postTimes: [], cancels: [], cancelTimes: [], cancelAlls: 0, takes: 0 };
  let next = 1;
  const exchange: Exchange = {
    address: '0xme',
    creds: { key: 'k', secret: 's', passphrase: 'p' },
    async post(orders): Promise<PostResult[]> {
      calls.posts.push([...orders]);
      calls.postTimes.push(performance.now());
      return orders.map(() => ({ ok: true, orderId: `o${next++}`, status: 'live' }));
    },
    async cancel(ids) {
      calls.cancels.push([...ids]);
      calls.cancelTimes.push(performance.now());
      return { canceled: [...ids], notCanceled: {} };
    },
    async cancelAll() {
      calls.cancelAlls += 1;
    },
    async take() {
      calls.takes += 1;
      return { ok: true, orderId: 't1' };
    },
    async heartbeat() {},
    async openOrders() {
      return [];
    },
    async trades() {
      return [];
    },
    async positions(ids) {
      return ids.map(() => 0);
    },
    presignAround() {},
    async close() {},
  };
  return { exchange, calls };
}

const bid = (price: number): DesiredOrder => ({
  outcome: 'up',
  tokenId: market.tokenUp,
  level: 0,
  side: 'BUY',
  price,
  size: 10,
  postOnly: true,
  orderType: 'GTC',
});
const set = (...orders: DesiredOrder[]): DesiredOrderSet => ({
  slug: market.slug,
  conditionId: market.conditionId,
  orders,
  tsMs: START,
});
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

function harness(over: Record<string, unknown> = {}) {
  const { exchange, calls } = fakeExchange();
  const input = new Subject<SinkInput>();
  const out: ExecutionEvent[] = [];
  const cfg = testConfig(over);
  const t0 = performance.now(); // the sink's clock runs in real time from the market's start + 1 s
  const sub: Subscription = input
    .pipe(
      executionSink({ exchange, cfg, clock: () => START + 1_000 + (performance.now() - t0), logger: silentLogger() }),
    )
    .subscribe((e) => out.push(e));
  input.next({ kind: 'market', tsMs: START, market });
  input.next({ kind: 'halt', tsMs: START, reasons: [] });
  return { input, calls, out, stop: () => sub.unsubscribe() };
}

describe('execution sink halts', () => {
  it('frozen (heartbeat unconfirmed): re-prices cancel the old order but post nothing new, nothing is cancelled wholesale; the ack posts', async () => {
    const h = harness();
    h.input.next({ kind: 'decision', tsMs: START, desired: set(bid(0.4)) });
    await settle();
    expect(h.calls.posts).toEqual([[bid(0.4)]]);

    h.input.next({ kind: 'halt', tsMs: START + 1, reasons: ['heartbeat_unconfirmed'] });
    h.input.next({ kind: 'decision', tsMs: START + 2, desired: set(bid(0.38)) });
    h.input.next({
      kind: 'taker',
      tsMs: START + 2,
      intent: {
        conditionId: market.conditionId,
        tokenId: market.tokenDown,
        outcome: 'down',
        side: 'BUY',
        maxPrice: 0.5,
        size: 10,
        amountUsdc: 5,
        orderType: 'FOK',
        reason: 'test',
        tsMs: START + 2,
      },
    });
    await settle();
    expect(h.calls.cancelAlls).toBe(0);
    expect(h.calls.cancels).toEqual([['o1']]);
    expect(h.calls.posts).toHaveLength(1); // no new order while frozen
    expect(h.calls.takes).toBe(0);

    h.input.next({ kind: 'halt', tsMs: START + 3, reasons: [] });
    await settle();
    expect(h.calls.posts).toEqual([[bid(0.4)], [bid(0.38)]]);
    h.stop();
  });

  it('a cancelling halt (heartbeat down) cancels everything, also when it follows a freeze, and posts nothing until cleared', async () => {
    const h = harness();
    h.input.next({ kind: 'decision', tsMs: START, desired: set(bid(0.4)) });
    await settle();
    h.input.next({ kind: 'halt', tsMs: START + 1, reasons: ['heartbeat_unconfirmed'] });
    await settle();
    expect(h.calls.cancelAlls).toBe(0);
    h.input.next({ kind: 'halt', tsMs: START + 2, reasons: ['heartbeat_down'] });
    await settle();
    expect(h.calls.cancelAlls).toBe(1);
    h.input.next({ kind: 'decision', tsMs: START + 3, desired: set(bid(0.41)) });
    await settle();
    expect(h.calls.posts).toHaveLength(1);
    h.input.next({ kind: 'halt', tsMs: START + 4, reasons: [] });
    await settle();
    expect(h.calls.posts).toEqual([[bid(0.4)], [bid(0.41)]]);
    h.stop();
  });
});

const ladder = (base: number): DesiredOrderSet =>
  set(...[0, 1, 2].map((level) => ({ ...bid(base - level / 100), level })));
const until = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
};

describe('execution sink rate limits (per-signer order and cancel buckets)', () => {
  it('each order of a batch takes one order token: a second ladder waits for the refill', async () => {
    const h = harness({
      rateLimit: { ordersPerSecond: 5, orderBurst: 3, cancelsPerSecond: 1_000, cancelBurst: 1_000 },
    });
    h.input.next({ kind: 'decision', tsMs: START, desired: ladder(0.4) }); // 3 orders: the whole burst
    await until(() => h.calls.posts.length === 1);
    h.input.next({ kind: 'decision', tsMs: START + 1, desired: ladder(0.3) });
    await until(() => h.calls.posts.length === 2);
    // One token refills in 200 ms; cancels (their own bucket) did not wait for it.
    expect(h.calls.postTimes[1]! - h.calls.postTimes[0]!).toBeGreaterThanOrEqual(180);
    expect(h.calls.posts[1]).toHaveLength(3);
    h.input.next({ kind: 'decision', tsMs: START + 2, desired: ladder(0.2) });
    await until(() => h.calls.posts.length === 3);
    // The second ladder left a debt of 2: the third waits for 3 tokens (600 ms).
    expect(h.calls.postTimes[2]! - h.calls.postTimes[1]!).toBeGreaterThanOrEqual(550);
    h.stop();
  });

  it('each cancelled ID takes one cancel token, not an order token', async () => {
    const h = harness({
      rateLimit: { ordersPerSecond: 1_000, orderBurst: 1_000, cancelsPerSecond: 5, cancelBurst: 3 },
    });
    h.input.next({ kind: 'decision', tsMs: START, desired: ladder(0.4) });
    await until(() => h.calls.posts.length === 1);
    h.input.next({ kind: 'decision', tsMs: START + 1, desired: ladder(0.3) }); // cancels 3: the cancel burst
    await until(() => h.calls.cancels.length === 1 && h.calls.posts.length === 2);
    h.input.next({ kind: 'decision', tsMs: START + 2, desired: ladder(0.2) });
    await until(() => h.calls.cancels.length === 2);
    expect(h.calls.cancels.map((c) => c.length)).toEqual([3, 3]);
    expect(h.calls.cancelTimes[1]! - h.calls.cancelTimes[0]!).toBeGreaterThanOrEqual(180);
    h.stop();
  });
});

describe('execution sink taker completion', () => {
  it('cancels our bids on both tokens before the taker order, so the pair cannot overshoot', async () => {
    const h = harness();
    const downBid: DesiredOrder = {
      outcome: 'down',
      tokenId: market.tokenDown,
      level: 0,
      side: 'BUY',
      price: 0.3,
      size: 10,
      postOnly: true,
      orderType: 'GTC',
    };
    h.input.next({ kind: 'decision', tsMs: START, desired: set(bid(0.4), downBid) });
    await settle();
    expect(h.calls.posts).toEqual([[bid(0.4), downBid]]);
    h.input.next({
      kind: 'taker',
      tsMs: START + 2,
      intent: {
        conditionId: market.conditionId,
        tokenId: market.tokenDown,
        outcome: 'down',
        side: 'BUY',
        maxPrice: 0.5,
        size: 10,
        amountUsdc: 5,
        orderType: 'FOK',
        reason: 'test',
        tsMs: START + 2,
      },
    });
    await settle();
    expect(h.calls.cancels).toHaveLength(1);
    expect([...h.calls.cancels[0]!].sort()).toEqual(['o1', 'o2']);
    expect(h.calls.takes).toBe(1);
    h.stop();
  });
});
