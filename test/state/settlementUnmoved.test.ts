// The rule that lets a price tick skip a market's settlement (`unmovedBy`): wherever it says the
// tick cannot move the figures, `settle` over the new histories gives exactly what it gave before.
// Random dense histories around the boundaries, both resolution rules, with and without Gamma's
// figures, ticks on both streams, and the oldest ticks dropped at random (as the bounded history does).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketIdentity } from '../../src/domain/index.js';
import type { PricePoint } from '../../src/quant/index.js';
import { settle, unmovedBy, type Settlement, type SettlementInputs } from '../../src/state/settlement.js';
import { market } from '../support/events.js';

const T = market.startMs;
const params = { twapTolerance: 0.0005, boundaryToleranceMs: 500, maxTickGapMs: 3_000 };
type TwapPoint = PricePoint & { readonly windowS: number };

const step = fc.record({
  twap: fc.boolean(),
  gapMs: fc.integer({ min: 50, max: 2_500 }),
  price: fc.integer({ min: 99_900, max: 100_100 }),
  // Mostly nothing dropped, sometimes a few of the oldest.
  drop: fc.oneof({ arbitrary: fc.constant(0), weight: 6 }, { arbitrary: fc.integer({ min: 1, max: 4 }), weight: 1 }),
});

describe('settlement figures a price tick cannot move', () => {
  it('settle gives the same figures wherever unmovedBy says so', () => {
    let skipped = 0;
    fc.assert(
      fc.property(
        fc.constantFrom<MarketIdentity['resolution']>({ rule: 'twap', lookbackS: 5 }, { rule: 'firstTick' }),
        fc.option(fc.integer({ min: 99_900, max: 100_100 }), { nil: undefined }),
        fc.array(step, { minLength: 10, maxLength: 120 }),
        (resolution, gamma, steps) => {
          // A 20-second market, so that the ticks cross both boundaries.
          const m: MarketIdentity = {
            ...market,
            startMs: T,
            endMs: T + 20_000,
            ...(resolution ? { resolution } : {}),
            ...(gamma !== undefined ? { priceToBeat: gamma } : {}),
          };
          let ticks: PricePoint[] = [];
          let twapTicks: TwapPoint[] = [];
          let t = T - 15_000;
          let s: Settlement = settle({}, m, { ticks, twapTicks }, params);
          for (const st of steps) {
            t += st.gapMs;
            const before: SettlementInputs = { ticks, twapTicks };
            if (st.twap) twapTicks = [...twapTicks.slice(st.drop), { price: st.price, tsMs: t, windowS: 5 }];
            // The Chainlink history dropped less often: the TWAP ticks around a boundary can go first.
            else ticks = [...ticks.slice(st.drop > 3 ? 1 : 0), { price: st.price, tsMs: t }];
            const after: SettlementInputs = { ticks, twapTicks };
            const next = settle(s, m, after, params);
            if (unmovedBy(m, before, after, params)) {
              expect(next).toBe(s);
              skipped += 1;
            }
            s = next;
          }
        },
      ),
      { numRuns: 2_000 },
    );
    expect(skipped).toBeGreaterThan(1_000);
  });
});
