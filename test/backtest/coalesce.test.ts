// Book deltas coalesced at the backtest's market-channel edge: one message per market and instant,
// leaving every level where the changes one by one would have left it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coalesceBookChanges } from '../../src/backtest/coalesce.js';
import type { VenueEvent } from '@polymm/venue';

type PriceChange = Extract<VenueEvent, { type: 'priceChange' }>;
type Change = PriceChange['changes'][number];

const change = (tokenId: string, side: 'BUY' | 'SELL', price: number, size: number, best = price): Change => ({
  tokenId,
  side,
  price,
  size,
  bestBid: side === 'BUY' ? best : undefined,
  bestAsk: side === 'SELL' ? best : undefined,
});
const pc = (conditionId: string, tsMs: number, ...changes: Change[]): PriceChange => ({
  type: 'priceChange',
  tsMs,
  conditionId,
  changes,
});
const lastTrade = (tsMs: number): VenueEvent => ({
  type: 'lastTrade',
  tsMs,
  conditionId: 'm1',
  tokenId: 'up',
  price: 0.5,
  size: 1,
  side: 'BUY',
  feeRateBps: 0,
});

/** Level sizes after applying the events' changes in order, per market/token/side/price. */
const levels = (events: readonly VenueEvent[]): Map<string, number> => {
  const out = new Map<string, number>();
  for (const ev of events)
    if (ev.type === 'priceChange')
      for (const c of ev.changes) out.set(`${ev.conditionId}|${c.tokenId}|${c.side}|${c.price}`, c.size);
  return out;
};

describe('coalesceBookChanges', () => {
  it("merges a market's changes of one instant into one message at the place of the last, others in order", () => {
    const events: VenueEvent[] = [
      pc('m1', 100, change('up', 'BUY', 0.5, 10, 0.5)),
      lastTrade(100),
      pc('m2', 100, change('x', 'SELL', 0.6, 5)),
      pc('m1', 100, change('up', 'BUY', 0.5, 0, 0.49), change('down', 'SELL', 0.51, 7, 0.51)),
    ];
    const out = coalesceBookChanges(events);
    expect(out.map((e) => `${e.type}:${'conditionId' in e ? e.conditionId : ''}`)).toEqual([
      'lastTrade:m1',
      'priceChange:m2',
      'priceChange:m1',
    ]);
    const m1 = out[2] as PriceChange;
    expect(m1.changes).toEqual([change('up', 'BUY', 0.5, 0, 0.49), change('down', 'SELL', 0.51, 7, 0.51)]);
  });

  it('gives every change of a token the best bid/ask after the last of them', () => {
    const out = coalesceBookChanges([
      pc('m1', 100, change('up', 'BUY', 0.48, 10, 0.5)),
      pc('m1', 100, change('up', 'BUY', 0.52, 3, 0.52)),
    ]);
    expect((out[0] as PriceChange).changes.map((c) => [c.price, c.bestBid])).toEqual([
      [0.48, 0.52],
      [0.52, 0.52],
    ]);
  });

  it('does not merge across instants, nor across a snapshot of the market (its older deltas stay before it)', () => {
    const snapshot: VenueEvent = {
      type: 'book',
      tsMs: 100,
      book: { tokenId: 'up', conditionId: 'm1', bids: [], asks: [], tsMs: 100 },
    };
    const events: VenueEvent[] = [
      pc('m1', 100, change('up', 'BUY', 0.5, 10)),
      snapshot,
      pc('m1', 100, change('up', 'BUY', 0.5, 4)),
      pc('m1', 200, change('up', 'BUY', 0.5, 6)),
    ];
    expect(coalesceBookChanges(events)).toEqual(events);
  });

  it('leaves a list without book changes as it is', () => {
    const events = [lastTrade(1), lastTrade(2)];
    expect(coalesceBookChanges(events)).toBe(events);
  });

  it('any sequence: the same final levels, one message per market and instant, fewer or as many messages', () => {
    const arbChange = fc.record({
      tokenId: fc.constantFrom('up', 'down'),
      side: fc.constantFrom<'BUY' | 'SELL'>('BUY', 'SELL'),
      price: fc.integer({ min: 1, max: 5 }).map((p) => p / 10),
      size: fc.integer({ min: 0, max: 3 }),
    });
    const arbEvent = fc.oneof(
      fc
        .record({
          m: fc.constantFrom('m1', 'm2'),
          t: fc.integer({ min: 0, max: 2 }),
          cs: fc.array(arbChange, { minLength: 1, maxLength: 3 }),
        })
        .map(({ m, t, cs }) => pc(m, t, ...cs.map((c) => change(c.tokenId, c.side, c.price, c.size)))),
      fc.integer({ min: 0, max: 2 }).map(lastTrade),
    );
    fc.assert(
      fc.property(fc.array(arbEvent, { maxLength: 40 }), (events) => {
        const sorted = [...events].sort((a, b) => a.tsMs - b.tsMs); // a drain is in time order
        const out = coalesceBookChanges(sorted);
        expect(levels(out)).toEqual(levels(sorted));
        const keys = out.filter((e) => e.type === 'priceChange').map((e) => `${e.conditionId}@${e.tsMs}`);
        expect(new Set(keys).size).toBe(keys.length);
        expect(out.filter((e) => e.type === 'lastTrade')).toEqual(sorted.filter((e) => e.type === 'lastTrade'));
      }),
    );
  });
});
