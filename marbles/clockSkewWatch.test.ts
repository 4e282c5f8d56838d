// The clock offset re-measured while running, in virtual time: the venue's clock jumps ahead mid-run
// and back; the `clock` feed goes stale (the bot pauses) at the first reading past the limit and
// fresh again at the first reading within it; a failed reading changes nothing.
import { describe, it } from 'vitest';
import { defer, delay, map, of, throwError } from 'rxjs';
import { clockSkewWatch$ } from '../src/streams/clockSkew.js';
import { newScheduler } from './support.js';

describe('clockSkewWatch$', () => {
  it('stale while the venue clock is off by more than maxMs, fresh once back; failed readings ignored', () => {
    const ts = newScheduler();
    ts.run(({ expectObservable }) => {
      // The venue's clock: right, then 5 s ahead from 4.5 s to 8.5 s; GET /time fails at 10 s.
      const venueOffset = (t: number): number => (t >= 4_500 && t < 8_500 ? 5_000 : 0);
      const venueTime$ = () =>
        ts.now() === 10_000
          ? throwError(() => new Error('GET /time: HTTP 500'))
          : defer(() => of(Math.floor((ts.now() + venueOffset(ts.now())) / 1_000))).pipe(delay(20, ts));
      const out = clockSkewWatch$(
        { clock: () => ts.now(), scheduler: ts, venueTime$ },
        { recheckMs: 1_000, maxMs: 2_000 },
      ).pipe(map((e) => `${e.feed}:${e.stale ? 'S' : 'F'}`));
      // Readings at 1 s, 2 s, … each answered 20 ms later: skewed at 5 s (answer 5.02 s), right again at 9 s.
      expectObservable(out, '^ 12s !').toBe('5020ms a 3999ms b', { a: 'clock:S', b: 'clock:F' });
    });
  });

  it('an offset within maxMs plus the reading uncertainty never pauses', () => {
    const ts = newScheduler();
    ts.run(({ expectObservable }) => {
      const venueTime$ = () => defer(() => of(Math.floor((ts.now() + 2_300) / 1_000))).pipe(delay(20, ts));
      const out = clockSkewWatch$(
        { clock: () => ts.now(), scheduler: ts, venueTime$ },
        { recheckMs: 1_000, maxMs: 2_000 },
      );
      expectObservable(out, '^ 10s !').toBe('');
    });
  });
});
