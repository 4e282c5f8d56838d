import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { threadTime, threadTimeSince } from '../../src/backtest/threadTime.js';

const linux = existsSync('/proc/thread-self/schedstat');

describe('threadTime', () => {
  it.runIf(linux)("counts this thread's time on a CPU: busy work adds to it, never more than the wall time", () => {
    const start = threadTime();
    expect(start).toBeDefined();
    const t0 = performance.now();
    // Compute until this thread has run 30 ms (however the machine shares its cores), or 10 s passed.
    let spent = threadTimeSince(start)!;
    let x = 0;
    while (spent.runS < 0.03 && performance.now() - t0 < 10_000) {
      for (let i = 0; i < 100_000; i++) x += Math.sqrt(i + x);
      spent = threadTimeSince(start)!;
    }
    const wallS = (performance.now() - t0) / 1000;
    expect(x).toBeGreaterThan(0);
    expect(spent.runS).toBeGreaterThanOrEqual(0.03);
    // One thread runs on one CPU at a time: its CPU time fits in the wall time (the counters tick in ns).
    expect(spent.runS).toBeLessThanOrEqual(wallS + 0.01);
    expect(spent.waitS).toBeGreaterThanOrEqual(0);
    expect(spent.waitS).toBeLessThanOrEqual(wallS + 0.01);
  });

  it('is undefined since an unknown start', () => {
    expect(threadTimeSince(undefined)).toBeUndefined();
  });
});
