// The execution sink in virtual time (the backtest's VirtualClock): every wait is a scheduler timer
// and every exchange call answers after a virtual latency, so the timings below are exact and no
// test depends on the wall clock. Covers: the latest desired set wins, cancels before creates,
// rate-limit waits, 429 back-off, retries, halts, and nothing posted after stop.
import { describe, expect, it } from 'vitest';
import { Subject } from 'rxjs';
import { executionSink, type SinkInput } from '../../src/sinks/execution/sink.js';
import { ExchangeError, type Exchange, type PostResult } from '../../src/sinks/execution/exchange.js';
import type { DesiredOrder, DesiredOrderSet, ExecutionEvent, TakerIntent } from '../../src/domain/index.js';
import { silentLogger } from '../../src/sinks/logger.js';
import { drainMicrotasks, VirtualClock } from '../../src/backtest/virtualTime.js';
import { START, market, testConfig } from '../support/events.js';

const T0 = START + 1_000;
const LATENCY = 100;
type Call = { at: number; what: string };

function harness(over: Record<string, unknown> = {}) {
  const clock = new VirtualClock(T0);
  const calls: Call[] = [];
  /** Failures to answer the next posts with (then success). */
  const postFailures: Error[] = [];
  let next = 1;
  const answer = <T>(what: string, f: () => T): Promise<T> => {
    calls.push({ at: clock.now(), what });
    return new Promise<T>(
      (resolve, reject) =>
        void clock.schedule(() => {
          try {
            resolve(f());
          } catch (err) {
            reject(err as Error);
          }
        }, LATENCY),
    );
  };
  const exchange: Exchange = {
    address: '0xme',
    creds: { key: 'k', secret: 's', passphrase: 'p' },
    post: (orders) =>
      answer(`post ${orders.map((o) => o.price).join(',')}`, (): PostResult[] => {
        const failure = postFailures.shift();
        if (failure) throw failure;
        return orders.map(() => ({ ok: true, orderId: `o${next++}`, status: 'live' }));
      }),
    cancel: (ids) => answer(`cancel ${ids.join(',')}`, () => ({ canceled: [...ids], notCanceled: {} })),
    cancelAll: () => answer('cancelAll', () => undefined),
    take: (intent) => answer(`take ${intent.maxPrice}`, () => ({ ok: true, orderId: `t${next++}` })),
    heartbeat: async () => undefined,
    openOrders: async () => [],
    trades: async () => [],
    positions: async (ids) => ids.map(() => 0),
    presignAround: () => undefined,
    close: async () => undefined,
  };
  const input = new Subject<SinkInput>();
  const out: ExecutionEvent[] = [];
  let completed = false;
  const sub = input
    .pipe(
      executionSink({
        exchange,
        cfg: testConfig(over),
        clock: () => clock.now(),
        logger: silentLogger(),
        scheduler: clock,
      }),
    )
    .subscribe({ next: (e) => out.push(e), complete: () => (completed = true) });
  /** Move virtual time forward by `ms`, letting promise continuations run at each instant. */
  const advance = async (ms: number): Promise<void> => {
    const until = clock.now() + ms;
    for (;;) {
      await drainMicrotasks();
      const due = clock.nextDueMs();
      if (due === undefined || due > until) break;
      clock.runUntil(due);
    }
    clock.runUntil(until);
    await drainMicrotasks();
  };
  const send = async (ev: SinkInput): Promise<void> => {
    input.next(ev);
    await drainMicrotasks();
  };
  const posts = (): Call[] => calls.filter((c) => c.what.startsWith('post') || c.what.startsWith('take'));
  return { clock, calls, postFailures, input, out, sub, advance, send, posts, completed: () => completed };
}

