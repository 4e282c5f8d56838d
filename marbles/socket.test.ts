// Reconnect backoff and PING cadence of the socket stream, in virtual time.
import { describe, expect, it } from 'vitest';
import { map, take } from 'rxjs';
import { backoffMs, socket$ } from '../src/streams/socket.js';
import { fakeSockets, newScheduler } from './support.js';

const backoff = { initialMs: 500, maxMs: 4_000, jitter: 0.2 };

describe('socket$', () => {
  it('reconnects with capped exponential backoff while connecting fails, and starts over after an open', () => {
    const ts = newScheduler();
    ts.run(({ expectObservable }) => {
      // Sockets 0-4 fail 10 ms after creation; socket 5 opens; it then drops after 1 s; socket 6 opens.
      const fake = fakeSockets(ts, (sock, i) => {
        if (i < 5) ts.schedule(() => sock.fail(), 10);
        else if (i === 5)
          ts.schedule(() => {
            sock.open();
            ts.schedule(() => sock.fail('dropped'), 1_000);
          }, 10);
        else ts.schedule(() => sock.open(), 10);
      });
      const events$ = socket$(
        { url: 'ws://x', onOpen: () => [], pingMs: 60_000, backoff },
        { scheduler: ts, random: () => 0, makeSocket: fake.make },
      ).pipe(
        map((e) => (e.type === 'closed' ? `closed+${e.retryInMs}` : e.type === 'open' ? `open#${e.attempt}` : e.type)),
        take(8),
      );
      // fail at 10 -> wait 500; 520 fail -> 1000; 1530 -> 2000; 3540 -> 4000 (cap); 7550 -> 4000;
      // 11560 open; 12560 dropped -> the backoff starts over at 500 (an open resets it); 13070 open.
      expectObservable(events$).toBe('10ms a 509ms b 1009ms c 2009ms d 4009ms e 4009ms f 999ms g 509ms (h|)', {
        a: 'closed+500',
        b: 'closed+1000',
        c: 'closed+2000',
        d: 'closed+4000',
        e: 'closed+4000',
        f: 'open#5',
        g: 'closed+500',
        h: 'open#0',
      });
    });
  });

  it('jitter only shortens the wait, by at most its fraction', () => {
    expect(backoffMs(3, backoff, () => 1)).toBe(Math.round(4_000 * 0.8));
    expect(backoffMs(0, backoff, () => 0.5)).toBe(450);
  });

  it('sends the subscribe frames on open, then PING every pingMs while connected', () => {
    const ts = newScheduler();
    const fake = fakeSockets(ts, (sock) => ts.schedule(() => sock.open(), 5));
    ts.run(({ expectObservable }) => {
      const events$ = socket$(
        { url: 'ws://x', onOpen: () => ['SUB'], pingMs: 10_000 },
        { scheduler: ts, makeSocket: fake.make },
      ).pipe(take(1));
      expectObservable(events$).toBe('5ms (a|)', { a: { type: 'open', attempt: 0 } });
    });
    const ts2 = newScheduler();
    const fake2 = fakeSockets(ts2, (sock) => ts2.schedule(() => sock.open(), 5));
    ts2.run(({ flush }) => {
      const sub = socket$(
        { url: 'ws://x', onOpen: () => ['SUB'], pingMs: 10_000 },
        { scheduler: ts2, makeSocket: fake2.make },
      ).subscribe();
      ts2.schedule(() => sub.unsubscribe(), 35_000);
      flush();
    });
    expect(fake2.sockets[0]!.sent).toEqual([
      { at: 5, data: 'SUB' },
      { at: 10_005, data: 'PING' },
      { at: 20_005, data: 'PING' },
      { at: 30_005, data: 'PING' },
    ]);
  });

  it('sends its own keepalive frame where the host takes JSON only (PolyBolt: {"op":"ping"})', () => {
    const ts = newScheduler();
    const fake = fakeSockets(ts, (sock) => ts.schedule(() => sock.open(), 5));
    ts.run(({ flush }) => {
      const sub = socket$(
        { url: 'ws://x', onOpen: () => ['AUTH'], pingMs: 25_000, ping: '{"op":"ping"}' },
        { scheduler: ts, makeSocket: fake.make },
      ).subscribe();
      ts.schedule(() => sub.unsubscribe(), 60_000);
      flush();
    });
    expect(fake.sockets[0]!.sent).toEqual([
      { at: 5, data: 'AUTH' },
      { at: 25_005, data: '{"op":"ping"}' },
      { at: 50_005, data: '{"op":"ping"}' },
    ]);
  });
});
