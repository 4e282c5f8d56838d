// The flash-crash scenario's move (issue 12): a drop at 40 % of each interval, half recovered over the
// next minute, and the level it leaves persists. It used to snap back at the next interval's start —
// a jump of half the crash at the very instant the price to beat is fixed, which no real market has.
import { describe, expect, it } from 'vitest';
import { PriceProcess } from '../../src/core/prices.js';
import { createRng } from '../../src/core/rng.js';
import { scenarioParams } from '../../src/core/scenarios.js';

const INTERVAL_MS = 900_000;
const CRASH = scenarioParams('flash-crash').flashCrash;

/** log(flash-crash price / the same path without the crash) at every fast tick of three intervals. */
function crashPath(seed: number): { t: number; d: number }[] {
  const withCrash = new PriceProcess(createRng(seed), scenarioParams('flash-crash'), 0, INTERVAL_MS);
  const without = new PriceProcess(createRng(seed), scenarioParams('flash-crash', { flashCrash: 0 }), 0, INTERVAL_MS);
  const out: { t: number; d: number }[] = [];
  while (withCrash.now() < 3 * INTERVAL_MS) {
    const a = withCrash.step().find((x) => x.source === 'binance');
    const b = without.step().find((x) => x.source === 'binance');
    if (a && b) out.push({ t: a.tsMs, d: Math.log(a.value / b.value) });
  }
  return out;
}

const at = (path: { t: number; d: number }[], t: number): number => path.find((x) => x.t >= t)!.d;

describe('flash-crash price path', () => {
  it.each([1, 2])('drops at 40 %% of each interval, recovers half, and carries the level on (seed %i)', (seed) => {
    const path = crashPath(seed);
    for (let k = 0; k < 3; k++) {
      const start = k * INTERVAL_MS;
      const crashAt = start + 0.4 * INTERVAL_MS;
      const level = (-CRASH / 2) * k;
      expect(at(path, start + 1_000)).toBeCloseTo(level, 4);
      expect(at(path, crashAt - 1_000)).toBeCloseTo(level, 4);
      expect(at(path, crashAt + 10_000)).toBeCloseTo(level - CRASH, 4);
      expect(at(path, crashAt + 70_000)).toBeCloseTo(level - CRASH / 2, 4);
      expect(at(path, start + INTERVAL_MS - 1_000)).toBeCloseTo(level - CRASH / 2, 4);
    }
  });

  it('never jumps: no fast tick moves by more than the crash’s own pace (no snap back at a start)', () => {
    const path = crashPath(3);
    let worst = 0;
    for (let i = 1; i < path.length; i++) worst = Math.max(worst, Math.abs(path[i]!.d - path[i - 1]!.d));
    // The drop's pace: CRASH over 10 s, i.e. CRASH / 50 per 200 ms fast tick.
    expect(worst).toBeLessThanOrEqual(CRASH / 50 + 1e-7);
  });
});
