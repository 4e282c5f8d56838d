// The churn rules against their plain form (test/strategy/reference/churn.ts) on random
// sequences of desired sets: the same sets passed on, the same set remembered, the same level times
// and waits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DesiredOrder, DesiredOrderSet } from '../../src/domain/index.js';
import { applyChurn, EMPTY_CHURN, type ChurnState } from '../../src/strategy/churn.js';
import * as ref from './reference/churn.js';

const rules = { minUpdateIntervalMs: 1_000, minPriceChangeTicks: 2, minSizeChange: 5 };

const order: fc.Arbitrary<DesiredOrder> = fc
  .record({
    outcome: fc.constantFrom('up' as const, 'down' as const),
    level: fc.nat(2),
    // Mostly near each other, so small changes (the ones the rules hold) are common.
    cents: fc.oneof(fc.integer({ min: 44, max: 50 }), fc.integer({ min: 1, max: 99 })),
    size: fc.constantFrom(5, 7.5, 10, 14, 15),
  })
  .map(({ outcome, level, cents, size }) => ({
    outcome,
    tokenId: outcome,
    level,
    side: 'BUY' as const,
    price: cents / 100,
    size,
    postOnly: true,
    orderType: 'GTC' as const,
  }));

/** One order per level and outcome, as the ladder builds them. */
const orders = fc
  .array(order, { maxLength: 6 })
  .map((os) => os.filter((o, i) => os.findIndex((x) => x.level === o.level && x.outcome === o.outcome) === i));

const step = fc.record({
  // Around the minimum update interval (1 000 ms), where the rule turns.
  gapMs: fc.constantFrom(0, 300, 999, 1_000, 1_001, 2_500),
  orders,
  reason: fc.option(fc.constantFrom('cutoff', 'halt'), { nil: undefined }),
  capUp: fc.constantFrom(0.3, 0.5, 0.9),
  capDown: fc.constantFrom(0.3, 0.5, 0.9),
  targetTotal: fc.constantFrom(0.9, 0.98, 1),
});

const times = (m: ReadonlyMap<string, number>): [number, number][] =>
  [...m].map(([k, t]): [number, number] => {
    const [outcome, level] = k.split(':');
    return [Number(level) * 2 + (outcome === 'up' ? 0 : 1), t];
  });

describe('churn rules, optimised', () => {
  it('decide exactly as the reference on random sequences of desired sets', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        let a: ChurnState = EMPTY_CHURN;
        let b: ref.ChurnState = ref.EMPTY_CHURN;
        let t = 0;
        for (const s of steps) {
          t += s.gapMs;
          const next: DesiredOrderSet = {
            slug: 's',
            conditionId: 'c',
            orders: s.orders,
            tsMs: t,
            ...(s.reason ? { reason: s.reason } : {}),
          };
          const limits = { capUp: s.capUp, capDown: s.capDown, targetTotal: s.targetTotal };
          const x = applyChurn(a, next, limits, 0.01, rules);
          const y = ref.applyChurn(b, next, limits, 0.01, rules);
          expect(x.emit).toEqual(y.emit);
          expect(x.state.sent).toEqual(y.state.sent);
          expect([...x.state.changedAt]).toEqual(times(y.state.changedAt));
          expect([...(x.state.pendingSince ?? [])]).toEqual(times(y.state.pendingSince ?? new Map()));
          // An unchanged state is the same object in both (the step relies on it to copy nothing).
          expect(x.state === a).toBe(y.state === b);
          a = x.state;
          b = y.state;
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
