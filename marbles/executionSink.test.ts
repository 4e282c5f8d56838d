// The execution sink under the TestScheduler: what it sends to the venue, and when, to the
// millisecond. The venue is an OrderPort answering every call 100 ms after it is sent; the sink's
// clock is START + 1 s + the virtual frame. Each test asserts two marbles: the calls sent (`sent`)
// and the sink's reports (action, `!` when it failed), `|` where the sink completes.
import type { GlobalHalt } from '../src/domain/halts.js';
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import winston, { type Logger } from 'winston';
import { concatMap, defer, map, of, Subject, timer, type Observable } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { executionSink, type SinkInput } from '../src/sinks/execution/sink.js';
import { ExchangeError, type PostResult } from '../src/sinks/execution/exchange.js';
import type { OrderPort } from '../src/sinks/execution/orderPort.js';
import type { DesiredOrder, DesiredOrderSet, ExecutionEvent, MarketIdentity } from '../src/domain/index.js';
import { silentLogger } from '../src/sinks/logger.js';
import { START, market, testConfig } from '../test/support/events.js';
import { newScheduler } from './support.js';

const T0 = START + 1_000;
const LATENCY = 100;

interface Script {
  readonly over?: Record<string, unknown>;
  /** Failures to answer the next posts / cancel-alls with (then success). */
  readonly postFailures?: Error[];
  readonly cancelAllFailures?: Error[];
  readonly logger?: Logger;
  /** Posts and takers are signed for this long, then sent only if still wanted (else refused, unsent). */
  readonly signMs?: number;
  /** Posts are recorded with the market's tick they are signed with (`post 0.4 @0.01`). */
  readonly showTick?: boolean;
}

