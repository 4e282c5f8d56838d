// `mergeMap(v => array)` without the inner subscription: the hot paths (every market frame, price
// tick and strategy input) turn one value into a few, and mergeMap subscribes a new inner
// Observable (subscriber, subscription, teardown list) for each one.
import { Observable, type OperatorFunction } from 'rxjs';

/**
 * Each value's items, in order, emitted synchronously before the next value is read: the same
 * output as `mergeMap(project)` when `project` returns an array. An error thrown by `project`
 * errors the output, as mergeMap's would.
 */
export function mapToMany<T, R>(project: (value: T) => readonly R[]): OperatorFunction<T, R> {
  return (source) =>
    new Observable<R>((subscriber) =>
      source.subscribe({
        next: (value) => {
          let items: readonly R[];
          try {
            items = project(value);
          } catch (err) {
            subscriber.error(err);
            return;
          }
          for (const item of items) {
            if (subscriber.closed) return;
            subscriber.next(item);
          }
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      }),
    );
}
