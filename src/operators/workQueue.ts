// One piece of work at a time, for one key (a market): jobs that arrive while work runs wait,
// never run alongside it. "Refresh" jobs coalesce into one (the latest state is read when it
// runs, so the ones in between are superseded, never queued); a "task" job (with a payload) runs
// once, and one arriving while another is queued or running is dropped. A queued task goes
// before a pending refresh. Everything ends with the subscription.
import { defer, EMPTY, exhaustMap, finalize, of, repeat, tap, type Observable, type OperatorFunction } from 'rxjs';

export interface WorkQueueJob<T> {
  /** Absent: a refresh; present: a task. */
  readonly task?: T;
}

export function workQueue<T, J extends WorkQueueJob<T>, R>(
  refresh: () => Observable<R>,
  runTask: (task: T) => Observable<R>,
): OperatorFunction<J, R> {
  return (jobs$) =>
    defer(() => {
      let refreshPending = false;
      let queued: T | undefined;
      let taskRunning = false;
      const next$ = defer(() => {
        const t = queued;
        if (t !== undefined) {
          queued = undefined;
          taskRunning = true;
          return runTask(t).pipe(finalize(() => (taskRunning = false)));
        }
        if (!refreshPending) return EMPTY;
        refreshPending = false;
        return refresh();
      });
      const drain$ = next$.pipe(repeat({ delay: () => (refreshPending || queued !== undefined ? of(0) : EMPTY) }));
      return jobs$.pipe(
        tap((j) => {
          if (j.task === undefined) refreshPending = true;
          else if (queued === undefined && !taskRunning) queued = j.task;
        }),
        exhaustMap(() => drain$),
      );
    });
}
