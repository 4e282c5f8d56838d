// A market's ids come from the venue's seed and the market's start: every market of a seed has its
// own, whatever the seed (a float product once lost the start for seeds above ~3.4 million, and
// consecutive markets shared a condition id).
import { describe, expect, it } from 'vitest';
import { createMarket } from '../../src/core/markets.js';

const FIFTEEN_MIN = 900_000;
const START = Date.UTC(2026, 0, 1);

describe('market ids', () => {
  it.each([1, 7, 3_576_116_508, 2 ** 32 - 1])('seed %d: a day of markets, all ids distinct', (seed) => {
    const markets = Array.from({ length: 96 }, (_, k) =>
      createMarket(seed, START + k * FIFTEEN_MIN, FIFTEEN_MIN, START + k * FIFTEEN_MIN),
    );
    const ids = markets.flatMap((m) => [m.conditionId, m.tokenUp, m.tokenDown]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('small seeds keep the ids they always had', () => {
    // Seed 1's first market of 2026 under the former float formula (exact while the product < 2^53).
    expect(createMarket(1, START, FIFTEEN_MIN, START).conditionId).toBe(
      '0x7daf380f378a51d6509b784d84fc020aec7fd5c60f8804b22ec3352d9debc4b9',
    );
  });
});
