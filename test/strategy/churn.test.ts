import { describe, expect, it } from 'vitest';
import { applyChurn, EMPTY_CHURN, type ChurnState } from '../../src/strategy/churn.js';
import type { DesiredOrder, DesiredOrderSet } from '../../src/domain/index.js';

const rules = { minUpdateIntervalMs: 1_000, minPriceChangeTicks: 2, minSizeChange: 5 };
const limits = { capUp: 0.6, capDown: 0.6, targetTotal: 0.98 };
const o = (outcome: 'up' | 'down', level: number, price: number, size = 10): DesiredOrder => ({
  outcome,
  tokenId: outcome,
  level,
  side: 'BUY',
  price,
  size,
  postOnly: true,
  orderType: 'GTC',
});
const set = (tsMs: number, orders: DesiredOrder[], reason?: string): DesiredOrderSet => ({
  slug: 's',
  conditionId: 'c',
  orders,
  tsMs,
  ...(reason ? { reason } : {}),
});

function step(s: ChurnState, next: DesiredOrderSet) {
  return applyChurn(s, next, limits, 0.01, rules);
}

describe('churn rules', () => {
  const first = step(EMPTY_CHURN, set(0, [o('up', 0, 0.45), o('down', 0, 0.45)]));

  it('passes the first set', () => expect(first.emit?.orders).toHaveLength(2));

  it('never re-sends an equal set', () =>
    expect(step(first.state, set(10, [o('up', 0, 0.45), o('down', 0, 0.45)])).emit).toBeUndefined());

  it('holds a small price rise until the level has wanted it for the interval, then lets it through', () => {
    const rise = [o('up', 0, 0.46), o('down', 0, 0.45)];
    const held = step(first.state, set(500, rise));
    expect(held.emit).toBeUndefined();
    const still = step(held.state, set(1_400, rise));
    expect(still.emit).toBeUndefined();
    expect(step(still.state, set(1_500, rise)).emit?.orders[0]?.price).toBe(0.46);
  });

  it('a level resting for long does not pass a small change at once: the wait starts with the change', () =>
    expect(step(first.state, set(60_000, [o('up', 0, 0.46), o('down', 0, 0.45)])).emit).toBeUndefined());

  it('a book flickering a tick and back re-posts nothing: the way back ends the wait', () => {
    const rise = [o('up', 0, 0.46), o('down', 0, 0.45)];
    const back = [o('up', 0, 0.45), o('down', 0, 0.45)];
    let s = first.state;
    const flicker: Array<[number, DesiredOrder[]]> = [
      [500, rise],
      [800, back],
      [1_300, rise],
      [1_600, back],
      [2_100, rise],
      [2_400, back],
    ];
    for (const [t, orders] of flicker) {
      const r = step(s, set(t, orders));
      expect(r.emit).toBeUndefined();
      s = r.state;
    }
    // Wanted again from 2_600 on: through at 3_600, not before.
    const again = step(s, set(2_600, rise));
    expect(step(again.state, set(3_599, rise)).emit).toBeUndefined();
    expect(step(again.state, set(3_600, rise)).emit?.orders[0]?.price).toBe(0.46);
  });

  it('a small change wanted at the instant its level changed waits from the next instant on', () => {
    const rise = [o('up', 0, 0.46), o('down', 0, 0.45)];
    const passed = step(step(first.state, set(500, rise)).state, set(1_500, rise));
    expect(passed.emit?.orders[0]?.price).toBe(0.46);
    const further = [o('up', 0, 0.47), o('down', 0, 0.45)];
    const sameInstant = step(passed.state, set(1_500, further));
    expect(sameInstant.emit).toBeUndefined();
    const later = step(sameInstant.state, set(1_700, further));
    expect(step(later.state, set(2_500, further)).emit).toBeUndefined();
    expect(step(later.state, set(2_700, further)).emit?.orders[0]?.price).toBe(0.47);
  });

  it('holds a small price cut while the resting price keeps within its cap (it still has the edge the cap demands)', () => {
    const cut = [o('up', 0, 0.44), o('down', 0, 0.45)];
    const held = step(first.state, set(100, cut));
    expect(held.emit).toBeUndefined();
    expect(step(held.state, set(1_100, cut)).emit?.orders[0]?.price).toBe(0.44);
  });

  it('passes a large move at once', () => {
    expect(step(first.state, set(100, [o('up', 0, 0.47), o('down', 0, 0.45)])).emit?.orders[0]?.price).toBe(0.47);
    expect(step(first.state, set(100, [o('up', 0, 0.45, 15), o('down', 0, 0.45)])).emit?.orders[0]?.size).toBe(15);
  });

  it('passes a small price cut at once when the resting price would break its cap or the target', () => {
    const capped = applyChurn(
      first.state,
      set(100, [o('up', 0, 0.44), o('down', 0, 0.45)]),
      { ...limits, capUp: 0.44 },
      0.01,
      rules,
    );
    expect(capped.emit?.orders[0]?.price).toBe(0.44);
    const paired = applyChurn(
      first.state,
      set(100, [o('up', 0, 0.44), o('down', 0, 0.45)]),
      { ...limits, targetTotal: 0.89 },
      0.01,
      rules,
    );
    expect(paired.emit?.orders.map((x) => x.price)).toEqual([0.44, 0.45]);
  });

  it('a safety transition (empty set) passes at once, and so does the first set after it', () => {
    const paused = step(first.state, set(10, [], 'cutoff'));
    expect(paused.emit).toMatchObject({ orders: [], reason: 'cutoff' });
    expect(step(paused.state, set(20, [o('up', 0, 0.45)])).emit?.orders).toHaveLength(1);
  });

  it('a change of reason alone is sent (status and logs show why)', () => {
    const paused = step(first.state, set(10, [], 'cutoff'));
    expect(step(paused.state, set(20, [], 'stale_oracle')).emit?.reason).toBe('stale_oracle');
    expect(step(paused.state, set(20, [], 'cutoff')).emit).toBeUndefined();
  });
});
