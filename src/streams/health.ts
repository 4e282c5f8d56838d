// Feed health as events: connection state from socket life, staleness from silence.
import { asyncScheduler, concat, defer, filter, finalize, map, merge, of, startWith, Subject, switchMap, timer, type Observable, type OperatorFunction, type SchedulerLike } from 'rxjs';
import type { ConnectionEvent, Feed, SkipEvent, StaleEvent } from '../domain/index.js';
import type { SocketEvent } from './socket.js';

export function connectionEvent(feed: Feed, ev: SocketEvent, tsMs: number): ConnectionEvent | undefined {
  if (ev.type === 'open') return { kind: 'connection', tsMs, feed, state: 'up' };
  if (ev.type === 'closed') return { kind: 'connection', tsMs, feed, state: 'down', reason: `${ev.reason}; retry in ${ev.retryInMs}ms` };
  return undefined;
}

export function skipEvent(source: string, reason: string, raw: string, tsMs: number): SkipEvent {
  return { kind: 'skip', tsMs, source, reason, raw };
}

/**
 * Passes values through; when the source has been silent for `ms` emits a StaleEvent (stale: true),
 * and on the next value after that a StaleEvent (stale: false). The silence timer starts at subscribe.
 * Only values for which `isFresh` holds reset the timer (e.g. settlement ticks among all prices).
 */
export function staleAfter<T>(feed: Feed, ms: number, clock: () => number, scheduler: SchedulerLike = asyncScheduler, isFresh: (v: T) => boolean = () => true): OperatorFunction<T, T | StaleEvent> {
  return (source: Observable<T>) =>
    defer(() => {
      let stale = false;
      const NONE = Symbol('start');
      const fresh$ = new Subject<T | typeof NONE>();
      // Values that do not count as fresh pass straight through without touching the timer.
      const others$ = source.pipe(
        filter((v) => {
          if (isFresh(v)) {
            fresh$.next(v);
            return false;
          }
          return true;
        }),
        finalize(() => fresh$.complete()),
      );
      const timed$ = fresh$.pipe(
        startWith<T | typeof NONE>(NONE),
        switchMap((v) => {
          const recovered: StaleEvent[] = stale && v !== NONE ? [{ kind: 'stale', tsMs: clock(), feed, stale: false }] : [];
          if (v !== NONE) stale = false;
          const values = v === NONE ? recovered : [...recovered, v];
          return concat(
            of(...values),
            timer(ms, scheduler).pipe(
              map((): StaleEvent => {
                stale = true;
                return { kind: 'stale', tsMs: clock(), feed, stale: true, detail: `no message for ${ms}ms` };
              }),
            ),
          );
        }),
      );
      return merge(timed$, others$);
    });
}
