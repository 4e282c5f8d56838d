// Timing of the strategy pipeline in virtual time: re-quotes on a price tick, the exact stale
// pause, churn throttling and the cutoff. Event timestamps are START + the virtual frame.
import { describe, it } from 'vitest';
import { filter, map, merge, of, share, take, throwError, type Observable } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { strategy } from '../src/operators/strategy.js';
import { clock$ } from '../src/streams/clock.js';
import { heartbeat$ } from '../src/streams/heartbeat.js';
import { staleAfter } from '../src/operators/staleAfter.js';
import type { DecisionEvent, HaltEvent, InputEvent } from '../src/domain/index.js';
import {
  START,
  healthyOpening,
  testConfig,
  chainlink,
  binance,
  bookEv,
  market,
  marketEv,
} from '../test/support/events.js';
import { newScheduler } from './support.js';

const cfg = testConfig();
const at = (ts: TestScheduler) => (): number => START + ts.now();
/** The opening events up to frame 0 (START), with both books. */
const opening = (): InputEvent[] => [
  ...healthyOpening().filter((e) => e.tsMs <= START),
  bookEv('UP', START, 0.45, 0.55),
  bookEv('DOWN', START, 0.45, 0.55),
];
/** Events sent together in one frame: the marble group `(abc…)` and its values. */
function grouped(events: readonly InputEvent[]): { group: string; values: Record<string, InputEvent> } {
  const letters = 'abcdefghijk'.slice(0, events.length);
  return { group: `(${letters})`, values: Object.fromEntries([...letters].map((l, i) => [l, events[i]!])) };
}

function decisions(inputs: Observable<InputEvent>, label: (d: DecisionEvent) => string): Observable<string> {
  return inputs.pipe(
    strategy(cfg),
    filter((e): e is DecisionEvent => e.kind === 'decision'),
    map(label),
  );
}
const top = (d: DecisionEvent): string => (d.desired.orders.length ? 'q' : (d.desired.reason ?? '?'));

