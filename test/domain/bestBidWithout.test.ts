// bestBidWithout (the touched-markets check, once per book update) must name exactly the best bid
// of bidsWithout's book: random books and own bids, overlapping prices, dust and zero sizes included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestBidWithout, bidsWithout, type Book } from '../../src/domain/index.js';

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
