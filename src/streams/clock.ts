// Clock ticks from the injected scheduler: they drive staleness checks, cutoffs and timers downstream.
import { asyncScheduler, interval, map, type Observable, type SchedulerLike } from 'rxjs';
import type { ClockEvent } from '../domain/index.js';

export function clock$(
  periodMs: number,
  scheduler: SchedulerLike = asyncScheduler,
  clock: () => number = () => scheduler.now(),
): Observable<ClockEvent> {
  return interval(periodMs, scheduler).pipe(map((): ClockEvent => ({ kind: 'clock', tsMs: clock() })));
}
