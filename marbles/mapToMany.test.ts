// mapToMany: mergeMap(v => array) without an inner subscription per value — the same output.
import { describe, expect, it } from 'vitest';
import { mergeMap, take, type Observable } from 'rxjs';
import { mapToMany } from '../src/operators/mapToMany.js';
import { newScheduler } from './support.js';

const twiceOrNone = (v: string): string[] => (v === 'n' ? [] : [v, v.toUpperCase()]);
const failOnX = (v: string): string[] => {
  if (v === 'x') throw new Error('bad x');
  return twiceOrNone(v);
};

/** Every notification with its frame. */
function record(marbles: string, op: (src: Observable<string>) => Observable<string>): unknown[] {
  const seen: unknown[] = [];
  const ts = newScheduler();
  ts.run(({ cold: c, flush }) => {
    op(c(marbles)).subscribe({
      next: (v) => seen.push([ts.now(), v]),
      error: (e: Error) => seen.push([ts.now(), `error ${e.message ?? String(e)}`]),
      complete: () => seen.push([ts.now(), '|']),
    });
    flush();
  });
  return seen;
}

describe('mapToMany', () => {
  it('emits each value’s items in order at the value’s frame, none for an empty array', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const source = hot('a-n-b------|');
      expectObservable(source.pipe(mapToMany(twiceOrNone))).toBe('(aA)(bB)---|', { a: 'a', A: 'A', b: 'b', B: 'B' });
    });
  });

  it('gives mergeMap’s output for the same marbles: completion, errors, a throwing projection, take', () => {
    for (const marbles of ['a-b-n-c-|', 'a-b-#', 'n-n-a', 'a-x-b-|']) {
      expect(record(marbles, (s) => s.pipe(mapToMany(failOnX)))).toEqual(
        record(marbles, (s) => s.pipe(mergeMap(failOnX))),
      );
      // An unsubscription in the middle of an array (take) stops the rest of it, as mergeMap does.
      expect(record(marbles, (s) => s.pipe(mapToMany(failOnX), take(3)))).toEqual(
        record(marbles, (s) => s.pipe(mergeMap(failOnX), take(3))),
      );
    }
  });
});
