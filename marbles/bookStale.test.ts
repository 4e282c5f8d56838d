// A connected but silent market channel counts as down after market.bookStaleMs (issue 13 #9).
import { describe, expect, it } from 'vitest';
import { BehaviorSubject } from 'rxjs';
import { marketData$ } from '../src/streams/marketData.js';
import { silentLogger } from '../src/sinks/logger.js';
import { initialState, reduce } from '../src/state/botState.js';
import { globalHalts } from '../src/state/halts.js';
import { stateParams } from '../src/strategy/step.js';
import type { InputEvent } from '../src/domain/index.js';
import { market, testConfig } from '../test/support/events.js';
import { fakeSockets, newScheduler } from './support.js';

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

/** Feed kinds seen, with their time: o (up), b (book), S (stale), R (recovered). */
function run(bookStaleMs: number, messagesAt: number[]) {
  const ts = newScheduler();
  const fake = fakeSockets(ts, (sock) => {
    ts.schedule(() => sock.open(), 0);
    for (const at of messagesAt) ts.schedule(() => sock.receive(book('UP', at)), at);
  });
  const seen: Array<[number, string]> = [];
  const events: InputEvent[] = [];
  const cfg = testConfig({ market: { bookStaleMs } });
  ts.run(({ flush }) => {
    const sub = marketData$(new BehaviorSubject([market]), cfg, {
      clock: () => ts.now(),
      logger: silentLogger(),
      scheduler: ts,
      random: () => 0,
      makeSocket: fake.make,
    }).subscribe((ev) => {
      events.push(ev);
      const tag =
        ev.kind === 'connection'
          ? 'o'
          : ev.kind === 'book'
            ? 'b'
            : ev.kind === 'stale'
              ? ev.stale
                ? 'S'
                : 'R'
              : ev.kind;
      seen.push([ts.now(), tag]);
    });
    ts.schedule(() => sub.unsubscribe(), 60_000);
    flush();
  });
  return { seen, events, cfg };
}

describe('market channel staleness', () => {
  it('connected, then silent: stale exactly bookStaleMs after the last message; the next message recovers', () => {
    // socket: o b---- 10 s of silence ----S  b(R first) ...
    const { seen } = run(10_000, [5, 20_000]);
    expect(seen).toEqual([
      [0, 'o'],
      [5, 'b'],
      [10_005, 'S'],
      [20_000, 'R'],
      [20_000, 'b'],
      [30_000, 'S'],
    ]);
  });

  it('the limit is the setting, not a constant', () => {
    const { seen } = run(3_000, [5]);
    expect(seen.filter(([, tag]) => tag === 'S')).toEqual([[3_005, 'S']]);
  });

  it('stale counts as down: quoting halts (market_feed_down) while the socket is still open', () => {
    const { events, cfg } = run(10_000, [5]);
    const params = stateParams(cfg);
    const s = events.reduce(
      (acc, e) => reduce(acc, e, params),
      reduce(initialState(['market']), { kind: 'market', tsMs: 0, market }, params),
    );
    expect(s.health.down.has('market')).toBe(false); // connected…
    expect(globalHalts(s)).toContain('market_feed_down'); // …but silent
  });
});
