// The fill ledger in generations: the same events as the former single map (a reference model with
// every key remembered) for any report sequence, pure (an old ledger gives the same answers again),
// and bounded over a day and more of fills.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fill } from '../../src/domain/index.js';
import { applyListedFills, EMPTY_LEDGER, type FillLedger, type FillStatusEvent } from '../../src/streams/fills.js';

const STATUSES = ['MATCHED', 'RETRYING', 'MINED', 'CONFIRMED', 'FAILED'] as const;
const RANK: Record<Fill['status'], number> = { MATCHED: 0, RETRYING: 1, MINED: 1, CONFIRMED: 2, FAILED: 3 };
const fill = (trade: number, status: Fill['status']): Fill => ({
  tradeId: `t${trade}`,
  orderId: `o${trade % 7}`,
  conditionId: 'c',
  tokenId: 'up',
  outcome: 'up',
  side: 'BUY',
  price: 0.5,
  size: 5,
  role: 'MAKER',
  feeRateBps: 0,
  status,
  tsMs: trade,
});

/** The former rule with nothing forgotten: one map of counted fills, one set of reversed keys. */
function reference(): (f: Fill) => FillStatusEvent[] {
  const counted = new Map<string, Fill>();
  const reversed = new Set<string>();
  return (f) => {
    const key = `${f.tradeId}:${f.orderId}`;
    const was = counted.get(key);
    if (f.status === 'FAILED') {
      if (!was || reversed.has(key)) return (void reversed.add(key), []);
      reversed.add(key);
      counted.set(key, { ...was, status: 'FAILED' });
      return [{ kind: 'fill', tsMs: f.tsMs, fill: { ...was, status: 'FAILED' }, reversal: true }];
    }
    if (!was) {
      if (reversed.has(key)) return [];
      counted.set(key, f);
      return [{ kind: 'fill', tsMs: f.tsMs, fill: f, reversal: false }];
    }
    if (reversed.has(key) || RANK[f.status] <= RANK[was.status]) return [];
    const moved = { ...was, status: f.status };
    counted.set(key, moved);
    return [{ kind: 'tradeStatus', tsMs: f.tsMs, fill: moved }];
  };
}

describe('the fill ledger in generations', () => {
  it('gives the reference’s events for any sequence of reports (repeats, late and failed ones), across generations', () => {
    const report = fc.record({
      trade: fc.integer({ min: 0, max: 3_000 }),
      status: fc.constantFrom(...STATUSES),
    });
    fc.assert(
      fc.property(fc.array(report, { minLength: 1, maxLength: 4_000 }), (reports) => {
        const ref = reference();
        let ledger: FillLedger = EMPTY_LEDGER;
        for (const r of reports) {
          const f = fill(r.trade, r.status);
          const u = applyListedFills(ledger, [f]);
          expect(u.events).toEqual(ref(f));
          ledger = u.ledger;
        }
      }),
      { numRuns: 30 },
    );
  });

  it('is pure: an earlier ledger answers as before after later writes', () => {
    let ledger: FillLedger = EMPTY_LEDGER;
    for (let t = 0; t < 2_500; t++) ledger = applyListedFills(ledger, [fill(t, 'MATCHED')]).ledger;
    const before = ledger;
    const once = applyListedFills(before, [fill(10, 'CONFIRMED'), fill(2_400, 'FAILED')]);
    for (let t = 2_500; t < 5_000; t++) ledger = applyListedFills(ledger, [fill(t, 'MATCHED')]).ledger;
    expect(applyListedFills(before, [fill(10, 'CONFIRMED'), fill(2_400, 'FAILED')]).events).toEqual(once.events);
    expect(once.events.map((e) => e.kind)).toEqual(['tradeStatus', 'fill']);
  });

  it('stays bounded: ~20,000 fills remembered, the oldest forgotten first', () => {
    let ledger: FillLedger = EMPTY_LEDGER;
    for (let t = 0; t < 50_000; t++) ledger = applyListedFills(ledger, [fill(t, 'MATCHED')]).ledger;
    const entries = ledger.counted.reduce((n, g) => n + g.size, 0);
    expect(entries).toBeGreaterThanOrEqual(20_000);
    expect(entries).toBeLessThanOrEqual(21_000);
    // A repeat of a recent fill is still recognised; one of the oldest is forgotten (counted again).
    expect(applyListedFills(ledger, [fill(49_000, 'MATCHED')]).events).toEqual([]);
    expect(applyListedFills(ledger, [fill(5, 'MATCHED')]).events).toHaveLength(1);
  });
});