function rig(ts: TestScheduler, script: Script = {}) {
  const sent = new Subject<string>();
  let next = 1;
  const answer = <T>(what: string, f: () => T): Observable<T> =>
    defer(() => {
      sent.next(what);
      return timer(LATENCY, ts).pipe(map(() => f()));
    });
  const fail = (queue: Error[] | undefined): void => {
    const e = queue?.shift();
    if (e) throw e;
  };
  /** `send` after the signing time, if the sink still wants it then; else refusals, nothing sent. */
  const signed = <T>(stillWanted: (() => boolean) | undefined, refusal: T, send: () => Observable<T>): Observable<T> =>
    script.signMs === undefined
      ? send()
      : timer(script.signMs, ts).pipe(concatMap(() => (stillWanted && !stillWanted() ? of(refusal) : send())));
  const port: OrderPort = {
    post$: (orders, m, stillWanted) =>
      signed<readonly PostResult[]>(
        stillWanted,
        orders.map(() => ({ ok: false, error: 'not sent' })),
        () =>
          answer(
            `post ${orders.map((o) => o.price).join(',')}${script.showTick ? ` @${m.tickSize}` : ''}`,
            () => (fail(script.postFailures), orders.map(() => ({ ok: true, orderId: `o${next++}` }))),
          ),
      ),
    cancel$: (ids) => answer(`cancel ${ids.join(',')}`, () => ({ canceled: [...ids], notCanceled: {} })),
    cancelAll$: () => answer('cancelAll', () => fail(script.cancelAllFailures)),
    take$: (intent, _m, stillWanted) =>
      signed<PostResult>(stillWanted, { ok: false, error: 'not sent' }, () =>
        answer(`take ${intent.maxPrice}`, () => ({ ok: true, orderId: `t${next++}` })),
      ),
    presignAround: () => undefined,
  };
  const label = (e: ExecutionEvent): string => `${e.action}${e.ok ? '' : '!'}`;
  const sink = (inputs: Observable<SinkInput>): Observable<string> =>
    inputs.pipe(
      executionSink({
        exchange: port,
        cfg: testConfig(script.over),
        clock: () => T0 + ts.now(),
        logger: script.logger ?? silentLogger(),
        scheduler: ts,
      }),
      map(label),
    );
  return { sent, sink };
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
const decide = (desired: DesiredOrderSet): SinkInput => ({ kind: 'decision', tsMs: START, desired });
const halt = (...reasons: GlobalHalt[]): SinkInput => ({ kind: 'halt', tsMs: START, reasons });
const taker = (maxPrice: number): SinkInput => ({
  kind: 'taker',
  tsMs: START,
  intent: {
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
  },
});
/** The market known and no halt: the marble group `(mh)` (2 frames wide in the marble string). */
const opening = (m: MarketIdentity = market): Record<string, SinkInput> => ({
  m: { kind: 'market', tsMs: START, market: m },
  h: halt(),
});
const rateLimit = (over: Record<string, number>) => ({
  rateLimit: { ordersPerSecond: 1_000, orderBurst: 1_000, cancelsPerSecond: 1_000, cancelBurst: 1_000, ...over },
});
const tooMany = (retryAfterMs?: number): ExchangeError =>
  new ExchangeError('HTTP 429: too many requests', 429, retryAfterMs);

describe('execution sink marbles: reconciling', () => {
  it('the latest desired set wins: sets arriving during a batch are superseded, only the last is sent after it', () => {
    const ts = newScheduler();
    ts.run((helpers) => {
      const r = rig(ts);
      const inputs = helpers.hot<SinkInput>('(mha) 26ms b 29ms c', {
        ...opening(),
        a: decide(set(bid(0.4))),
        b: decide(set(bid(0.41))),
        c: decide(set(bid(0.42))),
      });
      helpers.expectObservable(r.sent).toBe('a 99ms b 99ms c', { a: 'post 0.4', b: 'cancel o1', c: 'post 0.42' });
      helpers.expectObservable(r.sink(inputs)).toBe('100ms a 199ms (bc)', { a: 'post', b: 'cancel', c: 'post' });
    });
  });

  it("orders are signed on the market channel's tick once it changes (tick_size_change), as the strategy prices on it", () => {
    const ts = newScheduler();
    ts.run((helpers) => {
      const r = rig(ts, { showTick: true });
      const inputs = helpers.hot<SinkInput>('(mha) 995ms (kb)', {
        ...opening(),
        a: decide(set(bid(0.95))),
        k: { kind: 'tickSize', tsMs: START, conditionId: market.conditionId, tokenId: market.tokenUp, tickSize: 0.001 },
        b: decide(set(bid(0.955))),
      });
      helpers
        .expectObservable(r.sent)
        .toBe('a 999ms b 99ms c', { a: 'post 0.95 @0.01', b: 'cancel o1', c: 'post 0.955 @0.001' });
      helpers.expectObservable(r.sink(inputs)).toBe('100ms a 1099ms (ba)', { a: 'post', b: 'cancel' });
    });
  });

  it('cancels go before creates, and the creates wait for the cancel answer', () => {
    const ts = newScheduler();
    ts.run((helpers) => {
      const r = rig(ts);
      const inputs = helpers.hot<SinkInput>('(mha) 995ms b', {
        ...opening(),
        a: decide(ladder(0.4)),
        b: decide(ladder(0.3)),
      });
      helpers
        .expectObservable(r.sent)
        .toBe('a 999ms b 99ms c', { a: 'post 0.4,0.39,0.38', b: 'cancel o1,o2,o3', c: 'post 0.3,0.29,0.28' });
      helpers
        .expectObservable(r.sink(inputs))
        .toBe('100ms (aaa) 1095ms (bbbccc)', { a: 'post', b: 'cancel', c: 'post' });
    });
  });
});

describe('execution sink marbles: rate limits and retries', () => {
  it('a ladder beyond the order burst waits for the refill before it is even planned (cancels have their own bucket)', () => {
    const ts = newScheduler();
    ts.run((helpers) => {
      const r = rig(ts, { over: rateLimit({ ordersPerSecond: 5, orderBurst: 3 }) });
      // The burst (3) is spent at 0; at 100 half a token is back: 100 ms more for a whole one.
      const inputs = helpers.hot<SinkInput>('(mha) 95ms b', {
        ...opening(),
        a: decide(ladder(0.4)),
        b: decide(ladder(0.3)),
      });
      helpers
        .expectObservable(r.sent)
        .toBe('a 199ms b 99ms c', { a: 'post 0.4,0.39,0.38', b: 'cancel o1,o2,o3', c: 'post 0.3,0.29,0.28' });
      helpers
        .expectObservable(r.sink(inputs))
        .toBe('100ms (aaa) 295ms (bbbccc)', { a: 'post', b: 'cancel', c: 'post' });
    });
  });

  it("a 429 blocks the order bucket for the back-off (1 s), then the same set is retried; a 429's Retry-After wins when longer", () => {
    const ts = newScheduler();
    ts.run((helpers) => {
      const r = rig(ts, { postFailures: [tooMany(), tooMany(5_000)] });
      const inputs = helpers.hot<SinkInput>('(mha)', { ...opening(), a: decide(set(bid(0.4))) });
      // 0 sent, 100 refused (blocked to 1100); retried at 1100, refused at 1200 with Retry-After 5 s:
      // the retry kick at 2200 waits out the block to 6200.
      helpers.expectObservable(r.sent).toBe('a 1099ms a 5099ms a', { a: 'post 0.4' });
      helpers.expectObservable(r.sink(inputs)).toBe('100ms a 1099ms a 5099ms b', { a: 'post!', b: 'post' });
    });
  });

  it('a failed batch (HTTP 500) is retried 1 s after the failure; a failed cancel sends no create until its retry', () => {
    const ts = newScheduler();
    ts.run((helpers) => {
      const r = rig(ts, { postFailures: [new ExchangeError('HTTP 500: boom', 500)] });
      const inputs = helpers.hot<SinkInput>('(mha)', { ...opening(), a: decide(set(bid(0.4))) });
      helpers.expectObservable(r.sent).toBe('a 1099ms a', { a: 'post 0.4' });
      helpers.expectObservable(r.sink(inputs)).toBe('100ms a 1099ms b', { a: 'post!', b: 'post' });
    });
  });
});

describe('execution sink marbles: halts and the cutoff', () => {
  it('a cancelling halt cancels everything at once; nothing is posted until it clears, then the latest set is', () => {
    const ts = newScheduler();
    ts.run((helpers) => {
      const r = rig(ts);
      const inputs = helpers.hot<SinkInput>('(mha) 495ms x 199ms b 1299ms y', {
        ...opening(),
        a: decide(set(bid(0.4))),
        x: halt('market_feed_down'),
        b: decide(set(bid(0.41))),
        y: halt(),
      });
      helpers.expectObservable(r.sent).toBe('a 499ms x 1499ms b', { a: 'post 0.4', x: 'cancelAll', b: 'post 0.41' });
      helpers
        .expectObservable(r.sink(inputs))
        .toBe('100ms a 499ms x 1499ms b', { a: 'post', x: 'cancelAll', b: 'post' });
    });
  });

  it('the halt at start (feeds not up yet) cancels all quietly (info); a halt once they have been up warns', async () => {
    const records: Array<{ level: string; message: string }> = [];
    const logger = winston.createLogger({
      format: winston.format.json(),
      transports: [
        new winston.transports.Stream({
          stream: new Writable({
            write: (c: Buffer, _e, done) => (records.push(JSON.parse(c.toString()) as (typeof records)[0]), done()),
          }),
        }),
      ],
    });
    const ts = newScheduler();
    ts.run((helpers) => {
      const r = rig(ts, { logger });
      const inputs = helpers.hot<SinkInput>('(mx) 998ms h 999ms y', {
        m: { kind: 'market', tsMs: START, market },
        x: halt('user_feed_down', 'market_feed_down'),
        h: halt(),
        y: halt('market_feed_down'),
      });
      helpers.expectObservable(r.sent).toBe('a 2001ms a', { a: 'cancelAll' });
      helpers.expectObservable(r.sink(inputs)).toBe('100ms a 2001ms a', { a: 'cancelAll' });
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(records.map((l) => [l.level, l.message])).toEqual([
      ['info', 'halt until the feeds are up: cancelling all orders'],
      ['warn', 'halt: cancelling all orders'],
    ]);
  });

  it('a halt that lands while a post is being signed: it is not sent (the sink asks right before the send)', () => {
    const ts = newScheduler();
    ts.run((helpers) => {
      const r = rig(ts, { signMs: 50 });
      // The post is planned at 0 and signed until 50; the freeze at 21 (heartbeat unconfirmed: no
      // cancel-all) makes it unwanted. The freeze clears at 501: the set is signed again and sent at 551.
      const inputs = helpers.hot<SinkInput>('(mha) 16ms x 479ms y', {
        ...opening(),
        a: decide(set(bid(0.4))),
        x: halt('heartbeat_unconfirmed'),
        y: halt(),
      });
      helpers.expectObservable(r.sent).toBe('551ms a', { a: 'post 0.4' });
      helpers.expectObservable(r.sink(inputs)).toBe('50ms a 600ms b', { a: 'post!', b: 'post' });
    });
  });

  it("a halt's failed cancel-all is retried after Retry-After while the halt lasts, and not once it has cleared", () => {
    const ts = newScheduler();
    ts.run((helpers) => {
      const r = rig(ts, { cancelAllFailures: [tooMany(2_000), tooMany(2_000)] });
      // Fails at 100 (retry at 2100), fails again at 2200 (retry due at 4200, but cleared at 3000).
      const inputs = helpers.hot<SinkInput>('(mhx) 2995ms y', { ...opening(), x: halt('user_feed_down'), y: halt() });
      helpers.expectObservable(r.sent).toBe('x 2099ms x', { x: 'cancelAll' });
      helpers.expectObservable(r.sink(inputs)).toBe('100ms a 2099ms a', { a: 'cancelAll!' });
    });
  });

  it('a frozen sink (heartbeat unconfirmed) still cancels a re-priced order, posts nothing, takes nothing', () => {
    const ts = newScheduler();
    ts.run((helpers) => {
      const r = rig(ts);
      const inputs = helpers.hot<SinkInput>('(mha) 495ms (fbt)', {
        ...opening(),
        a: decide(set(bid(0.4))),
        f: halt('heartbeat_unconfirmed'),
        b: decide(set(bid(0.38))),
        t: taker(0.5),
      });
      helpers.expectObservable(r.sent).toBe('a 499ms b', { a: 'post 0.4', b: 'cancel o1' });
      helpers.expectObservable(r.sink(inputs)).toBe('100ms a 499ms b', { a: 'post', b: 'cancel' });
    });
  });

  it('the cutoff is honoured: after it the re-quote cancels but posts nothing, also when its rate-limit wait ends past it; no taker', () => {
    const ts = newScheduler();
    ts.run((helpers) => {
      // Cutoff (60 s before the end) at frame 900.
      const soon: MarketIdentity = { ...market, endMs: T0 + 60_900 };
      const r = rig(ts, { over: rateLimit({ ordersPerSecond: 1, orderBurst: 1 }) });
      // The first post spends the burst; the second set (at 800) waits for a token until 1000.
      const inputs = helpers.hot<SinkInput>('(mha) 795ms b 299ms t', {
        ...opening(soon),
        a: decide(set(bid(0.4))),
        b: decide(set(bid(0.41))),
        t: taker(0.6),
      });
      helpers.expectObservable(r.sent).toBe('a 999ms b', { a: 'post 0.4', b: 'cancel o1' });
      helpers.expectObservable(r.sink(inputs)).toBe('100ms a 999ms b', { a: 'post', b: 'cancel' });
    });
  });
});

describe('execution sink marbles: the cutoff counts the venue round trip', () => {
  it("no create goes later than the last post's round trip (100 ms here) before the cutoff", () => {
    const ts = newScheduler();
    ts.run((helpers) => {
      const soon: MarketIdentity = { ...market, endMs: T0 + 61_000 }; // cutoff at frame 1000
      const r = rig(ts);
      // Each set keeps the orders before it and adds a level: creates only, no cancel first.
      const two = set(bid(0.4), bid(0.39, 1));
      const three = set(bid(0.4), bid(0.39, 1), bid(0.38, 2));
      const inputs = helpers.hot<SinkInput>('(mha) 845ms b 69ms c', {
        ...opening(soon),
        a: decide(set(bid(0.4))),
        b: decide(two),
        c: decide(three),
      });
      // At 850 the post would land at ~950, before the cutoff: sent. At 920 it would land after it: not.
      helpers.expectObservable(r.sent).toBe('a 849ms b', { a: 'post 0.4', b: 'post 0.39' });
      helpers.expectObservable(r.sink(inputs)).toBe('100ms a 849ms a', { a: 'post' });
    });
  });
});

describe('execution sink marbles: nothing is posted after stop', () => {
  it('a stop (the input completes) during a 429 back-off: the retry never posts and the sink completes at once', () => {
    const ts = newScheduler();
    ts.run((helpers) => {
      const r = rig(ts, { postFailures: [tooMany(), tooMany(), tooMany(), tooMany()] });
      // Refused at 100 (back-off 1 s), 1200 (2 s), 3300 (4 s): the retry waits until 7300; stop at 5000.
      const inputs = helpers.hot<SinkInput>('(mha) 4995ms |', { ...opening(), a: decide(set(bid(0.4))) });
      helpers.expectObservable(r.sent).toBe('a 1099ms a 2099ms a', { a: 'post 0.4' });
      helpers.expectObservable(r.sink(inputs)).toBe('100ms a 1099ms a 2099ms a 1699ms |', { a: 'post!' });
    });
  });

  it("a stop while a halt's cancel-all is failing: its retry timer ends with the sink (the shutdown's own cancel-all takes over)", () => {
    const ts = newScheduler();
    ts.run((helpers) => {
      const r = rig(ts, { cancelAllFailures: Array.from({ length: 10 }, () => tooMany()) });
      // Refused at 100 (retry at 1100), 1200 (retry at 3200), 3300 (retry due at 7300); stop at 5000.
      const inputs = helpers.hot<SinkInput>('(mhx) 4995ms |', { ...opening(), x: halt('user_feed_down') });
      helpers.expectObservable(r.sent).toBe('x 1099ms x 2099ms x', { x: 'cancelAll' });
      helpers.expectObservable(r.sink(inputs)).toBe('100ms a 1099ms a 2099ms a 1699ms |', { a: 'cancelAll!' });
    });
  });

  it('a stop during a rate-limit wait: the waiting set is never posted (the cancels of its plan may go)', () => {
    const ts = newScheduler();
    ts.run((helpers) => {
      const r = rig(ts, { over: rateLimit({ ordersPerSecond: 1, orderBurst: 3 }) });
      const inputs = helpers.hot<SinkInput>('(mha) 95ms b 49ms |', {
        ...opening(),
        a: decide(ladder(0.4)),
        b: decide(ladder(0.3)),
      });
      helpers.expectObservable(r.sent).toBe('a 149ms b', { a: 'post 0.4,0.39,0.38', b: 'cancel o1,o2,o3' });
      helpers.expectObservable(r.sink(inputs)).toBe('100ms (aaa) 145ms (bbb|)', { a: 'post', b: 'cancel' });
    });
  });

  it('an unsubscribe during a rate-limit wait (with a taker queued): nothing more is sent, ever', () => {
    const ts = newScheduler();
    ts.run((helpers) => {
      const r = rig(ts, { over: rateLimit({ ordersPerSecond: 1, orderBurst: 3 }) });
      const inputs = helpers.hot<SinkInput>('(mha) 95ms (bt)', {
        ...opening(),
        a: decide(ladder(0.4)),
        b: decide(ladder(0.3)),
        t: taker(0.6),
      });
      helpers.expectObservable(r.sent).toBe('a', { a: 'post 0.4,0.39,0.38' });
      helpers.expectObservable(r.sink(inputs), '^ 149ms !').toBe('100ms (aaa)', { a: 'post' });
    });
  });

  it('a taker intent queued behind a re-quote is dropped by a stop', () => {
    const ts = newScheduler();
    ts.run((helpers) => {
      const r = rig(ts);
      const inputs = helpers.hot<SinkInput>('(mhat|)', { ...opening(), a: decide(set(bid(0.4))), t: taker(0.6) });
      helpers.expectObservable(r.sent).toBe('a', { a: 'post 0.4' });
      helpers.expectObservable(r.sink(inputs)).toBe('100ms (a|)', { a: 'post' });
    });
  });
});

describe('execution sink marbles: taker completion', () => {
  it('cancels our bids on both tokens before the taker order, which goes when the cancel is answered', () => {
    const ts = newScheduler();
    ts.run((helpers) => {
      const r = rig(ts);
      const down: DesiredOrder = {
        outcome: 'down',
        tokenId: market.tokenDown,
        level: 0,
        side: 'BUY',
        price: 0.3,
        size: 10,
        postOnly: true,
        orderType: 'GTC',
      };
      const inputs = helpers.hot<SinkInput>('(mha) 495ms t', {
        ...opening(),
        a: decide(set(bid(0.4), down)),
        t: taker(0.6),
      });
      helpers
        .expectObservable(r.sent)
        .toBe('a 499ms b 99ms c', { a: 'post 0.4,0.3', b: 'cancel o1,o2', c: 'take 0.6' });
      helpers
        .expectObservable(r.sink(inputs))
        .toBe('100ms (aa) 496ms (bb) 96ms c', { a: 'post', b: 'cancel', c: 'taker' });
    });
  });

  it('a halt that lands while the taker order is being signed (after the cancels): it is not sent', () => {
    const ts = newScheduler();
    ts.run((helpers) => {
      const r = rig(ts, { signMs: 50 });
      const down: DesiredOrder = { ...bid(0.3), outcome: 'down', tokenId: market.tokenDown };
      // Posts signed 0-50; the taker at 500: cancels answered at 600, signed 600-650, frozen at 620.
      const inputs = helpers.hot<SinkInput>('(mha) 495ms t 119ms x', {
        ...opening(),
        a: decide(set(bid(0.4), down)),
        t: taker(0.6),
        x: halt('heartbeat_unconfirmed'),
      });
      helpers.expectObservable(r.sent).toBe('50ms a 449ms b', { a: 'post 0.4,0.3', b: 'cancel o1,o2' });
      helpers
        .expectObservable(r.sink(inputs))
        .toBe('150ms (aa) 446ms (bb) 46ms c', { a: 'post', b: 'cancel', c: 'taker!' });
    });
  });
});
