// The execution sink's concurrency rule: one batch in flight; afterwards, the latest value only.
import { describe, it } from 'vitest';
import { exhaustMapLatest } from '../src/operators/exhaustLatest.js';
import { newScheduler } from './support.js';

describe('exhaustMapLatest', () => {
  it('runs one at a time and, when a run completes, runs again for the latest value that arrived meanwhile', () => {
    const ts = newScheduler();
    ts.run(({ hot, cold, expectObservable }) => {
      const source = hot('  a-b-c---------d----|');
      // a runs 0-5; b and c arrive meanwhile: only c (the latest) runs, at 5-10; d runs at 14-19.
      const out = source.pipe(exhaustMapLatest((v) => cold('-----(x|)', { x: v })));
      expectObservable(out).toBe('-----a----c--------(d|)');
    });
  });

  it('loses nothing at the end: a value arriving during the last run is still applied', () => {
    const ts = newScheduler();
    ts.run(({ hot, cold, expectObservable }) => {
      const source = hot('a--b|');
      const out = source.pipe(exhaustMapLatest((v) => cold('-----(x|)', { x: v })));
      expectObservable(out).toBe('-----a----(b|)');
    });
  });

  it('a value equal to the one in flight still reruns (the sink re-diffs against fresh live orders)', () => {
    const ts = newScheduler();
    ts.run(({ hot, cold, expectObservable }) => {
      const out = hot('a-a').pipe(exhaustMapLatest((v) => cold('---(x|)', { x: v })));
      expectObservable(out).toBe('---a--a');
    });
  });
});
