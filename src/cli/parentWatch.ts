// A bot whose parent vanished must stop cleanly (issue 13 #3): `npm start` ends at once on SIGTERM
// (what Docker and systemd send) without passing it on, leaving node running with orders live. The
// orphan is re-parented (to init or a subreaper), so its parent PID changes: that is the signal.
import { asyncScheduler, filter, interval, map, take, type Observable, type SchedulerLike } from 'rxjs';

/** Emits the new parent PID once, when the parent PID is no longer the one seen at subscription. */
export function parentGone$(
  ppid: () => number = () => process.ppid,
  periodMs = 1_000,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<number> {
  const initial = ppid();
  return interval(periodMs, scheduler).pipe(
    map(() => ppid()),
    filter((now) => now !== initial),
    take(1),
  );
}
