import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { threadTime, threadTimeSince } from '../../src/backtest/threadTime.js';

const linux = existsSync('/proc/thread-self/schedstat');

describe('threadTime', () => {
  it.runIf(linux)("counts this thread's time on a CPU: busy work adds to it", () => {
    const start = threadTime();
    expect(start).toBeDefined();
    const t0 = performance.now();
    let x = 0;
    while (performance.now() - t0 < 60) x += Math.sqrt(x + 1);
    expect(x).toBeGreaterThan(0);
    const spent = threadTimeSince(start)!;
    // 60 ms of wall time spent computing: most of it on a CPU (a loaded machine may take some away).
    expect(spent.runS).toBeGreaterThan(0.01);
    expect(spent.runS).toBeLessThan(5);
    expect(spent.waitS).toBeGreaterThanOrEqual(0);
  });

  it('is undefined since an unknown start', () => {
    expect(threadTimeSince(undefined)).toBeUndefined();
  });
});
