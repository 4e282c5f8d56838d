// The simulated traders price a TWAP market by its rule (issue 12): the settlement average moves
// less than the spot before the window, and inside the window the part already averaged is known.
import { describe, expect, it } from 'vitest';
import { fairUp, phi } from '../../src/core/makers.js';
import { volPerSqrtS } from '../../src/core/scenarios.js';
import type { VMarket } from '../../src/core/types.js';

const END = 1_000_000_000;
const twap = { resolution: 'twap', twapLookbackS: 60, endMs: END, oracleStart: 100_000 } as unknown as VMarket;
const firstTick = { ...twap, resolution: 'first-tick' } as VMarket;
const sigma = volPerSqrtS(0.45);
const at = (tauS: number): number => END - tauS * 1000;

describe('fairUp by the resolution rule', () => {
  it('first-tick markets keep the spot model', () => {
    expect(fairUp(firstTick, 100_100, at(300), 0.45)).toBeCloseTo(phi(Math.log(1.001) / (sigma * Math.sqrt(300))), 9);
  });

  it('before the window: the variance of τ − 2L/3 seconds, so the same move is surer than by the spot model', () => {
    const f = fairUp(twap, 100_100, at(120), 0.45);
    expect(f).toBeCloseTo(phi(Math.log(1.001) / (sigma * Math.sqrt(80))), 9);
    expect(f).toBeGreaterThan(fairUp(firstTick, 100_100, at(120), 0.45));
  });

  it('inside the window the average so far decides most of it: spot at S0 but the average above it is near 1', () => {
    expect(fairUp(firstTick, 100_000, at(10), 0.45)).toBeCloseTo(0.5, 6);
    expect(fairUp(twap, 100_000, at(10), 0.45, 100_050)).toBeGreaterThan(0.99);
    expect(fairUp(twap, 100_000, at(10), 0.45, 99_950)).toBeLessThan(0.01);
    // Without the average (not known yet) the spot stands in for it: symmetric at S0.
    expect(fairUp(twap, 100_000, at(10), 0.45)).toBeCloseTo(0.5, 6);
  });

  it('is continuous where the window opens', () => {
    const before = fairUp(twap, 100_050, at(60.001), 0.45);
    const after = fairUp(twap, 100_050, at(59.999), 0.45, 100_050);
    expect(Math.abs(before - after)).toBeLessThan(0.01);
  });
});
