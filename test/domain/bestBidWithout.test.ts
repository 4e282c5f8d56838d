// bestBidWithout (the touched-markets check, once per book update) must name exactly the best bid
// of bidsWithout's book: random books and own bids, overlapping prices, dust and zero sizes included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bestBidWithoutOrders,
  type Book,
  type BookLevel,
  type LiveOrder,
  type Outcome,
} from '../../src/domain/index.js';
import { bestBidWithout, bidsWithout } from '../support/ownBids.js';

const price = fc.integer({ min: 1, max: 99 }).map((n) => n / 100);
const size = fc.oneof(fc.constant(0), fc.constant(1e-10), fc.double({ min: 0, max: 50, noNaN: true }));
const level = fc.record({ price, size });

describe('bestBidWithout', () => {
  it('is the best bid of bidsWithout(book, ownBids)', () => {
    fc.assert(
      fc.property(fc.array(level, { maxLength: 8 }), fc.array(level, { maxLength: 4 }), (bids, own) => {
        const book: Book = { tokenId: 't', bids, asks: [], tsMs: 0, stale: false };
        expect(bestBidWithout(book, own)).toBe(bidsWithout(book, own).bids[0]?.price);
      }),
      { numRuns: 2_000 },
    );
  });

  it('takes our whole size out of a level, and keeps a level others also bid at', () => {
    const book: Book = {
      tokenId: 't',
      bids: [
        { price: 0.5, size: 10 },
        { price: 0.49, size: 20 },
      ],
      asks: [],
      tsMs: 0,
      stale: false,
    };
    expect(bestBidWithout(book, [{ price: 0.5, size: 10 }])).toBe(0.49);
    expect(bestBidWithout(book, [{ price: 0.5, size: 4 }])).toBe(0.5);
    expect(bestBidWithout(book, [])).toBe(0.5);
  });
});

describe('bestBidWithoutOrders', () => {
  const order = fc.record({
    price,
    size: fc.constantFrom(5, 10, 12.5),
    sizeMatched: fc.constantFrom(0, 2.5, 5, 10, 12.5),
    outcome: fc.constantFrom<Outcome>('up', 'down'),
    side: fc.constantFrom<'BUY' | 'SELL'>('BUY', 'SELL'),
    status: fc.constantFrom<LiveOrder['status']>('live', 'matched', 'cancelled'),
  });
  /** The list it replaces: our live buys on the outcome at their remaining size, in the map's order. */
  const ownBids = (orders: ReadonlyMap<string, LiveOrder>, outcome: Outcome): BookLevel[] =>
    [...orders.values()]
      .filter((o) => o.outcome === outcome && o.side === 'BUY' && o.status === 'live')
      .map((o) => ({ price: o.price, size: o.size - o.sizeMatched }));

  it('is bestBidWithout of our live buys on the outcome, to the last bit', () => {
    fc.assert(
      fc.property(fc.array(level, { maxLength: 8 }), fc.array(order, { maxLength: 6 }), (bids, os) => {
        const sorted = [...bids].sort((a, b) => b.price - a.price);
        const book: Book = { tokenId: 't', bids: sorted, asks: [], tsMs: 0, stale: false };
        const orders = new Map(
          os.map((o, i): [string, LiveOrder] => [
            `o${i}`,
            { ...o, orderId: `o${i}`, conditionId: 'c', tokenId: 't', orderType: 'GTC', tsMs: 0 },
          ]),
        );
        for (const outcome of ['up', 'down'] as const)
          expect(bestBidWithoutOrders(book, orders, outcome)).toBe(bestBidWithout(book, ownBids(orders, outcome)));
      }),
      { numRuns: 3_000 },
    );
  });
});
