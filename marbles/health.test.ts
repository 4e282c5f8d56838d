// Staleness timers and the heartbeat stream, in virtual time.
import { describe, it } from 'vitest';
import { map, throwError } from 'rxjs';
import { staleAfter } from '../src/operators/staleAfter.js';
import { heartbeat$ } from '../src/streams/heartbeat.js';
import { ExchangeError, refusalOf } from '../src/sinks/execution/errors.js';
import { newScheduler } from './support.js';

describe('staleAfter', () => {
  it('goes stale exactly `ms` after the last value (or the subscription), recovers on the next value', () => {
    const ts = newScheduler();
    ts.run(({ cold, expectObservable }) => {
      const source = cold('a 99ms b 299ms c 49ms d', { a: 'a', b: 'b', c: 'c', d: 'd' });
      const out = source.pipe(
        staleAfter<string>('prices', 200, () => ts.now(), ts),
        map((v) => (typeof v === 'string' ? v : v.stale ? 'S' : 'R')),
      );
      // a@0 b@100 -> stale@300, c@400 (recovery first) -> d@450 -> stale@650
      expectObservable(out, '^ 1s !').toBe('a 99ms b 199ms S 99ms (Rc) 46ms d 199ms S', {
        a: 'a',
        b: 'b',
        c: 'c',
        d: 'd',
        S: 'S',
        R: 'R',
      });
    });
  });

  it('a silent source goes stale from the subscription', () => {
    const ts = newScheduler();
    ts.run(({ cold, expectObservable }) => {
      const out = cold('-').pipe(
        staleAfter('market', 30_000, () => ts.now(), ts),
        map(() => 'S'),
      );
      expectObservable(out, '^ 40s !').toBe('30s S');
    });
  });
});

describe('heartbeat$', () => {
  it('posts every interval and reports failures and slow posts as down', () => {
    const ts = newScheduler();
    ts.run(({ cold, expectObservable }) => {
      let n = 0;
      // ok, fails, slower than the interval (times out), ok
      const post = () =>
        [
          cold('10ms (x|)'),
          throwError(() => new Error('HTTP 500: heartbeat failed')),
          cold('2s (x|)'),
          cold('10ms (x|)'),
        ][n++ % 4]!;
      const out = heartbeat$(post, 1_000, () => ts.now(), ts).pipe(
        map((h) => (h.ok ? 'k' : h.error?.startsWith('HTTP') ? 'f' : 't')),
      );
      // ticks at 0, 1000, 2000 (times out at 3000, just before the 3000 tick starts the next), 4000
      expectObservable(out, '^ 4500ms !').toBe('10ms k 989ms f 1999ms t 9ms k 999ms k');
    });
  });

  it("marks a refusal from the typed error's kind (403 region, 401 after renewal), never from its text", () => {
    const ts = newScheduler();
    ts.run(({ expectObservable }) => {
      const errors = [
        new ExchangeError('HTTP 403: Trading restricted in your region', { kind: 'geoblocked', status: 403 }),
        new ExchangeError('HTTP 401: Unauthorized', { kind: 'auth', status: 401 }),
        new ExchangeError('refused for good', { kind: 'auth', status: 401, final: true }),
        new ExchangeError('HTTP 500: region 403 credentials refused', { kind: 'unavailable', status: 500 }),
        new Error('geoblocked (403) in your region'),
      ];
      let n = 0;
      const out = heartbeat$(
        () => throwError(() => errors[n++]),
        1_000,
        () => ts.now(),
        ts,
        refusalOf,
      ).pipe(map((h) => h.refused ?? 'none'));
      expectObservable(out, '^ 4500ms !').toBe('r 999ms n 999ms c 999ms n 999ms n', {
        r: 'region',
        c: 'credentials',
        n: 'none',
      });
    });
  });
});

describe('staleAfter with a freshness test', () => {
  it('only fresh values restart the timer; the others pass through untouched', () => {
    const ts = newScheduler();
    ts.run(({ cold, expectObservable }) => {
      // f is fresh, o is not: o at 150 and 250 does not keep the feed alive.
      const source = cold('f 149ms o 99ms o 149ms f|', { f: 'f', o: 'o' });
      const out = source.pipe(
        staleAfter<string>(
          'prices',
          200,
          () => ts.now(),
          ts,
          (v) => v === 'f',
        ),
        map((v) => (typeof v === 'string' ? v : v.stale ? 'S' : 'R')),
      );
      // f@0 -> stale@200; recovery first at f@400; the source completes at 401, the output once the
      // last silence timer has run (as before: the timer belongs to the stream)
      expectObservable(out, '^ 1s !').toBe('f 149ms o 49ms S 49ms o 149ms (Rf) 196ms (S|)', {
        f: 'f',
        o: 'o',
        S: 'S',
        R: 'R',
      });
    });
  });

  it('a synchronous source loses no value (both branches subscribe before it starts)', () => {
    const ts = newScheduler();
    ts.run(({ cold, expectObservable }) => {
      const out = cold('(fo|)', { f: 'f', o: 'o' }).pipe(
        staleAfter<string>(
          'prices',
          200,
          () => ts.now(),
          ts,
          (v) => v === 'f',
        ),
        map((v) => (typeof v === 'string' ? v : v.stale ? 'S' : 'R')),
      );
      expectObservable(out).toBe('(fo) 196ms (S|)', { f: 'f', o: 'o', S: 'S' });
    });
  });
});