const bid = (price: number, level = 0): DesiredOrder => ({
  outcome: 'up',
  tokenId: market.tokenUp,
  level,
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
const ladder = (base: number): DesiredOrderSet =>
  set(...[0, 1, 2].map((level) => bid(Math.round((base - level / 100) * 100) / 100, level)));
const decision = (desired: DesiredOrderSet): SinkInput => ({ kind: 'decision', tsMs: START, desired });
const taker = (maxPrice: number): SinkInput => {
  const intent: TakerIntent = {
    conditionId: market.conditionId,
    tokenId: market.tokenDown,
    outcome: 'down',
    side: 'BUY',
    maxPrice,
    size: 10,
    amountUsdc: 10 * maxPrice,
    orderType: 'FOK',
    reason: 'test',
    tsMs: START,
  };
  return { kind: 'taker', tsMs: START, intent };
};

async function started(over: Record<string, unknown> = {}) {
  const h = harness(over);
  await h.send({ kind: 'market', tsMs: START, market });
  await h.send({ kind: 'halt', tsMs: START, reasons: [] });
  return h;
}

describe('execution sink in virtual time', () => {
  it('the latest desired set wins: sets arriving during a batch are superseded, the last one is sent after it', async () => {
    const h = await started();
    await h.send(decision(set(bid(0.4))));
    await h.send(decision(set(bid(0.41))));
    await h.send(decision(set(bid(0.42))));
    await h.advance(1_000);
    expect(h.calls).toEqual([
      { at: T0, what: 'post 0.4' },
      { at: T0 + LATENCY, what: 'cancel o1' },
      { at: T0 + 2 * LATENCY, what: 'post 0.42' },
    ]);
  });

  it('cancels go before creates, and the create waits for the cancel answer', async () => {
    const h = await started();
    await h.send(decision(ladder(0.4)));
    await h.advance(1_000);
    await h.send(decision(ladder(0.3)));
    await h.advance(1_000);
    expect(h.calls.map((c) => [c.at - T0, c.what])).toEqual([
      [0, 'post 0.4,0.39,0.38'],
      [1_000, 'cancel o1,o2,o3'],
      [1_000 + LATENCY, 'post 0.3,0.29,0.28'],
    ]);
  });

  it('rate limit: a ladder beyond the order burst waits for the refill, to the millisecond', async () => {
    const h = await started({
      rateLimit: { ordersPerSecond: 5, orderBurst: 3, cancelsPerSecond: 1_000, cancelBurst: 1_000 },
    });
    await h.send(decision(ladder(0.4)));
    await h.advance(LATENCY);
    await h.send(decision(ladder(0.3)));
    await h.advance(2_000);
    // The first ladder took the whole burst at T0. At T0 + 100 half a token has refilled (5/s):
    // the sink waits 100 ms for a whole one before planning, cancels (their own bucket, no wait),
    // and posts when the cancel answer is back, at T0 + 300.
    expect(h.posts().map((c) => c.at - T0)).toEqual([0, LATENCY + 100 + LATENCY]);
  });

  it('a 429 blocks the order bucket for the back-off (1 s), then the same set is retried', async () => {
    const h = await started();
    h.postFailures.push(new ExchangeError('HTTP 429: too many requests', 429));
    await h.send(decision(set(bid(0.4))));
    await h.advance(5_000);
    // Failed at T0 + 100: the retry kick comes 1 s later and waits out the rest of the back-off.
    expect(h.posts().map((c) => c.at - T0)).toEqual([0, LATENCY + 1_000]);
    expect(h.out.filter((e) => e.action === 'post').map((e) => e.ok)).toEqual([false, true]);
  });

  it('a failed batch (HTTP 500) is retried after 1 s', async () => {
    const h = await started();
    h.postFailures.push(new ExchangeError('HTTP 500: boom', 500));
    await h.send(decision(set(bid(0.4))));
    await h.advance(5_000);
    expect(h.posts().map((c) => c.at - T0)).toEqual([0, LATENCY + 1_000]);
  });

  it('a cancelling halt cancels everything at once and posts nothing until it clears', async () => {
    const h = await started();
    await h.send(decision(set(bid(0.4))));
    await h.advance(1_000);
    await h.send({ kind: 'halt', tsMs: START, reasons: ['market_feed_down'] });
    await h.send(decision(set(bid(0.41))));
    await h.advance(5_000);
    // (The re-quote under the halt may also cancel the order one by one: harmless, fail closed.)
    expect(h.calls[1]).toEqual({ at: T0 + 1_000, what: 'cancelAll' }); // at once, no rate-limit wait
    expect(h.posts().map((c) => c.what)).toEqual(['post 0.4']);
    await h.send({ kind: 'halt', tsMs: START, reasons: [] });
    await h.advance(1_000);
    expect(h.posts().map((c) => c.what)).toEqual(['post 0.4', 'post 0.41']);
  });
});

describe('execution sink: nothing is posted after stop', () => {
  it('a stop (input completes) during a rate-limit wait: the waiting set is never posted, the sink completes', async () => {
    const h = await started({
      rateLimit: { ordersPerSecond: 1, orderBurst: 3, cancelsPerSecond: 1_000, cancelBurst: 1_000 },
    });
    await h.send(decision(ladder(0.4)));
    await h.advance(LATENCY);
    await h.send(decision(ladder(0.3))); // cancels go; the creates wait ~1 s for a token
    await h.advance(50);
    h.input.complete();
    await h.advance(60_000);
    expect(h.posts()).toHaveLength(1);
    expect(h.completed()).toBe(true);
  });

  it('a stop during a 429 back-off (up to 30 s): the retry never posts', async () => {
    const h = await started();
    for (let i = 0; i < 5; i++) h.postFailures.push(new ExchangeError('HTTP 429: too many requests', 429));
    await h.send(decision(set(bid(0.4))));
    await h.advance(20_000); // several failures: the back-off grows to 16 s
    const before = h.posts().length;
    h.input.complete();
    await h.advance(120_000);
    expect(h.posts()).toHaveLength(before);
    expect(h.completed()).toBe(true);
  });

  it('an unsubscribe (shutdown after its bounded wait) during a rate-limit wait: nothing posted, no timer left', async () => {
    const h = await started({
      rateLimit: { ordersPerSecond: 1, orderBurst: 3, cancelsPerSecond: 1_000, cancelBurst: 1_000 },
    });
    await h.send(decision(ladder(0.4)));
    await h.advance(LATENCY);
    await h.send(decision(ladder(0.3)));
    await h.send(taker(0.6));
    await h.advance(50);
    h.sub.unsubscribe();
    await h.advance(60_000);
    expect(h.posts()).toHaveLength(1);
    expect(h.clock.nextDueMs()).toBeUndefined();
  });

  it('a taker intent queued behind a re-quote is dropped by a stop', async () => {
    const h = await started();
    await h.send(decision(set(bid(0.4))));
    await h.send(taker(0.6));
    h.input.complete();
    await h.advance(10_000);
    expect(h.posts().map((c) => c.what)).toEqual(['post 0.4']);
  });
});

describe('execution sink workers', () => {
  it("a market's worker ends after 10 idle minutes (no timer left), and a later decision starts a new one", async () => {
    const h = await started();
    await h.send(decision(set(bid(0.4))));
    await h.advance(1_000);
    expect(h.clock.pending()).toBe(1); // the worker's idle timer
    await h.advance(10 * 60_000);
    expect(h.clock.pending()).toBe(0);
    await h.send(decision(set(bid(0.45))));
    await h.advance(1_000);
    expect(h.posts().map((c) => c.what)).toEqual(['post 0.4', 'post 0.45']);
    expect(h.clock.pending()).toBe(1);
    h.sub.unsubscribe();
    expect(h.clock.pending()).toBe(0);
  });
});
