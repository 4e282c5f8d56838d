// Feed health as events: connection state from socket life, staleness from silence.
import {
  asyncScheduler,
  concat,
  connect,
  EMPTY,
  filter,
  map,
  merge,
  mergeMap,
  of,
  scan,
  startWith,
  switchMap,
  timer,
  type OperatorFunction,
  type SchedulerLike,
} from 'rxjs';
import type { ConnectionEvent, Feed, SkipEvent, StaleEvent } from '../domain/index.js';
import type { SocketEvent } from './socket.js';

export function connectionEvent(feed: Feed, ev: SocketEvent, tsMs: number): ConnectionEvent | undefined {
  if (ev.type === 'open') return { kind: 'connection', tsMs, feed, state: 'up' };
  if (ev.type === 'closed')
    return { kind: 'connection', tsMs, feed, state: 'down', reason: `${ev.reason}; retry in ${ev.retryInMs}ms` };
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
export function staleAfter<T>(
  feed: Feed,
  ms: number,
  clock: () => number,
  scheduler: SchedulerLike = asyncScheduler,
  isFresh: (v: T) => boolean = () => true,
): OperatorFunction<T, T | StaleEvent> {
  const SILENT: unique symbol = Symbol('silent');
  type Tick = T | typeof SILENT;
  // connect: both branches subscribe before the source starts, so a synchronous source loses nothing.
  return connect((source$) => {
    // Each fresh value passes and restarts the silence timer; the timer's end is SILENT.
    const timed$ = source$.pipe(
      filter(isFresh),
      startWith<Tick>(SILENT),
      switchMap((v: Tick) => concat(v === SILENT ? EMPTY : of(v), timer(ms, scheduler).pipe(map((): Tick => SILENT)))),
    );
    // A fold remembers whether the feed went silent: the first value after it first says stale: false.
    const marked$ = timed$.pipe(
      scan(
        (acc: { readonly stale: boolean; readonly out: readonly (T | StaleEvent)[] }, v: Tick) =>
          v === SILENT
            ? {
                stale: true,
                out: [
                  {
                    kind: 'stale',
                    tsMs: clock(),
                    feed,
                    stale: true,
                    detail: `no message for ${ms}ms`,
                  } satisfies StaleEvent,
                ],
              }
            : {
                stale: false,
                out: acc.stale ? [{ kind: 'stale', tsMs: clock(), feed, stale: false } satisfies StaleEvent, v] : [v],
              },
        { stale: false, out: [] },
      ),
      mergeMap((acc) => acc.out),
    );
    // Values that do not count as fresh pass straight through without touching the timer.
    return merge(marked$, source$.pipe(filter((v) => !isFresh(v))));
  });
}
