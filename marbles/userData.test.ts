// The user feed is up only once a REST reconcile has been applied after a (re)connect; a failed
// reconcile is retried with a growing wait while the feed stays down; a drop cancels it.
import { describe, expect, it } from 'vitest';
import { map, of, type Observable } from 'rxjs';
import type { LiveOrder } from '../src/domain/index.js';
import { silentLogger } from '../src/sinks/logger.js';
import { userData$, type UserDataEvent } from '../src/streams/userData.js';
import { reconcileRetryMs, type UserReconciler } from '../src/streams/userReconcile.js';
import { liveOrder, market, testConfig } from '../test/support/events.js';
import { fakeSockets, newScheduler } from './support.js';

const cfg = testConfig();
const creds = { key: 'k', secret: 's', passphrase: 'p' };
const resting: LiveOrder = liveOrder('0xo1', { tsMs: 0 });
/** One letter's worth of each event: what the feed says, not when. */
const label = (e: UserDataEvent): string =>
  e.kind === 'connection'
    ? e.state
    : e.kind === 'skip'
      ? `skip:${e.reason}`
      : e.kind === 'order'
        ? `order:${e.order.orderId}:${e.statusText ?? ''}`
        : e.kind;

describe('userData$ reconcile', () => {
  it('is up only after the reconcile is applied; a failed one is retried (250 ms, 500 ms, …) while it stays down', () => {
    const ts = newScheduler();
    const fake = fakeSockets(ts, (sock) => ts.schedule(() => sock.open(), 10));
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      // Attempts 1 and 2 fail after 20 ms (a venue still restarting), attempt 3 answers after 20 ms.
      const refused = cold<readonly LiveOrder[]>('20ms #', undefined, new Error('ECONNREFUSED'));
      const answer = cold<readonly LiveOrder[]>('20ms (a|)', { a: [resting] });
      let asked = 0;
      const reconciler: UserReconciler = {
        openOrders: () => (++asked <= 2 ? refused : answer),
        trades: () => of([]),
      };
      const events$ = userData$(
        of([market]),
        creds,
        '0xme',
        cfg,
        { clock: () => ts.now(), logger: silentLogger(), scheduler: ts, random: () => 0, makeSocket: fake.make },
        reconciler,
      ).pipe(map(label));
      // open at 10 | asked 10, refused 30 | wait 250 | asked 280, refused 300 | wait 500 | asked 800,
      // answered 820: the order as listed, then up. Nothing says up before that.
      expectObservable(events$, '^ 2000ms !').toBe('30ms a 269ms b 519ms (cd)', {
        a: 'skip:reconcile failed (retrying): ECONNREFUSED',
        b: 'skip:reconcile failed (retrying): ECONNREFUSED',
        c: 'order:0xo1:reconciled',
        d: 'up',
      });
      expectSubscriptions(refused.subscriptions).toBe(['10ms ^ 19ms !', '280ms ^ 19ms !']);
      expectSubscriptions(answer.subscriptions).toBe(['800ms ^ 19ms !']);
    });
  });

  it('a drop cancels the reconcile in progress: down, no up from the old connection, up after the next one', () => {
    const ts = newScheduler();
    // Socket 0 opens at 10 and drops at 100 (before its reconcile answers); socket 1 opens 500 ms + 10 ms later.
    const fake = fakeSockets(ts, (sock, i) => {
      ts.schedule(() => sock.open(), 10);
      if (i === 0) ts.schedule(() => sock.fail('dropped'), 100);
    });
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const slow = cold<readonly LiveOrder[]>('200ms (a|)', { a: [] });
      const events$: Observable<string> = userData$(
        of([market]),
        creds,
        '0xme',
        cfg,
        { clock: () => ts.now(), logger: silentLogger(), scheduler: ts, random: () => 0, makeSocket: fake.make },
        { openOrders: () => slow, trades: () => of([]) },
      ).pipe(map(label));
      expectObservable(events$, '^ 2000ms !').toBe('100ms a 709ms b', { a: 'down', b: 'up' });
      // The first reconcile was unsubscribed when the socket dropped (at 100), not left to answer at 210.
      expectSubscriptions(slow.subscriptions).toBe(['10ms ^ 89ms !', '610ms ^ 199ms !']);
    });
  });

  it('stops retrying when the consumer stops', () => {
    const ts = newScheduler();
    const fake = fakeSockets(ts, (sock) => ts.schedule(() => sock.open(), 10));
    let asked = 0;
    ts.run(({ cold, flush }) => {
      const refused = cold<readonly LiveOrder[]>('20ms #', undefined, new Error('503'));
      const sub = userData$(
        of([market]),
        creds,
        '0xme',
        cfg,
        { clock: () => ts.now(), logger: silentLogger(), scheduler: ts, random: () => 0, makeSocket: fake.make },
        { openOrders: () => (asked++, refused), trades: () => of([]) },
      ).subscribe();
      // Attempts at 10, 280 and 800; stopped at 900, during the 1 s wait before the fourth.
      ts.schedule(() => sub.unsubscribe(), 900);
      flush();
    });
    // A fourth attempt would have gone out at 1800.
    expect(asked).toBe(3);
  });

  it('the wait doubles from 250 ms up to sockets.reconnectMaxMs', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => reconcileRetryMs(n, 5_000))).toEqual([
      250, 500, 1_000, 2_000, 4_000, 5_000, 5_000,
    ]);
  });
});
