// Re-subscription when markets roll, and the market stream's reconnect → stale → snapshot cycle.
import { describe, expect, it } from 'vitest';
import { BehaviorSubject } from 'rxjs';
import { marketData$ } from '../src/streams/marketData.js';
import { prices$ } from '../src/streams/prices.js';
import { silentLogger } from '../src/sinks/logger.js';
import type { MarketIdentity } from '../src/domain/index.js';
import { market, testConfig } from '../test/support/events.js';
import { fakeSockets, newScheduler } from './support.js';

const next: MarketIdentity = {
  ...market,
  conditionId: '0xnext',
  tokenUp: 'UP2',
  tokenDown: 'DOWN2',
  startMs: market.endMs,
  endMs: market.endMs + 900_000,
};
const cfg = testConfig();
const book = (asset: string, ts: number) =>
  JSON.stringify({
    event_type: 'book',
    market: '0xcond',
    asset_id: asset,
    timestamp: String(ts),
    hash: 'h',
    bids: [{ price: '0.4', size: '10' }],
    asks: [{ price: '0.6', size: '10' }],
  });

describe('marketData$ subscriptions', () => {
  it('subscribes on open, adds and drops tokens on the same connection as markets roll, resubscribes all after a reconnect', () => {
    const ts = newScheduler();
    const fake = fakeSockets(ts, (sock, i) => {
      ts.schedule(() => sock.open(), 10);
      if (i === 0) ts.schedule(() => sock.fail('dropped'), 3_000);
    });
    const markets$ = new BehaviorSubject<readonly MarketIdentity[]>([market]);
    ts.run(({ flush }) => {
      const sub = marketData$(markets$, cfg, {
        clock: () => ts.now(),
        logger: silentLogger(),
        scheduler: ts,
        random: () => 0,
        makeSocket: fake.make,
      }).subscribe();
      ts.schedule(() => markets$.next([market, next]), 1_000);
      ts.schedule(() => markets$.next([next]), 2_000);
      ts.schedule(() => sub.unsubscribe(), 5_000);
      flush();
    });
    const frames = (i: number) =>
      fake.sockets[i]!.sent.filter((f) => f.data !== 'PING').map((f) => ({
        at: f.at,
        msg: JSON.parse(f.data) as unknown,
      }));
    expect(frames(0)).toEqual([
      { at: 10, msg: { assets_ids: ['UP', 'DOWN'], type: 'market', custom_feature_enabled: true } },
      { at: 1_000, msg: { assets_ids: ['UP2', 'DOWN2'], operation: 'subscribe', custom_feature_enabled: true } },
      { at: 2_000, msg: { assets_ids: ['UP', 'DOWN'], operation: 'unsubscribe' } },
    ]);
    // Dropped at 3000, reconnected after 500 ms backoff, opened 10 ms later with the current set.
    expect(frames(1)).toEqual([
      { at: 3_510, msg: { assets_ids: ['UP2', 'DOWN2'], type: 'market', custom_feature_enabled: true } },
    ]);
  });

  it('after a reconnect every book is stale until its fresh snapshot', () => {
    const ts = newScheduler();
    const fake = fakeSockets(ts, (sock, i) => {
      ts.schedule(() => {
        sock.open();
        sock.receive(book('UP', ts.now()));
      }, 10);
      if (i === 0) ts.schedule(() => sock.fail('dropped'), 1_000);
    });
    const seen: Array<{ at: number; stale: boolean }> = [];
    ts.run(({ flush }) => {
      const sub = marketData$(new BehaviorSubject([market]), cfg, {
        clock: () => ts.now(),
        logger: silentLogger(),
        scheduler: ts,
        random: () => 0,
        makeSocket: fake.make,
      }).subscribe((ev) => {
        if (ev.kind === 'book' && ev.book.tokenId === 'UP') seen.push({ at: ts.now(), stale: ev.book.stale });
      });
      ts.schedule(() => sub.unsubscribe(), 3_000);
      flush();
    });
    expect(seen).toEqual([
      { at: 10, stale: false },
      { at: 1_000, stale: true },
      { at: 1_510, stale: false },
    ]);
  });
});

describe('prices$ on PolyBolt', () => {
  it('authenticates on open and subscribes once the server says authed, on every connection', () => {
    const ts = newScheduler();
    const authed = '{"op":"authed","rid":"auth-1"}';
    const fake = fakeSockets(ts, (sock, i) => {
      ts.schedule(() => sock.open(), 10);
      ts.schedule(() => sock.receive(authed), 60);
      if (i === 0) ts.schedule(() => sock.fail('dropped'), 1_000);
    });
    const polybolt = testConfig({ prices: { transport: 'polybolt' } });
    ts.run(({ flush }) => {
      const sub = prices$(
        polybolt,
        { clock: () => ts.now(), logger: silentLogger(), scheduler: ts, random: () => 0, makeSocket: fake.make },
        { key: 'k', secret: 's', passphrase: 'p' },
      ).subscribe();
      ts.schedule(() => sub.unsubscribe(), 3_000);
      flush();
    });
    const ops = (i: number) =>
      fake.sockets[i]!.sent.map((f) => ({ at: f.at, op: (JSON.parse(f.data) as { op: string }).op }));
    expect(ops(0)).toEqual([
      { at: 10, op: 'auth' },
      { at: 60, op: 'subscribe' },
    ]);
    // Dropped at 1000, reconnected after the 500 ms back-off: auth again, then subscribe again.
    expect(ops(1)).toEqual([
      { at: 1_510, op: 'auth' },
      { at: 1_560, op: 'subscribe' },
    ]);
  });
});
