// The simulated traders price with the price process's whole volatility, jumps included (issue 12):
// in `jumpy` the jumps carry most of the variance, and a fair value from the diffusion alone is sure
// of outcomes that are not (its "informed" traders and makers were then wrong, not informed).
import { describe, expect, it } from 'vitest';
import { PriceProcess } from '../../src/core/prices.js';
import { createRng } from '../../src/core/rng.js';
import { fairVolAnnual, scenarioParams, volPerSqrtS } from '../../src/core/scenarios.js';
import type { VScenario } from '../../src/core/types.js';

const DAY_MS = 86_400_000;

/** Realised variance per second of the fast feed's log price over a simulated day. */
function realisedVarPerS(scenario: VScenario, seed: number): number {
  const p = scenarioParams(scenario);
  const prices = new PriceProcess(createRng(seed), p, 0, 900_000);
  let last: number | undefined;
  let sum = 0;
  let from: number | undefined;
  let to = 0;
  while (prices.now() < DAY_MS) {
    for (const tick of prices.step()) {
      if (tick.source !== 'binance') continue;
      if (last !== undefined) sum += Math.log(tick.value / last) ** 2;
      else from = tick.tsMs;
      last = tick.value;
      to = tick.tsMs;
    }
  }
  return sum / ((to - from!) / 1000);
}

describe('fairVolAnnual', () => {
  it.each([
    ['jumpy', 1],
    ['jumpy', 2],
    ['calm', 1],
  ] as const)('matches the realised variance of a simulated day (%s, seed %i) within 20 %%', (scenario, seed) => {
    const p = scenarioParams(scenario);
    const realised = realisedVarPerS(scenario, seed);
    const priced = volPerSqrtS(fairVolAnnual(p)) ** 2;
    expect(realised / priced).toBeGreaterThan(0.8);
    expect(realised / priced).toBeLessThan(1.2);
    if (scenario === 'jumpy') expect(volPerSqrtS(p.volAnnual) ** 2).toBeLessThan(realised / 5);
  });

  it('is the diffusion volatility when there are no jumps', () => {
    expect(fairVolAnnual({ volAnnual: 0.45, jumpRate: 0, jumpSize: 0.002 })).toBeCloseTo(0.45, 12);
  });
});
