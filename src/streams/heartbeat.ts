// The exchange heartbeat (dead-man switch): post at the configured interval and report each
// result. A failure or a post slower than the interval counts as down; the strategy fails closed.
import {
  asyncScheduler,
  catchError,
  defer,
  exhaustMap,
  map,
  of,
  timeout,
  timer,
  type Observable,
  type ObservableInput,
  type SchedulerLike,
} from 'rxjs';
import type { HeartbeatEvent } from '../domain/index.js';

/** `refusal`: whether a failed post means the venue refused us for good (read from its typed error). */
export function heartbeat$(
  post: () => ObservableInput<unknown>,
  intervalMs: number,
  clock: () => number,
  scheduler: SchedulerLike = asyncScheduler,
  refusal: (err: unknown) => HeartbeatEvent['refused'] = () => undefined,
): Observable<HeartbeatEvent> {
  return timer(0, intervalMs, scheduler).pipe(
    exhaustMap(() =>
      defer(post).pipe(
        timeout({ first: intervalMs, scheduler }),
        map((): HeartbeatEvent => ({ kind: 'heartbeat', tsMs: clock(), ok: true })),
        catchError((err: unknown) => {
          const refused = refusal(err);
          return of<HeartbeatEvent>({
            kind: 'heartbeat',
            tsMs: clock(),
            ok: false,
            error: err instanceof Error ? err.message : String(err),
            ...(refused ? { refused } : {}),
          });
        }),
      ),
    ),
  );
}
