// A full garbage collection on demand, for the backtest to run at each market's end. V8 collects
// old space lazily: over a backtested day the heap grew to ~250 MB of mostly garbage over ~50 MB
// live (peak RSS ~400 MB, growing 16–21 % from the first to the last quarter); collected once per
// market it stays near the live heap (bench/backtest.ts: peak RSS ~175 MB over 12 markets, 6.8 %
// growth) for ~10 % more wall time. A hard heap limit (--max-old-space-size) would do the same
// and crash a larger run; this never limits anything. The same route as Jest's leak detector:
// the `gc` global is enabled at run time and taken from a fresh context, since this process was
// not started with --expose-gc.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** A function that runs a full collection; undefined where the runtime offers none. */
export function fullCollector(): (() => void) | undefined {
  const own = (globalThis as { gc?: unknown }).gc;
  if (typeof own === 'function') return () => void own();
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? () => void gc() : undefined;
  } catch {
    return undefined;
  }
}
