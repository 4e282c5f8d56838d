// exhaustMap that never loses the last value: while a run is in flight, new values are not
// started (one batch at a time) but remembered; when the run completes it runs again for the
// latest value that arrived meanwhile, if any. Values in between are superseded, never queued.
import { defer, EMPTY, exhaustMap, from, of, repeat, tap, type ObservableInput, type OperatorFunction } from 'rxjs';

export function exhaustMapLatest<T, R>(project: (value: T) => ObservableInput<R>): OperatorFunction<T, R> {
  return (source) =>
    defer(() => {
      let latest: T | undefined;
      let dirty = false;
      const runLatest = defer(() => {
        dirty = false;
        return from(project(latest as T));
      }).pipe(repeat({ delay: () => (dirty ? of(0) : EMPTY) }));
      return source.pipe(
        tap((v) => {
          latest = v;
          dirty = true;
        }),
        exhaustMap(() => runLatest),
      );
    });
}