describe('strategy timing', () => {
  it('a settlement tick that moves fair value re-quotes in the same frame', () => {
    const ts = newScheduler();
    ts.run(({ hot, expectObservable }) => {
      const open = opening();
      const { group, values } = grouped(open);
      const events = hot<InputEvent>(`${group} ${500 - group.length}ms p`, {
        ...values,
        p: chainlink(START + 500, 99_600),
      });
      const upTop = (d: DecisionEvent): string =>
        d.desired.orders.length === 0
          ? 'x'
          : d.desired.orders.find((o) => o.outcome === 'up' && o.level === 0)!.price < 0.4
            ? 'D'
            : 'n';
      // Paused until the feeds, S0 and both books are in (all at frame 0), then quoting near 0.5;
      // at 500 ms BTC is 0.4% below S0: Up's cap, and with it Up's bid, drops in that same frame.
      expectObservable(decisions(events, upTop), '^ 1s !').toBe('(xxxxn) 493ms D');
    });
  });

  it('pauses exactly when the settlement source has been silent for chainlinkStaleMs, while Binance still ticks', () => {
    const ts = newScheduler();
    ts.run(({ hot, expectObservable }) => {
      const fast = hot<InputEvent>('100ms b 99ms b 99ms b 99ms b', { b: binance(START + 100, 100_000) });
      const prices = merge(
        hot<InputEvent>('a 999ms c', { a: chainlink(START - 1, 100_000), c: chainlink(START + 1_000, 100_000) }),
        fast,
      ).pipe(
        staleAfter(
          'prices',
          cfg.alpha.chainlinkStaleMs,
          at(ts),
          ts,
          (e) => e.kind === 'price' && e.tick.source === 'chainlink',
        ),
      );
      const base = hot<InputEvent>('(mukl)', {
        m: opening()[0]!,
        u: opening()[1]!,
        k: opening()[2]!,
        l: bookEv('UP', START, 0.45, 0.55),
      });
      const books = hot<InputEvent>('1ms d', { d: bookEv('DOWN', START + 1, 0.45, 0.55) });
      const out = decisions(merge(base, books, prices) as Observable<InputEvent>, top);
      // First quotes once the post-start settlement tick (S0) is in, at 1000 ms;
      // the pause lands exactly 5000 ms after the last settlement tick.
      expectObservable(out, '^ 7s !').toBe('(abc) 995ms q 4999ms s', {
        a: 'user_feed_down,market_feed_down,no_s0',
        b: 'user_feed_down,no_s0',
        c: 'no_s0',
        q: 'q',
        s: 'stale_oracle',
      });
    });
  });

  it('churn: a one-tick rise passes once wanted for the minimum update interval, a flicker back restarts the wait, a two-tick cut passes at once', () => {
    const ts = newScheduler();
    ts.run(({ hot, expectObservable }) => {
      const open = opening();
      const { group, values } = grouped(open);
      const books = hot<InputEvent>(`${group} ${100 - group.length}ms R 499ms F 299ms S 1199ms C`, {
        ...values,
        R: bookEv('UP', START + 100, 0.46, 0.55),
        F: bookEv('UP', START + 600, 0.45, 0.55),
        S: bookEv('UP', START + 900, 0.46, 0.55),
        C: bookEv('UP', START + 2_100, 0.44, 0.55),
      });
      const inputs = merge(books, clock$(250, ts, at(ts)));
      const upTop = (d: DecisionEvent): string => {
        const p = d.desired.orders.find((o) => o.outcome === 'up' && o.level === 0)?.price;
        return p === undefined ? 'x' : String(Math.round(p * 100));
      };
      // 46 at 0; the rise to 47 (one tick) wanted at 100 is dropped at 600 (the book flickers back);
      // wanted again from 900, it is held until the first evaluation a full interval later (the clock
      // tick at 2000); the cut to 45 (two ticks) at 2100 passes in its frame.
      expectObservable(decisions(inputs, upTop), '^ 3s !').toBe('(xxxxa) 1993ms b 99ms c', {
        x: 'x',
        a: '46',
        b: '47',
        c: '45',
      });
    });
  });

  it('cutoff: the empty set comes exactly at end - cutoff, and nothing is quoted after', () => {
    const ts = newScheduler();
    ts.run(({ hot, expectObservable }) => {
      // A short (2-minute) market keeps virtual time small; the cutoff stays 60 s.
      const short = { ...market, endMs: START + 120_000 };
      const open = [marketEv(START - 2_000, short), ...opening().slice(1)];
      const { group, values } = grouped(open);
      const settlement = clock$(1_000, ts, at(ts)).pipe(map((c): InputEvent => chainlink(c.tsMs, 100_000)));
      const inputs = merge(hot<InputEvent>(group, values), settlement, clock$(250, ts, at(ts)));
      const cut = short.endMs - cfg.cutoffMs - START;
      const labels = decisions(inputs, (d) => (d.desired.orders.length ? 'q' : (d.desired.reason ?? '?'))).pipe(
        share(),
      );
      const window = `^ ${cut + 30_000}ms !`;
      expectObservable(labels.pipe(filter((l) => l === 'cutoff')), window).toBe(`${cut}ms c`, { c: 'cutoff' });
      // Quotes before the cutoff, none after it.
      expectObservable(
        labels.pipe(
          filter((l) => l === 'q' && ts.now() >= cut),
          map(() => 'late'),
        ),
        window,
      ).toBe('-');
      expectObservable(
        labels.pipe(
          filter((l) => l === 'q'),
          take(1),
        ),
        window,
      ).toBe('(q|)');
    });
  });

  it('heartbeat: a failure freezes at once (quotes kept), the cancel-all halt comes exactly at last ack + grace, an ack resumes', () => {
    const hbCfg = testConfig({ heartbeat: { intervalMs: 1_000, graceMs: 2_500 } });
    const ts = newScheduler();
    ts.run(({ hot, expectObservable }) => {
      const open = opening();
      const { group, values } = grouped(open);
      const settlement = clock$(1_000, ts, at(ts)).pipe(map((c): InputEvent => chainlink(c.tsMs, 100_000)));
      // The venue acknowledges at 0 and 1000, fails at 2000, 3000 and 4000, acknowledges again from 5000.
      const post = (): Observable<unknown> =>
        ts.now() >= 2_000 && ts.now() < 5_000 ? throwError(() => new Error('HTTP 500')) : of({ status: 'ok' });
      const heartbeats = heartbeat$(post, 1_000, at(ts), ts);
      const out = merge(hot<InputEvent>(group, values), settlement, clock$(250, ts, at(ts)), heartbeats).pipe(
        strategy(hbCfg),
        share(),
      );
      const window = '^ 6s !';
      const halts = out.pipe(
        filter((e): e is HaltEvent => e.kind === 'halt' && e.tsMs > START),
        map((e) => (e.reasons.length === 0 ? 'o' : e.reasons.join())),
      );
      // Frozen at the first failure (2000); everything cancelled 2500 ms after the last ack (1000);
      // trading resumes with the acknowledgement at 5000.
      expectObservable(halts, window).toBe('2000ms f 1499ms d 1499ms o', {
        f: 'heartbeat_unconfirmed',
        d: 'heartbeat_down',
        o: 'o',
      });
      // While frozen the strategy keeps quoting (the sink sends no new order); only the cancel-all
      // halt empties the desired set, and quotes come back with the acknowledgement.
      const sets = out.pipe(
        filter((e): e is DecisionEvent => e.kind === 'decision' && e.tsMs > START),
        map((d) => (d.desired.orders.length ? 'q' : (d.desired.reason ?? '?'))),
        share(),
      );
      expectObservable(sets.pipe(filter((l) => l !== 'q')), window).toBe('3500ms d', { d: 'heartbeat_down' });
      expectObservable(
        sets.pipe(
          filter((l) => l === 'q' && ts.now() > 3_500),
          take(1),
        ),
        window,
      ).toBe('5000ms (q|)');
    });
  });
});
